package dev.servedeck.core.tensorflow;

import static dev.servedeck.core.tensorflow.TestTensors.floatValues;
import static dev.servedeck.core.tensorflow.TestTensors.floats;
import static dev.servedeck.core.tensorflow.TestTensors.shape;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/** TensorFlow Java's own "initializers" (ops named Init*) never run in a loaded model, as in TensorFlow's loader. */
class TfJavaInitializersTest {

    @TempDir
    Path dir;

    @Test
    void tensorflowJavaStillHasTheHookThisServerReliesOn() {
        // If this fails after a TensorFlow Java upgrade, TfJavaInitializers falls back to running TF Java's
        // initializers before the restore: vocabulary models whose table init is a top-level Init* op break.
        assertThat(TfJavaInitializers.available()).isTrue();
    }

    @Test
    void restoredValuesWinOverTheInitialValuesTensorflowJavaRegistered() throws Exception {
        Path exportDir = dir.resolve("1");
        try (Graph graph = new Graph(); Session session = new Session(graph)) {
            Ops tf = Ops.create(graph);
            var x = tf.withName("x").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1)));
            var weight = tf.withName("weight").variable(tf.constant(1f));
            var y = tf.withName("y").math.mul(x, weight);
            session.initialize();
            // Trained: the checkpoint holds 3, while TF Java's Init op would set 1 again.
            session.runner().addTarget(tf.assign(weight, tf.constant(3f))).run().close();
            SavedModelBundle.exporter(exportDir.toString()).withSession(session)
                    .withSignature(Signature.builder().input("x", x).output("y", y).build()).export();
        }

        try (SavedModelServable servable = new SavedModelLoader(exportDir, TensorflowOptions.defaults()).load()) {
            var out = servable.predict("", Map.of("x", floats(shape(2), 1f, 2f)), Set.of());
            assertThat(floatValues(out.get("y"))).containsExactly(3f, 6f);
        }
    }
}
