package dev.servedeck.core.tensorflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.google.protobuf.TextFormat;
import dev.servedeck.core.source.VersionReadiness;
import dev.servedeck.core.source.VersionReadiness.Verdict;
import dev.servedeck.core.source.VersionReadiness.Waiting;
import dev.servedeck.core.tensorflow.bundle.TableWriter;
import dev.servedeck.core.tensorflow.demo.DemoModels;
import dev.servedeck.core.testing.TestFolders;
import dev.servedeck.core.testing.TfServingTestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.proto.BundleEntryProto;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.SavedModel;

/** Real SavedModels, whole and with parts missing, as a copy that paused would leave them. */
class SavedModelCompletenessTest {

    private static final String DATA = "variables/variables.data-00000-of-00001";
    private static final String INDEX = "variables/variables.index";

    private final SavedModelCompleteness completeness = new SavedModelCompleteness();

    @TempDir
    Path temp;

    @Test
    void wholeModelsAreReady() throws IOException {
        assertThat(check(copyOf("saved_model_half_plus_two_cpu"))).isEqualTo(VersionReadiness.READY);
        assertThat(check(copyOf("saved_model_half_plus_two_tf2_cpu"))).isEqualTo(VersionReadiness.READY);
        assertThat(check(copyOf("saved_model_half_plus_three"))).isEqualTo(VersionReadiness.READY);
        assertThat(check(copyOf("saved_model_counter"))).isEqualTo(VersionReadiness.READY);
        Path python = TfServingTestData.tfJavaModel("saved_model_using_python").resolve("1");
        assertThat(check(TestFolders.copy(python, temp.resolve("py")))).isEqualTo(VersionReadiness.READY);
        assertThat(check(DemoModels.writeHalfPlusTwo(temp.resolve("java"), 1))).isEqualTo(VersionReadiness.READY);
        assertThat(check(DemoModels.writeMlp(temp.resolve("java"), 2, 1))).isEqualTo(VersionReadiness.READY);
        assertThat(check(Tf2Models.writeVocabulary(temp.resolve("tf2"), 1))).isEqualTo(VersionReadiness.READY);
        Path echo = EchoModels.write(temp.resolve("echo"), 1);
        assertThat(echo.resolve("variables")).as("TensorFlow Java: a saver, an empty variables/").isEmptyDirectory();
        assertThat(check(echo)).as("no variables, a restore op that restores nothing").isEqualTo(VersionReadiness.READY);
    }

    @Test
    void aGraphWithoutItsVariablesWaitsForTheIndex() throws IOException {
        Path tf1 = copyOf("saved_model_half_plus_two_cpu");
        Path tf2 = copyOf("saved_model_half_plus_two_tf2_cpu");
        TestFolders.delete(tf1.resolve("variables"));
        TestFolders.delete(tf2.resolve("variables"));

        assertThat(check(tf1)).isEqualTo(waiting("waiting for " + INDEX));
        assertThat(check(tf2)).isEqualTo(waiting("waiting for " + INDEX));
    }

    @Test
    void anIndexWithoutItsDataWaitsForTheShard() throws IOException {
        Path model = copyOf("saved_model_half_plus_two_cpu");
        Files.delete(model.resolve(DATA));

        assertThat(check(model)).isEqualTo(waiting("waiting for " + DATA));
    }

    @Test
    void aShardOneByteShortWaits() throws IOException {
        Path model = copyOf("saved_model_half_plus_two_cpu");
        byte[] data = Files.readAllBytes(model.resolve(DATA));
        Files.write(model.resolve(DATA), Arrays.copyOf(data, data.length - 1));

        assertThat(check(model)).isEqualTo(waiting("waiting for " + DATA + " to be complete (19 of 20 bytes)"));
    }

    @Test
    void anIndexCutShortAnywhereWaits() throws IOException {
        Path model = copyOf("saved_model_half_plus_two_tf2_cpu");
        byte[] index = Files.readAllBytes(model.resolve(INDEX));

        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            for (int length = 0; length < index.length; length++) {
                Files.write(model.resolve(INDEX), Arrays.copyOf(index, length));
                assertThat(reason(check(model))).as("index cut to %d bytes", length)
                        .startsWith("waiting for " + INDEX + " to be complete (");
            }
        });
        Files.write(model.resolve(INDEX), index);
        assertThat(check(model)).isEqualTo(VersionReadiness.READY);
    }

    @Test
    void missingAssetsWait() throws IOException {
        Path tf1 = copyOf("saved_model_half_plus_two_cpu");
        Path tf2 = Tf2Models.writeVocabulary(temp.resolve("tf2"), 1);
        Files.delete(tf1.resolve("assets/foo.txt"));
        Files.delete(tf2.resolve("assets/vocab.txt"));

        assertThat(check(tf1)).as("TF1: the saved_model_assets collection").isEqualTo(waiting("waiting for assets/foo.txt"));
        assertThat(check(tf2)).as("TF2: asset_file_def").isEqualTo(waiting("waiting for assets/vocab.txt"));
    }

    @Test
    void aMissingOrPartlyWrittenGraphWaits() throws IOException {
        Path model = copyOf("saved_model_half_plus_two_cpu");
        byte[] graph = Files.readAllBytes(model.resolve("saved_model.pb"));

        Files.delete(model.resolve("saved_model.pb"));
        assertThat(check(model)).isEqualTo(waiting("waiting for saved_model.pb"));
        Files.write(model.resolve("saved_model.pb"), new byte[0]);
        assertThat(check(model)).isEqualTo(waiting("waiting for saved_model.pb to be complete (it holds no MetaGraphDef)"));
        // Every cut in the first 1 KiB (the headers and the first nodes) and the last 256 bytes (where a copy ends),
        // every 37th in between: each cut writes and parses the file, and all 12,106 took over 30 s on a loaded CI
        // machine. The preemptive timeout stays: a parser that hangs on a cut file must fail, not stall the build.
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (int length = 1; length < graph.length; length += cutStep(length, graph.length)) {
                Files.write(model.resolve("saved_model.pb"), Arrays.copyOf(graph, length));
                assertThat(reason(check(model))).as("saved_model.pb cut to %d bytes", length)
                        .startsWith("waiting for saved_model.pb to be complete (");
            }
        });
    }

    private static int cutStep(int length, int total) {
        return length < 1024 || length >= total - 256 ? 1 : 37;
    }

    @Test
    void readsTheTextFormatToo() throws IOException {
        Path model = copyOf("saved_model_half_plus_two_cpu");
        SavedModel savedModel = SavedModel.parseFrom(Files.readAllBytes(model.resolve("saved_model.pb")));
        Files.delete(model.resolve("saved_model.pb"));
        String text = TextFormat.printer().printToString(savedModel);

        Files.writeString(model.resolve("saved_model.pbtxt"), text.substring(0, text.length() / 2));
        assertThat(reason(check(model))).startsWith("waiting for saved_model.pbtxt to be complete (it does not parse: ");

        Files.writeString(model.resolve("saved_model.pbtxt"), text);
        assertThat(check(model)).isEqualTo(VersionReadiness.READY);
    }

    @Test
    void checksEveryShardTheHeaderCounts() throws IOException {
        Path model = copyOf("saved_model_half_plus_two_cpu");
        Files.delete(model.resolve(DATA));
        Files.write(model.resolve(INDEX), TableWriter.bundleIndex(2, Map.of(
                "a", BundleEntryProto.newBuilder().setShardId(0).setSize(4).build(),
                "b", BundleEntryProto.newBuilder().setShardId(1).setOffset(4).setSize(4).build()), 10));
        Path first = model.resolve("variables/variables.data-00000-of-00002");
        Path second = model.resolve("variables/variables.data-00001-of-00002");

        Files.write(first, new byte[4]);
        assertThat(check(model)).isEqualTo(waiting("waiting for variables/variables.data-00001-of-00002"));
        Files.write(second, new byte[7]);
        assertThat(check(model)).isEqualTo(
                waiting("waiting for variables/variables.data-00001-of-00002 to be complete (7 of 8 bytes)"));
        Files.write(second, new byte[8]);
        assertThat(check(model)).isEqualTo(VersionReadiness.READY);
    }

    @Test
    void variablesAreNeededForVariableNodesEvenWithoutASaver() throws IOException {
        Path withVariable = Files.createDirectories(temp.resolve("with"));
        Path withoutVariable = Files.createDirectories(temp.resolve("without"));
        writeGraph(withVariable, NodeDef.newBuilder().setName("v").setOp("VarHandleOp").build());
        writeGraph(withoutVariable, NodeDef.newBuilder().setName("x").setOp("Placeholder").build());

        assertThat(check(withVariable)).isEqualTo(waiting("waiting for " + INDEX));
        assertThat(check(withoutVariable)).as("nothing to restore, no variables/ needed").isEqualTo(VersionReadiness.READY);
    }

    @Test
    void whatIsCompleteButWillNotLoadIsLeftToTheLoad() throws IOException {
        Path sessionBundle = TestFolders.copy(TfServingTestData.version("bad_half_plus_two", "00000123"),
                temp.resolve("bad"));

        assertThat(check(sessionBundle)).as("an old session bundle: loading it says it is not a SavedModel")
                .isEqualTo(VersionReadiness.READY);
    }

    private Verdict check(Path folder) {
        return completeness.check(folder);
    }

    private static Waiting waiting(String reason) {
        return new Waiting(reason);
    }

    private static String reason(Verdict verdict) {
        return verdict instanceof Waiting waiting ? waiting.reason() : "READY";
    }

    private static void writeGraph(Path folder, NodeDef node) throws IOException {
        SavedModel model = SavedModel.newBuilder().addMetaGraphs(MetaGraphDef.newBuilder()
                .setGraphDef(GraphDef.newBuilder().addNode(node))).build();
        Files.write(folder.resolve("saved_model.pb"), model.toByteArray());
    }

    private Path copyOf(String model) throws IOException {
        return TestFolders.copy(TfServingTestData.version(model, "00000123"), temp.resolve(model));
    }
}
