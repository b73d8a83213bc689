package dev.servedeck.bench;

import com.google.protobuf.ByteString;
import dev.servedeck.core.tensorflow.SavedModelLoader;
import dev.servedeck.core.tensorflow.SavedModelServable;
import dev.servedeck.core.tensorflow.TensorflowOptions;
import dev.servedeck.core.tensorflow.Tf2Models;
import dev.servedeck.core.tensorflow.demo.DemoModels;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;

/**
 * Load time of the demo MLP (784-512-512-10, 2.4 MB of weights) exported TF1-style (TensorFlow Java's exporter,
 * as DemoModels writes it) and TF2-style (tf.saved_model.save's layout: the signature a function call, resource
 * variables restored by a function, an {@code __saved_model_init_op}), with the same weights, loaded in this
 * JVM by ServeDeck's own loader. The two layouts alternate load by load, so a noisy moment hits both.
 */
final class LoadTimeSuite {

    private static final long SEED = 7;
    /** Loads of each layout not counted: the first ones pay for class loading and JIT. */
    private static final int WARM_UP_LOADS = 3;

    /** Measured loads of each layout: 15 each take under a minute and give a stable median. */
    private static final int LOADS = 15;

    /** Writes both layouts into a new folder under {@code parent} and loads each one alternately. */
    List<LoadTimeResult> run(Path parent) throws IOException {
        Path dir = Files.createTempDirectory(Files.createDirectories(parent), "run-");
        Path tf1 = DemoModels.writeMlp(dir.resolve("mlp-tf1"), 1, SEED);
        Path tf2 = Tf2Models.writeMlp(dir.resolve("mlp-tf2"), 1, SEED);
        Map<String, TensorProto> input = Map.of("images", image());
        float[] expected = answer(tf1, input);
        float[] actual = answer(tf2, input);
        if (!Arrays.equals(expected, actual)) {
            throw new IllegalStateException("The TF1 and TF2 MLPs disagree: not the same model");
        }
        for (int i = 0; i < WARM_UP_LOADS; i++) {
            timeLoad(tf1, input);
            timeLoad(tf2, input);
        }
        double[][] tf1Times = new double[2][LOADS];
        double[][] tf2Times = new double[2][LOADS];
        for (int i = 0; i < LOADS; i++) {
            double[] one = timeLoad(tf1, input);
            double[] two = timeLoad(tf2, input);
            tf1Times[0][i] = one[0];
            tf1Times[1][i] = one[1];
            tf2Times[0][i] = two[0];
            tf2Times[1][i] = two[1];
            System.out.printf("Load %d: TF1 %.1f ms (first answer %.1f), TF2 %.1f ms (first answer %.1f)%n", i + 1,
                    one[0], one[1], two[0], two[1]);
        }
        return List.of(new LoadTimeResult("TF1", tf1Times[0], tf1Times[1]),
                new LoadTimeResult("TF2", tf2Times[0], tf2Times[1]));
    }

    /** Milliseconds to load, and to load and answer once. */
    private static double[] timeLoad(Path versionDir, Map<String, TensorProto> input) {
        long start = System.nanoTime();
        try (SavedModelServable servable = new SavedModelLoader(versionDir, TensorflowOptions.defaults()).load()) {
            long loaded = System.nanoTime();
            servable.predict("", input, Set.of("classes"));
            long answered = System.nanoTime();
            return new double[] {(loaded - start) / 1e6, (answered - start) / 1e6};
        }
    }

    private static float[] answer(Path versionDir, Map<String, TensorProto> input) {
        try (SavedModelServable servable = new SavedModelLoader(versionDir, TensorflowOptions.defaults()).load()) {
            ByteBuffer content = servable.predict("", input, Set.of("probabilities")).get("probabilities")
                    .getTensorContent().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            float[] values = new float[content.remaining() / Float.BYTES];
            content.asFloatBuffer().get(values);
            return values;
        }
    }

    private static TensorProto image() {
        ByteBuffer pixels = ByteBuffer.allocate(784 * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 784; i++) {
            pixels.putFloat((i % 17) / 17f);
        }
        return TensorProto.newBuilder().setDtype(DataType.DT_FLOAT)
                .setTensorShape(TensorShapeProto.newBuilder().addDim(TensorShapeProto.Dim.newBuilder().setSize(1))
                        .addDim(TensorShapeProto.Dim.newBuilder().setSize(784)))
                .setTensorContent(ByteString.copyFrom(pixels.flip()))
                .build();
    }
}
