package dev.servedeck.console.kit;

import dev.servedeck.console.backend.Failures;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Supplier;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a page shows about the one operation it lets the operator run at a time, against a server that may be
 * slow or gone: busy (with what it is doing) while the call runs, then a notice of what it did, or the
 * server's message for what failed. Every page's actions go through one of these, so every page shows a slow
 * or failing server the same way.
 *
 * <p>Call on the FX thread. The backend call only starts the work (it returns a future); the outcome comes
 * back through {@code ui}, so the FX thread never waits for the server. A second operation while one runs is
 * refused with a failure that names the running one: two writes racing each other on a remote server would
 * leave the operator guessing which one won.
 */
public final class OperationState {

    private static final Logger LOG = LoggerFactory.getLogger(OperationState.class);

    private final Executor ui;
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyStringWrapper busyText = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper notice = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper failure = new ReadOnlyStringWrapper("");

    /** @param ui runs the outcome on the FX thread ({@code Platform::runLater}; tests pass a direct executor) */
    public OperationState(Executor ui) {
        this.ui = ui;
    }

    /**
     * Runs one operation.
     *
     * @param doing shown while it runs ("Loading mlp version 2"); also names it in the log
     * @param call starts the work; a call that throws counts as a failed operation
     * @param onSuccess runs on the FX thread with the result and returns the notice to show ("" for none)
     * @param failurePrefix put before the server's message when it fails ("Could not load version 2: ")
     * @return completes (never exceptionally) once the outcome is shown; at once when refused
     */
    public <T> CompletableFuture<Void> run(String doing, Supplier<CompletableFuture<T>> call,
            Function<? super T, String> onSuccess, String failurePrefix) {
        if (busy.get()) {
            failure.set("Wait for \"" + busyText.get() + "\" to finish");
            return CompletableFuture.completedFuture(null);
        }
        busy.set(true);
        busyText.set(doing + "…");
        failure.set("");
        notice.set("");
        CompletableFuture<T> started;
        try {
            started = call.get();
        } catch (RuntimeException e) {
            started = CompletableFuture.failedFuture(e);
        }
        CompletableFuture<Void> shown = new CompletableFuture<>();
        started.whenComplete((result, error) -> ui.execute(() -> {
            try {
                busy.set(false);
                busyText.set("");
                if (error == null) {
                    notice.set(onSuccess.apply(result));
                } else {
                    LOG.debug("{} failed", doing, error);
                    failure.set(failurePrefix + Failures.message(error));
                }
            } finally {
                shown.complete(null);
            }
        }));
        return shown;
    }

    /** Shows a notice that no operation produced (e.g. "Reverted"); clears the failure. */
    public void showNotice(String text) {
        failure.set("");
        notice.set(text);
    }

    /** Shows a failure that no operation produced (e.g. an input that cannot be sent); clears the notice. */
    public void showFailure(String text) {
        notice.set("");
        failure.set(text);
    }

    /** Clears the failure: what it was about has changed (the operator edited what the server refused). */
    public void dismissFailure() {
        failure.set("");
    }

    /** Clears notice and failure (not busy: the running operation still reports when it ends). */
    public void clear() {
        notice.set("");
        failure.set("");
    }

    public boolean isBusy() {
        return busy.get();
    }

    public ReadOnlyBooleanProperty busyProperty() {
        return busy.getReadOnlyProperty();
    }

    /** What the running operation does ("Loading mlp version 2…"); empty when none runs. */
    public ReadOnlyStringProperty busyTextProperty() {
        return busyText.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty noticeProperty() {
        return notice.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty failureProperty() {
        return failure.getReadOnlyProperty();
    }
}
