package dev.servedeck.core.tensorflow;

import static dev.servedeck.core.tensorflow.HalfPlusTwoServableTest.assertStatus;
import static dev.servedeck.core.tensorflow.TestTensors.floatValues;
import static dev.servedeck.core.tensorflow.TestTensors.floats;
import static dev.servedeck.core.tensorflow.TestTensors.shape;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.servedeck.core.servable.ExampleBatch;
import dev.servedeck.core.status.Code;
import dev.servedeck.core.status.ServingException;
import dev.servedeck.core.testing.TfServingTestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.proto.TensorProto;

/** The other models of TF Serving's test data, and directories that are not loadable SavedModels. */
class TfServingModelsTest {

    private static SavedModelServable load(String model, String version) {
        return new SavedModelLoader(TfServingTestData.version(model, version), TensorflowOptions.defaults()).load();
    }

    @Test
    void halfPlusThreeLoadsAlthoughTfJavaRejectsIt() {
        Path dir = TfServingTestData.version("saved_model_half_plus_three", "00000123");
        // The premise: TF Java's own loader refuses the model because of one legacy signature.
        assertThatThrownBy(() -> SavedModelBundle.load(dir.toString(), "serve").close())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tf_example:0");

        try (SavedModelServable servable = load("saved_model_half_plus_three", "00000123")) {
            assertThat(servable.signatureDefs()).containsOnlyKeys("serving_default", "tensorflow/serving/regress");
            assertThat(floatValues(servable.predict("", Map.of("x", floats(shape(3), 1f, 2f, 3f)), Set.of()).get("y")))
                    .containsExactly(3.5f, 4.0f, 4.5f);
            // Regress feeds strings to tf_example:0, as TF Serving does, whatever the signature declares.
            assertThat(servable.regress("tensorflow/serving/regress",
                    ExampleBatch.of(List.of(TestTensors.example("x", 2f))))).containsExactly(4.0f);
            // Predict would have to feed the declared DT_FLOAT: the bad signature fails only when called.
            assertStatus(() -> servable.predict("tensorflow/serving/regress",
                            Map.of("inputs", floats(shape(1), 1f)), Set.of()), Code.FAILED_PRECONDITION,
                    "Signature \"tensorflow/serving/regress\" cannot be run: its input 'inputs' is tensor tf_example:0 "
                            + "of dtype DT_STRING in the graph, but the signature declares DT_FLOAT");
        }
    }

    @Test
    void bothVersionsOfTheTwoVersionModelLoadAndAnswer() {
        for (String version : List.of("00000123", "00000124")) {
            try (SavedModelServable servable = load("saved_model_half_plus_two_2_versions", version)) {
                Map<String, TensorProto> outputs = servable.predict("", Map.of("x", floats(shape(3), 2f, 3f, 4f)), Set.of());
                assertThat(floatValues(outputs.get("y"))).as("version %s", version).containsExactly(3.0f, 3.5f, 4.0f);
            }
        }
    }

    @Test
    void counterKeepsItsStateForTheLifeOfTheServable() {
        try (SavedModelServable servable = load("saved_model_counter", "00000123")) {
            assertThat(servable.signatureDefs()).containsKeys("get_counter", "incr_counter", "incr_counter_by", "reset_counter");
            assertThat(counter(servable, "get_counter", Map.of())).isEqualTo(0f);
            assertThat(counter(servable, "incr_counter", Map.of())).isEqualTo(1f);
            assertThat(counter(servable, "incr_counter", Map.of())).isEqualTo(2f);
            assertThat(counter(servable, "incr_counter_by", Map.of("delta", floats(shape(), 3f)))).isEqualTo(5f);
            assertThat(counter(servable, "get_counter", Map.of())).isEqualTo(5f);
            assertThat(counter(servable, "reset_counter", Map.of())).isEqualTo(0f);
            assertThat(counter(servable, "get_counter", Map.of())).isEqualTo(0f);
        }
        try (SavedModelServable reloaded = load("saved_model_counter", "00000123")) {
            assertThat(counter(reloaded, "get_counter", Map.of())).isEqualTo(0f);
        }
    }

    private static float counter(SavedModelServable servable, String signature, Map<String, TensorProto> inputs) {
        TensorProto output = servable.predict(signature, inputs, Set.of()).get("output");
        assertThat(TestTensors.dims(output)).isEmpty();
        return floatValues(output)[0];
    }

    @Test
    void sessionBundleExportFailsWithOneClearLine() {
        Path dir = TfServingTestData.version("bad_half_plus_two", "00000123");

        assertThatThrownBy(() -> new SavedModelLoader(dir, TensorflowOptions.defaults()).load())
                .isInstanceOf(ServingException.class)
                .hasMessageContaining("Could not find SavedModel .pb or .pbtxt at supplied export directory path: " + dir)
                .hasMessageContaining("session bundle")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"))
                .satisfies(e -> assertThat(((ServingException) e).code()).isEqualTo(Code.NOT_FOUND));
    }

    @Test
    void missingEmptyAndCorruptDirectoriesFailClearly(@TempDir Path temp) throws Exception {
        Path missing = temp.resolve("missing");
        SavedModelLoader loader = new SavedModelLoader(missing, TensorflowOptions.defaults());
        assertThatThrownBy(loader::load).isInstanceOf(ServingException.class)
                .hasMessage("SavedModel directory does not exist: " + missing);

        assertThatThrownBy(() -> new SavedModelLoader(temp, TensorflowOptions.defaults()).load())
                .isInstanceOf(ServingException.class)
                .hasMessage("Could not find SavedModel .pb or .pbtxt at supplied export directory path: " + temp);

        Path corrupt = Files.createDirectory(temp.resolve("corrupt"));
        Files.write(corrupt.resolve("saved_model.pb"), new byte[] {(byte) 0xff, 0x01, 0x02, 0x03});
        assertThatThrownBy(() -> new SavedModelLoader(corrupt, TensorflowOptions.defaults()).load())
                .isInstanceOf(ServingException.class)
                .hasMessageStartingWith("Cannot parse the SavedModel in " + corrupt)
                .satisfies(e -> assertThat(((ServingException) e).code()).isEqualTo(Code.DATA_LOSS));
    }

    @Test
    void unreadableVariablesFailWithOneLineNamingTheDirectory(@TempDir Path temp) throws Exception {
        Path source = TfServingTestData.version("saved_model_half_plus_two_cpu", "00000123");
        Path copy = temp.resolve("00000123");
        try (var files = Files.walk(source)) {
            for (Path file : files.toList()) {
                Files.copy(file, copy.resolve(source.relativize(file).toString()));
            }
        }
        Path data = copy.resolve("variables").resolve("variables.data-00000-of-00001");
        data.toFile().setWritable(true);
        Files.write(data, new byte[] {1, 2});

        assertThatThrownBy(() -> new SavedModelLoader(copy, TensorflowOptions.defaults()).load())
                .isInstanceOf(ServingException.class)
                .hasMessageStartingWith("Cannot load the SavedModel in " + copy + ": ")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void unknownTagsFailWithTheAvailableTagSets() {
        Path dir = TfServingTestData.version("saved_model_half_plus_two_cpu", "00000123");

        assertThatThrownBy(() -> new SavedModelLoader(dir, TensorflowOptions.defaults().withTags(Set.of("gpu")).withParallelism(1, 1)).load())
                .isInstanceOf(ServingException.class)
                .hasMessage("Could not find meta graph def matching supplied tags: { gpu } in " + dir
                        + " (available tag-sets: { serve })");
    }

    @Test
    void threadPoolOptionsAreAccepted() {
        try (SavedModelServable servable = new SavedModelLoader(
                TfServingTestData.version("saved_model_half_plus_two_cpu", "00000123"),
                TensorflowOptions.defaults().withParallelism(1, 1)).load()) {
            assertThat(floatValues(servable.predict("", Map.of("x", floats(shape(1), 2f)), Set.of()).get("y")))
                    .containsExactly(3.0f);
        }
    }
}
