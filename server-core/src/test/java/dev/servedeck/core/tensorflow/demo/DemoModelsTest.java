package dev.servedeck.core.tensorflow.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.servedeck.core.tensorflow.SavedModelLoader;
import dev.servedeck.core.tensorflow.SavedModelServable;
import dev.servedeck.core.tensorflow.TensorflowOptions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;

/** Demo models written by TF Java and served back through {@link SavedModelLoader}. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DemoModelsTest {

    private static final int BATCH = 4;

    @TempDir
    static Path baseDir;

    private Path mlpDir;
    private SavedModelServable mlp;
    private TensorProto images;

    @BeforeAll
    void writeMlp() throws Exception {
        mlpDir = DemoModels.writeMlp(baseDir.resolve("mlp"), 1, 42);
        mlp = new SavedModelLoader(mlpDir, TensorflowOptions.defaults()).load();
        images = randomImages(new Random(7));
    }

    @AfterAll
    void close() {
        if (mlp != null) {
            mlp.close();
        }
    }

    @Test
    void halfPlusTwoIsServable() throws Exception {
        Path version = DemoModels.writeHalfPlusTwo(baseDir.resolve("half_plus_two"), 7);

        assertThat(version).isEqualTo(baseDir.resolve("half_plus_two").resolve("7"));
        assertThat(version.resolve("variables").resolve("variables.index")).exists();
        try (SavedModelServable servable = new SavedModelLoader(version, TensorflowOptions.defaults()).load()) {
            SignatureDef signature = servable.signatureDefs().get("serving_default");
            assertThat(signature.getInputsOrThrow("x").getDtype()).isEqualTo(DataType.DT_FLOAT);
            assertThat(signature.getInputsOrThrow("x").getTensorShape()).isEqualTo(shape(-1, 1));
            TensorProto x = TensorProto.newBuilder().setDtype(DataType.DT_FLOAT).setTensorShape(shape(3))
                    .addFloatVal(2f).addFloatVal(3f).addFloatVal(4f).build();
            assertThat(floats(servable.predict("", Map.of("x", x), Set.of()).get("y"))).containsExactly(3.0f, 3.5f, 4.0f);
        }
    }

    @Test
    void mlpDeclaresTheDocumentedSignature() {
        SignatureDef signature = mlp.signatureDefs().get("serving_default");

        assertThat(signature.getMethodName()).isEqualTo("tensorflow/serving/predict");
        assertThat(signature.getInputsOrThrow("images").getTensorShape()).isEqualTo(shape(-1, 784));
        assertThat(signature.getOutputsOrThrow("probabilities").getTensorShape()).isEqualTo(shape(-1, 10));
        assertThat(signature.getOutputsOrThrow("classes").getDtype()).isEqualTo(DataType.DT_INT64);
        assertThat(signature.getOutputsOrThrow("classes").getTensorShape()).isEqualTo(shape(-1));
    }

    @Test
    void mlpGivesProbabilitiesAndTheirArgmax() {
        Map<String, TensorProto> outputs = mlp.predict("", Map.of("images", images), Set.of());

        float[] probabilities = floats(outputs.get("probabilities"));
        long[] classes = longs(outputs.get("classes"));
        assertThat(probabilities).hasSize(BATCH * 10);
        assertThat(classes).hasSize(BATCH);
        for (int row = 0; row < BATCH; row++) {
            float sum = 0;
            int argmax = 0;
            for (int c = 0; c < 10; c++) {
                float p = probabilities[row * 10 + c];
                assertThat(p).isBetween(0f, 1f);
                sum += p;
                if (p > probabilities[row * 10 + argmax]) {
                    argmax = c;
                }
            }
            assertThat(sum).isCloseTo(1f, within(1e-5f));
            assertThat(classes[row]).isEqualTo(argmax);
        }
    }

    @Test
    void reloadAndReexportWithTheSameSeedGiveIdenticalOutputs() throws Exception {
        Map<String, TensorProto> first = mlp.predict("", Map.of("images", images), Set.of());
        Path again = DemoModels.writeMlp(baseDir.resolve("mlp_again"), 3, 42);

        try (SavedModelServable reloaded = new SavedModelLoader(mlpDir, TensorflowOptions.defaults()).load();
                SavedModelServable reexported = new SavedModelLoader(again, TensorflowOptions.defaults()).load()) {
            assertThat(reloaded.predict("", Map.of("images", images), Set.of())).isEqualTo(first);
            assertThat(reexported.predict("", Map.of("images", images), Set.of())).isEqualTo(first);
        }
    }

    @Test
    void existingVersionsAreNotOverwrittenAndNoTemporaryDirectoryRemains() throws Exception {
        Path models = baseDir.resolve("mlp");

        assertThatThrownBy(() -> DemoModels.writeMlp(models, 1, 1)).isInstanceOf(FileAlreadyExistsException.class);
        try (Stream<Path> entries = Files.list(models)) {
            assertThat(entries.map(p -> p.getFileName().toString())).containsExactly("1");
        }
    }

    private static TensorProto randomImages(Random random) {
        TensorProto.Builder proto = TensorProto.newBuilder().setDtype(DataType.DT_FLOAT).setTensorShape(shape(BATCH, 784));
        for (int i = 0; i < BATCH * 784; i++) {
            proto.addFloatVal(random.nextFloat());
        }
        return proto.build();
    }

    private static TensorShapeProto shape(long... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (long dim : dims) {
            shape.addDimBuilder().setSize(dim);
        }
        return shape.build();
    }

    private static float[] floats(TensorProto proto) {
        ByteBuffer bytes = proto.getTensorContent().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        float[] values = new float[bytes.remaining() / Float.BYTES];
        bytes.asFloatBuffer().get(values);
        return values;
    }

    private static long[] longs(TensorProto proto) {
        ByteBuffer bytes = proto.getTensorContent().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        long[] values = new long[bytes.remaining() / Long.BYTES];
        bytes.asLongBuffer().get(values);
        return values;
    }
}
