package dev.servedeck.core.tensorflow;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tensorflow.Session;

/**
 * Keeps TensorFlow Java from running "initializers" of its own choosing in a loaded model's session.
 *
 * <p>TF Java's {@code Graph.importGraphDef} registers every imported op whose name starts with {@code Init} as
 * an initializer, and a {@link Session} runs all registered initializers, without feeds, before its first
 * {@code run()}. TensorFlow's own SavedModel loader (and so TF Serving) runs no such thing: it restores the
 * variables and runs the init op the SavedModel names, with the asset paths fed. The heuristic breaks real
 * models: a top-level {@code InitializeTableFromTextFile} op (a vocabulary table) runs before its asset path
 * is fed and fails the load; TF Java's own {@code Init} op would reset restored variables to their initial
 * values on the first request.
 *
 * <p>TF Java has no public switch for this (a session with {@code autoInit=false} refuses to run while
 * registered initializers have not run), so {@link #disarm} calls the package-private
 * {@code Session.markAllInitializersAsRan()} that TF Java's own {@code forceInitialize()} ends with. This is
 * tied to TensorFlow Java 1.1.0, which the build pins, and {@code TfJavaInitializersTest} checks it. If the
 * method cannot be reached, the old behaviour (run TF Java's initializers first, before the restore, so
 * restored values win) is the fallback, with a warning.
 */
final class TfJavaInitializers {

    private static final Logger LOG = LoggerFactory.getLogger(TfJavaInitializers.class);
    private static final Method MARK_ALL_AS_RAN = markAllAsRan();

    private TfJavaInitializers() {
    }

    /** Marks every initializer TF Java registered for the session's graph as already run. */
    static void disarm(Session session) {
        if (MARK_ALL_AS_RAN != null) {
            try {
                MARK_ALL_AS_RAN.invoke(session);
                return;
            } catch (IllegalAccessException | InvocationTargetException e) {
                LOG.warn("Cannot keep TensorFlow Java from running its own initializers ({}); running them before "
                        + "the restore instead", e.toString());
            }
        }
        session.initialize();
    }

    /** Whether {@link #disarm} keeps TF Java's initializers from running (false means the fallback is in use). */
    static boolean available() {
        return MARK_ALL_AS_RAN != null;
    }

    private static Method markAllAsRan() {
        try {
            Method method = Session.class.getDeclaredMethod("markAllInitializersAsRan");
            method.setAccessible(true);
            return method;
        } catch (NoSuchMethodException | RuntimeException e) {
            LOG.warn("TensorFlow Java has no Session.markAllInitializersAsRan() ({}): ops named Init* will run "
                    + "before each model's restore", e.toString());
            return null;
        }
    }
}
