package dev.servedeck.core.tensorflow.demo;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * Writes small demo SavedModels with TensorFlow Java, so the project needs no Python to have models to
 * serve. Each version is exported into a hidden temporary directory beside it and then renamed into
 * place, so a server polling {@code baseDir} never sees a half-written version.
 */
public final class DemoModels {

    private static final Logger LOG = LoggerFactory.getLogger(DemoModels.class);

    private static final String PREDICT_METHOD = "tensorflow/serving/predict";
    private static final int MLP_INPUTS = 784;
    private static final int MLP_HIDDEN = 512;
    private static final int MLP_CLASSES = 10;

    private DemoModels() {
    }

    /**
     * TF Serving's classic test model: {@code serving_default} maps input {@code x} (DT_FLOAT [-1,1]) to
     * {@code y = 0.5 * x + 2}. The constants are variables, so the export has a {@code variables/} folder
     * like real models.
     *
     * @return the version directory ({@code baseDir/version})
     */
    public static Path writeHalfPlusTwo(Path baseDir, long version) throws IOException {
        return writeVersion(baseDir, version, exportDir -> {
            try (Graph graph = new Graph(); Session session = new Session(graph)) {
                Ops tf = Ops.create(graph);
                var x = tf.withName("x").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 1)));
                var a = tf.withName("a").variable(tf.constant(0.5f));
                var b = tf.withName("b").variable(tf.constant(2f));
                var y = tf.withName("y").math.add(tf.math.mul(x, a), b);
                export(exportDir, session, Signature.builder().key(Signature.DEFAULT_KEY).methodName(PREDICT_METHOD)
                        .input("x", x).output("y", y).build());
            }
        });
    }

    /**
     * A 784-512-512-10 multilayer perceptron (ReLU hidden layers, softmax output) with weights drawn
     * from a seeded generator, so equal seeds give equal models. {@code serving_default}: input
     * {@code images} (DT_FLOAT [-1,784]) to {@code probabilities} (DT_FLOAT [-1,10]) and {@code classes}
     * (DT_INT64 [-1], the argmax).
     *
     * @return the version directory ({@code baseDir/version})
     */
    public static Path writeMlp(Path baseDir, long version, long seed) throws IOException {
        return writeVersion(baseDir, version, exportDir -> {
            try (Graph graph = new Graph(); Session session = new Session(graph)) {
                Ops tf = Ops.create(graph);
                Random random = new Random(seed);
                var images = tf.withName("images").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, MLP_INPUTS)));
                Operand<TFloat32> hidden1 = tf.nn.relu(dense(tf, random, "dense1", images, MLP_INPUTS, MLP_HIDDEN));
                Operand<TFloat32> hidden2 = tf.nn.relu(dense(tf, random, "dense2", hidden1, MLP_HIDDEN, MLP_HIDDEN));
                Operand<TFloat32> logits = dense(tf, random, "logits", hidden2, MLP_HIDDEN, MLP_CLASSES);
                var probabilities = tf.withName("probabilities").nn.softmax(logits);
                var classes = tf.withName("classes").math.argMax(logits, tf.constant(1), TInt64.class);
                export(exportDir, session, Signature.builder().key(Signature.DEFAULT_KEY).methodName(PREDICT_METHOD)
                        .input("images", images).output("probabilities", probabilities).output("classes", classes)
                        .build());
            }
        });
    }

    /** {@code input x W + b} with He-initialised weights (normal, stddev sqrt(2 / inputs)) and zero biases. */
    private static Operand<TFloat32> dense(Ops tf, Random random, String name, Operand<TFloat32> input, int inputs,
            int outputs) {
        float[] weights = new float[inputs * outputs];
        double stddev = Math.sqrt(2.0 / inputs);
        for (int i = 0; i < weights.length; i++) {
            weights[i] = (float) (random.nextGaussian() * stddev);
        }
        var w = tf.withName(name + "_weights")
                .variable(tf.constant(Shape.of(inputs, outputs), DataBuffers.of(weights, true, false)));
        var b = tf.withName(name + "_biases").variable(tf.constant(Shape.of(outputs), DataBuffers.ofFloats(outputs)));
        return tf.math.add(tf.linalg.matMul(input, w), b);
    }

    private static void export(Path exportDir, Session session, Signature signature) throws IOException {
        session.initialize();
        SavedModelBundle.exporter(exportDir.toString()).withSession(session).withSignature(signature).export();
    }

    private static Path writeVersion(Path baseDir, long version, Exporter exporter) throws IOException {
        if (version < 0) {
            throw new IllegalArgumentException("version must be >= 0, was " + version);
        }
        Files.createDirectories(baseDir);
        Path target = baseDir.resolve(Long.toString(version));
        if (Files.exists(target)) {
            throw new FileAlreadyExistsException(target.toString(), null, "version already exists");
        }
        // Hidden and non-numeric: version polling skips it until the rename below.
        Path temp = Files.createTempDirectory(baseDir, ".tmp-" + version + "-");
        try {
            exporter.export(temp);
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            deleteRecursively(temp);
            throw e;
        }
        LOG.info("Wrote demo SavedModel {}", target);
        return target;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    @FunctionalInterface
    private interface Exporter {
        void export(Path exportDir) throws IOException;
    }
}
