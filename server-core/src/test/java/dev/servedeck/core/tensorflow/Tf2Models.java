package dev.servedeck.core.tensorflow;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.StdArrays;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.core.HashTable;
import org.tensorflow.op.core.VarHandleOp;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TString;

/**
 * TF2-style test SavedModels ({@link Tf2SavedModelWriter}), one per shape of model people export today, with
 * answers computable by hand. Each {@code write} method writes version {@code version} under {@code baseDir}
 * and returns the version directory.
 */
public final class Tf2Models {

    /** {@link #writeDense}'s kernel [4,3] and bias [3]: output j = sum_i x_i * KERNEL[i][j] + BIAS[j]. */
    public static final float[][] KERNEL = {{1f, 0f, -1f}, {0.5f, 1f, 0f}, {0f, 2f, 1f}, {-1f, 0f, 0.5f}};
    public static final float[] BIAS = {0.1f, -0.2f, 0.3f};
    /** {@link #writeMultiIo}'s weights for {@code weighted = sum(features * WEIGHTS)}. */
    public static final float[] WEIGHTS = {1f, 10f, 100f};
    /** {@link #writeVocabulary}'s vocabulary file: a word's id is its line number. */
    public static final String VOCABULARY = "apple\nbanana\ncherry\n";

    /** TensorFlow's text-file table initializer: the key is the whole line, the value its line number. */
    private static final long WHOLE_LINE = -2;
    private static final long LINE_NUMBER = -1;

    private Tf2Models() {
    }

    /**
     * A Keras Dense layer as {@code model.export()} writes it: {@code serving_default} and {@code serve}, input
     * {@code inputs} DT_FLOAT [-1,4], output {@code output_0} DT_FLOAT [-1,3]; kernel and bias are resource
     * variables restored from {@code variables/}.
     */
    public static Path writeDense(Path baseDir, long version) throws IOException {
        try (Tf2SavedModelWriter model = new Tf2SavedModelWriter()) {
            model.variable("dense/kernel", TFloat32.tensorOf(StdArrays.ndCopyOf(KERNEL)));
            model.variable("dense/bias", TFloat32.vectorOf(BIAS));
            for (String key : new String[] {"serving_default", "serve"}) {
                model.signature(key).input("inputs", TFloat32.class, Shape.of(-1, 4)).body((fn, in) -> {
                    var kernel = Tf2SavedModelWriter.read(fn, "dense/kernel", TFloat32.class, Shape.of(4, 3));
                    var bias = Tf2SavedModelWriter.read(fn, "dense/bias", TFloat32.class, Shape.of(3));
                    @SuppressWarnings("unchecked")
                    Operand<TFloat32> x = (Operand<TFloat32>) in.get("inputs");
                    return Map.of("output_0", fn.math.add(fn.linalg.matMul(x, kernel), bias));
                });
            }
            return model.write(baseDir.resolve(Long.toString(version)));
        }
    }

    /**
     * {@link dev.servedeck.core.tensorflow.demo.DemoModels#writeMlp}'s 784-512-512-10 perceptron with the same
     * weights for the same seed, exported TF2-style (resource variables restored by a function, the signature a
     * function call): the same model in both layouts, for comparing load times.
     */
    public static Path writeMlp(Path baseDir, long version, long seed) throws IOException {
        int[] sizes = {784, 512, 512, 10};
        String[] layers = {"dense1", "dense2", "logits"};
        Random random = new Random(seed);
        try (Tf2SavedModelWriter model = new Tf2SavedModelWriter()) {
            for (int layer = 0; layer < layers.length; layer++) {
                int inputs = sizes[layer];
                int outputs = sizes[layer + 1];
                // The draw order of DemoModels.dense: He-initialised weights, zero biases.
                float[] weights = new float[inputs * outputs];
                double stddev = Math.sqrt(2.0 / inputs);
                for (int i = 0; i < weights.length; i++) {
                    weights[i] = (float) (random.nextGaussian() * stddev);
                }
                model.variable(layers[layer] + "/kernel", TFloat32.tensorOf(Shape.of(inputs, outputs),
                        DataBuffers.of(weights, true, false)));
                // TFloat32.tensorOf(shape) alone leaves native memory uninitialised: copy zeros in.
                model.variable(layers[layer] + "/bias",
                        TFloat32.tensorOf(Shape.of(outputs), DataBuffers.ofFloats(outputs)));
            }
            model.signature("serving_default").input("images", TFloat32.class, Shape.of(-1, sizes[0])).body((fn, in) -> {
                @SuppressWarnings("unchecked")
                Operand<TFloat32> x = (Operand<TFloat32>) in.get("images");
                for (int layer = 0; layer < layers.length; layer++) {
                    var kernel = Tf2SavedModelWriter.read(fn, layers[layer] + "/kernel", TFloat32.class,
                            Shape.of(sizes[layer], sizes[layer + 1]));
                    var bias = Tf2SavedModelWriter.read(fn, layers[layer] + "/bias", TFloat32.class,
                            Shape.of(sizes[layer + 1]));
                    Operand<TFloat32> dense = fn.math.add(fn.linalg.matMul(x, kernel), bias);
                    x = layer < layers.length - 1 ? fn.nn.relu(dense) : dense;
                }
                return Map.of("probabilities", fn.nn.softmax(x),
                        "classes", fn.math.argMax(x, fn.constant(1), TInt64.class));
            });
            return model.write(baseDir.resolve(Long.toString(version)));
        }
    }

    /**
     * A multi-input, multi-output model: inputs {@code features} DT_FLOAT [-1,3], {@code ids} DT_INT64 [-1],
     * {@code text} DT_STRING [-1]; outputs {@code weighted} = sum(features * WEIGHTS) DT_FLOAT [-1],
     * {@code next_ids} = ids + 1 DT_INT64 [-1], {@code text_length} DT_INT32 [-1] (bytes) and {@code shout}
     * = upper(text) DT_STRING [-1].
     */
    public static Path writeMultiIo(Path baseDir, long version) throws IOException {
        try (Tf2SavedModelWriter model = new Tf2SavedModelWriter()) {
            model.variable("weights", TFloat32.vectorOf(WEIGHTS));
            model.signature("serving_default")
                    .input("features", TFloat32.class, Shape.of(-1, 3))
                    .input("ids", TInt64.class, Shape.of(-1))
                    .input("text", TString.class, Shape.of(-1))
                    .body((fn, in) -> {
                        @SuppressWarnings("unchecked")
                        Operand<TFloat32> features = (Operand<TFloat32>) in.get("features");
                        @SuppressWarnings("unchecked")
                        Operand<TInt64> ids = (Operand<TInt64>) in.get("ids");
                        @SuppressWarnings("unchecked")
                        Operand<TString> text = (Operand<TString>) in.get("text");
                        var weights = Tf2SavedModelWriter.read(fn, "weights", TFloat32.class, Shape.of(3));
                        return Map.of(
                                "weighted", fn.reduceSum(fn.math.mul(features, weights), fn.constant(1)),
                                "next_ids", fn.math.add(ids, fn.constant(1L)),
                                "text_length", fn.strings.stringLength(text),
                                "shout", fn.strings.upper(text));
                    });
            return model.write(baseDir.resolve(Long.toString(version)));
        }
    }

    /** {@link #writeVocabulary}'s restored variable; its initializer derives {@code offset + 1} from it. */
    public static final float OFFSET = 5f;

    /**
     * A vocabulary lookup: a hash table filled from the asset file {@code vocab.txt} by the model's
     * initializer ({@code __saved_model_init_op}); {@code serving_default} maps {@code words} DT_STRING [-1] to
     * {@code ids} DT_INT64 [-1] (the line number, -1 for words not in the file). The initializer also sets
     * variable {@code derived} to the restored variable {@code offset} + 1, which signature {@code derived}
     * (input {@code dummy}, any float) returns: it answers {@code OFFSET + 1} only if the initializer ran after
     * the restore.
     */
    public static Path writeVocabulary(Path baseDir, long version) throws IOException {
        try (Tf2SavedModelWriter model = new Tf2SavedModelWriter()) {
            var tf = model.ops();
            var table = tf.withName("vocabulary").hashTable(TString.class, TInt64.class,
                    HashTable.sharedName("vocabulary"));
            model.initializer(tf.initializeTableFromTextFile(table, model.asset("vocab.txt", VOCABULARY),
                    WHOLE_LINE, LINE_NUMBER));
            model.variable("offset", TFloat32.scalarOf(OFFSET));
            var offset = Tf2SavedModelWriter.read(tf, "offset", TFloat32.class, Shape.scalar());
            model.initializer(tf.assignVariableOp(tf.withName("derived_handle").varHandleOp(TFloat32.class,
                    Shape.scalar(), VarHandleOp.sharedName("derived")), tf.math.add(offset, tf.constant(1f))));
            model.signature("derived").input("dummy", TFloat32.class, Shape.unknown()).body((fn, in) ->
                    Map.of("value", Tf2SavedModelWriter.read(fn, "derived", TFloat32.class, Shape.scalar())));
            model.signature("serving_default").input("words", TString.class, Shape.of(-1)).body((fn, in) -> {
                var lookup = fn.hashTable(TString.class, TInt64.class, HashTable.sharedName("vocabulary"));
                return Map.of("ids", fn.lookupTableFind(lookup, in.get("words"), fn.constant(-1L)));
            });
            return model.write(baseDir.resolve(Long.toString(version)));
        }
    }

    /**
     * Inputs of unknown rank and a default, and no {@code serving_default}: {@code scale} maps {@code x}
     * (DT_FLOAT, unknown rank) and {@code factor} (DT_FLOAT scalar, default 2.0) to {@code y = x * factor};
     * {@code total} maps {@code values} (DT_FLOAT [-1,-1]) to {@code sum} (a DT_FLOAT scalar) and
     * {@code count} (DT_INT32 scalar, the number of elements).
     */
    public static Path writeUnknownRank(Path baseDir, long version) throws IOException {
        try (Tf2SavedModelWriter model = new Tf2SavedModelWriter();
                TFloat32 two = TFloat32.scalarOf(2f)) {
            model.signature("scale")
                    .input("x", TFloat32.class, Shape.unknown())
                    .inputWithDefault("factor", two)
                    .body((fn, in) -> {
                        @SuppressWarnings("unchecked")
                        Operand<TFloat32> x = (Operand<TFloat32>) in.get("x");
                        @SuppressWarnings("unchecked")
                        Operand<TFloat32> factor = (Operand<TFloat32>) in.get("factor");
                        return Map.of("y", fn.math.mul(x, factor));
                    });
            model.signature("total").input("values", TFloat32.class, Shape.of(-1, -1)).body((fn, in) -> {
                @SuppressWarnings("unchecked")
                Operand<TFloat32> values = (Operand<TFloat32>) in.get("values");
                Operand<TInt32> count = fn.size(values, TInt32.class);
                return Map.of("sum", fn.reduceSum(values, fn.constant(new int[] {0, 1})), "count", count);
            });
            return model.write(baseDir.resolve(Long.toString(version)));
        }
    }
}
