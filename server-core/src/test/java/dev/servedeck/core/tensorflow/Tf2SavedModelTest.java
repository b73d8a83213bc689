package dev.servedeck.core.tensorflow;

import static dev.servedeck.core.tensorflow.TestTensors.floatValues;
import static dev.servedeck.core.tensorflow.TestTensors.floats;
import static dev.servedeck.core.tensorflow.TestTensors.longValues;
import static dev.servedeck.core.tensorflow.TestTensors.shape;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.google.protobuf.ByteString;
import dev.servedeck.core.status.Code;
import dev.servedeck.core.status.ServingException;
import dev.servedeck.core.wire.Shapes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.SavedModel;
import org.tensorflow.proto.TensorProto;

/** TF2-style SavedModels written by {@link Tf2SavedModelWriter}: each rule of the TF2 layout, on the servable. */
class Tf2SavedModelTest {

    @TempDir
    Path dir;

    private static SavedModelServable load(Path versionDir) {
        return new SavedModelLoader(versionDir, TensorflowOptions.defaults()).load();
    }

    @Test
    void aKerasDenseLayerRestoresItsVariablesAndAnswersOnEverySignature() throws Exception {
        try (SavedModelServable dense = load(Tf2Models.writeDense(dir, 1))) {
            assertThat(dense.signatureDefs()).containsOnlyKeys("serving_default", "serve");
            assertThat(dense.signatureDefs().get("serving_default").getOutputsMap().get("output_0").getName())
                    .contains("PartitionedCall");
            float[] x = {1f, 2f, 3f, 4f};
            for (String signature : List.of("", "serve")) {
                Map<String, TensorProto> out = dense.predict(signature, Map.of("inputs", floats(shape(1, 4), x)), Set.of());
                assertThat(TestTensors.dims(out.get("output_0"))).containsExactly(1, 3);
                assertThat(floatValues(out.get("output_0"))).containsExactly(dense(x), within(1e-5f));
            }
        }
    }

    @Test
    void theInitOpIsNeverASignature() throws Exception {
        try (SavedModelServable model = load(Tf2Models.writeVocabulary(dir, 1))) {
            assertThat(model.signatureDefs()).doesNotContainKey("__saved_model_init_op");
            assertThatThrownBy(() -> model.predict("__saved_model_init_op", Map.of(), Set.of()))
                    .isInstanceOf(ServingException.class)
                    .hasMessageStartingWith("Serving signature key \"__saved_model_init_op\" not found.");
        }
    }

    @Test
    void theInitializerRunsAfterTheRestoreAndReadsAssetsFromTheVersionFolder() throws Exception {
        try (SavedModelServable vocabulary = load(Tf2Models.writeVocabulary(dir, 1))) {
            Map<String, TensorProto> ids = vocabulary.predict("", Map.of("words",
                    strings("cherry", "apple", "durian", "banana")), Set.of());
            assertThat(ids.get("ids").getDtype()).isEqualTo(DataType.DT_INT64);
            assertThat(longValues(ids.get("ids"))).containsExactly(2, 0, -1, 1);

            Map<String, TensorProto> derived = vocabulary.predict("derived", Map.of("dummy", floats(shape(), 0f)),
                    Set.of());
            assertThat(floatValues(derived.get("value"))).containsExactly(Tf2Models.OFFSET + 1);
        }
    }

    @Test
    void anAssetOutsideTheVersionFolderIsALoadError() throws Exception {
        Path version = Tf2Models.writeVocabulary(dir, 1);
        Files.writeString(dir.resolve("secret.txt"), "apple\n");
        Path savedModel = version.resolve("saved_model.pb");
        SavedModel model = SavedModel.parseFrom(Files.readAllBytes(savedModel));
        SavedModel.Builder escaped = model.toBuilder();
        escaped.getMetaGraphsBuilder(0).getAssetFileDefBuilder(0).setFilename("../../secret.txt");
        Files.write(savedModel, escaped.build().toByteArray());

        assertThatThrownBy(() -> load(version))
                .isInstanceOf(ServingException.class)
                .hasMessageContaining("asset file \"../../secret.txt\" is not inside the version's assets/ folder");
    }

    @Test
    void multipleInputsAndOutputsOfEveryDtypeKind() throws Exception {
        try (SavedModelServable model = load(Tf2Models.writeMultiIo(dir, 1))) {
            Map<String, TensorProto> out = model.predict("", Map.of(
                    "features", floats(shape(2, 3), 1f, 2f, 3f, 0.5f, 0f, 0f),
                    "ids", TensorProto.newBuilder().setDtype(DataType.DT_INT64).setTensorShape(Shapes.of(2))
                            .addInt64Val(41).addInt64Val(9_000_000_000L).build(),
                    "text", strings("ab", "héllo")), Set.of());

            assertThat(out).containsOnlyKeys("weighted", "next_ids", "text_length", "shout");
            assertThat(floatValues(out.get("weighted"))).containsExactly(321f, 0.5f);
            assertThat(longValues(out.get("next_ids"))).containsExactly(42, 9_000_000_001L);
            assertThat(out.get("text_length").getDtype()).isEqualTo(DataType.DT_INT32);
            assertThat(out.get("shout").getStringValList()).extracting(ByteString::toStringUtf8)
                    .containsExactly("AB", "HéLLO");
            assertThat(model.predict("", Map.of(
                    "features", floats(shape(1, 3), 1f, 1f, 1f),
                    "ids", TensorProto.newBuilder().setDtype(DataType.DT_INT64).setTensorShape(Shapes.of(1))
                            .addInt64Val(1).build(),
                    "text", strings("x")), Set.of("next_ids"))).containsOnlyKeys("next_ids");
        }
    }

    @Test
    void unknownRankInputsTakeAnyShapeAndDefaultsMayBeLeftOut() throws Exception {
        try (SavedModelServable model = load(Tf2Models.writeUnknownRank(dir, 1))) {
            assertThat(model.signatureDefs().get("scale").getInputsMap().get("x").getTensorShape().getUnknownRank())
                    .isTrue();
            assertThat(floatValues(model.predict("scale", Map.of("x", floats(shape(), 3f)), Set.of()).get("y")))
                    .containsExactly(6f);
            Map<String, TensorProto> matrix = model.predict("scale", Map.of("x", floats(shape(2, 2), 1f, 2f, 3f, 4f),
                    "factor", floats(shape(), 10f)), Set.of());
            assertThat(TestTensors.dims(matrix.get("y"))).containsExactly(2, 2);
            assertThat(floatValues(matrix.get("y"))).containsExactly(10f, 20f, 30f, 40f);

            Map<String, TensorProto> total = model.predict("total", Map.of("values", floats(shape(2, 3),
                    1f, 2f, 3f, 4f, 5f, 6f)), Set.of());
            assertThat(floatValues(total.get("sum"))).containsExactly(21f);
            assertThat(TestTensors.dims(total.get("sum"))).isEmpty();
        }
    }

    @Test
    void withoutServingDefaultTheErrorNamesTheSignatures() throws Exception {
        try (SavedModelServable model = load(Tf2Models.writeUnknownRank(dir, 1))) {
            assertThatThrownBy(() -> model.predict("", Map.of("x", floats(shape(), 1f)), Set.of()))
                    .isInstanceOf(ServingException.class)
                    .satisfies(e -> assertThat(((ServingException) e).code()).isEqualTo(Code.FAILED_PRECONDITION))
                    .hasMessage("Serving signature key \"serving_default\" not found. Signatures of this model: scale, "
                            + "total.");
        }
    }

    @Test
    void aShapeTheGraphRefusesFailsWithTensorflowsErrorAndTheDeclaredShape() throws Exception {
        try (SavedModelServable dense = load(Tf2Models.writeDense(dir, 1))) {
            assertThatThrownBy(() -> dense.predict("", Map.of("inputs", floats(shape(1, 3), 1f, 2f, 3f)), Set.of()))
                    .isInstanceOf(ServingException.class)
                    .satisfies(e -> assertThat(((ServingException) e).code()).isEqualTo(Code.INVALID_ARGUMENT))
                    .hasMessageContaining("input 'inputs' was sent with shape [1,3]; the signature declares [-1,4]");
        }
    }

    @Test
    void theTf2StyleMlpAnswersAsTheTf1StyleOneWithTheSameWeights() throws Exception {
        Path tf1 = dev.servedeck.core.tensorflow.demo.DemoModels.writeMlp(dir.resolve("tf1"), 1, 7);
        Path tf2 = Tf2Models.writeMlp(dir.resolve("tf2"), 1, 7);
        float[] image = new float[784];
        for (int i = 0; i < image.length; i++) {
            image[i] = (i % 17) / 17f;
        }
        Map<String, TensorProto> input = Map.of("images", floats(shape(1, 784), image));
        try (SavedModelServable one = load(tf1); SavedModelServable two = load(tf2)) {
            Map<String, TensorProto> expected = one.predict("", input, Set.of());
            Map<String, TensorProto> actual = two.predict("", input, Set.of());
            assertThat(floatValues(actual.get("probabilities")))
                    .containsExactly(floatValues(expected.get("probabilities")), within(1e-5f));
            assertThat(longValues(actual.get("classes"))).containsExactly(longValues(expected.get("classes")));
        }
    }

    static float[] dense(float[] x) {
        float[] out = new float[3];
        for (int j = 0; j < 3; j++) {
            out[j] = Tf2Models.BIAS[j];
            for (int i = 0; i < 4; i++) {
                out[j] += x[i] * Tf2Models.KERNEL[i][j];
            }
        }
        return out;
    }

    static TensorProto strings(String... values) {
        TensorProto.Builder proto = TensorProto.newBuilder().setDtype(DataType.DT_STRING)
                .setTensorShape(Shapes.of(values.length));
        for (String value : values) {
            proto.addStringVal(ByteString.copyFromUtf8(value));
        }
        return proto.build();
    }
}
