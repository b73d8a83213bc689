package dev.servedeck.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.servedeck.core.batching.BatchingConfig;
import dev.servedeck.core.batching.BatchingOptions;
import dev.servedeck.core.config.ModelServerConfigFile;
import dev.servedeck.core.lifecycle.Loader;
import dev.servedeck.core.servable.ExampleBatch;
import dev.servedeck.core.servable.ManagerState;
import dev.servedeck.core.servable.ServableId;
import dev.servedeck.core.status.Code;
import dev.servedeck.core.status.ServingException;
import dev.servedeck.core.tensorflow.demo.DemoModels;
import dev.servedeck.core.testing.FloatColumns;
import dev.servedeck.core.testing.TestFolders;
import dev.servedeck.core.testing.TfServingTestData;
import dev.servedeck.proto.config.ModelServerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An {@link Error} inside a model run (out of memory, a stack overflow, an assertion in the model), batched or
 * not: every request in it is answered INTERNAL without a stack trace, its handles are released (the version
 * unloads at once afterwards) and the server serves the next request.
 */
class ServerCoreFaultsTest {

    private static final ServableId M1 = new ServableId("m", 1);
    private static final Duration PROMPTLY = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    private final AtomicReference<Supplier<? extends Throwable>> fault = new AtomicReference<>();
    private final List<FaultyServable> loaded = new ArrayList<>();

    @Test
    void anErrorInsideABatchAnswersEveryRequestInItAndTheNextBatchIsServed() throws Exception {
        // A batch of four, formed only when full (TF Serving's fixed timeout: the adaptive one would not wait for
        // the requests below, sent one after another): the four share one model run.
        BatchingOptions fourPerBatch = BatchingOptions.defaults().withMaxBatchSize(4).withBatchTimeoutMicros(60_000_000)
                .withNumBatchThreads(1).withAdaptiveBatchTimeout(false);
        try (ServerCore core = start(BatchingConfig.enabled(fourPerBatch))) {
            fault.set(() -> new AssertionError("model invariant broken"));
            List<CompletableFuture<PredictResult>> batch = predictFour(core);

            for (CompletableFuture<PredictResult> answer : batch) {
                assertThatThrownBy(() -> answer.get(10, TimeUnit.SECONDS))
                        .cause().isInstanceOfSatisfying(ServingException.class, e -> {
                            assertThat(e.code()).isEqualTo(Code.INTERNAL);
                            assertThat(e.getMessage()).isEqualTo("Batch failed: AssertionError")
                                    .doesNotContain("invariant").doesNotContain("at dev.");
                        });
            }
            assertThat(servable().runs()).as("the four requests ran as one batch").isEqualTo(1);

            fault.set(null);
            List<CompletableFuture<PredictResult>> next = predictFour(core);
            for (int i = 0; i < 4; i++) {
                assertThat(y(next.get(i).get(10, TimeUnit.SECONDS))).containsExactly(i * 0.5f + 2);
            }

            assertUnloadsPromptly(core);
        }
    }

    @Test
    void anOutOfMemoryErrorInAnUnbatchedRunAnswersInternalAndReleasesTheVersion() throws Exception {
        try (ServerCore core = start(BatchingConfig.disabled())) {
            fault.set(() -> new OutOfMemoryError("Java heap space"));

            CompletableFuture<PredictResult> answer = core.predictAsync(ModelSpec.latest("m"), Set.of(),
                    signature -> Map.of("x", FloatColumns.column(1f)));

            assertThat(answer).isCompletedExceptionally();
            assertThatThrownBy(answer::join).isInstanceOf(CompletionException.class).cause()
                    .isInstanceOfSatisfying(ServingException.class, e -> {
                        assertThat(e.code()).isEqualTo(Code.INTERNAL);
                        assertThat(e.getMessage()).isEqualTo("Predict on servable " + M1 + " failed: OutOfMemoryError");
                    });
            fault.set(StackOverflowError::new);
            ExampleBatch examples = new ExampleBatch(List.of(), java.util.Optional.empty());
            for (Runnable call : List.<Runnable>of(() -> core.classify(ModelSpec.latest("m"), examples),
                    () -> core.regress(ModelSpec.latest("m"), examples))) {
                assertThatThrownBy(call::run).isInstanceOfSatisfying(ServingException.class,
                        e -> assertThat(e.code()).isEqualTo(Code.INTERNAL)).hasMessageEndingWith("StackOverflowError");
            }

            fault.set(null);
            assertThat(y(core.predict(ModelSpec.latest("m"), Set.of(), signature -> Map.of("x", FloatColumns.column(4f)))))
                    .containsExactly(4f);
            assertUnloadsPromptly(core);
        }
    }

    /**
     * A version whose variables shard is corrupt (the right size, so it looks complete) fails to load; fixed in
     * place, it loads at the next poll, without a rename or a restart, and the old version served meanwhile.
     */
    @Test
    void aVersionFixedInPlaceAfterAFailedLoadLoadsWithoutARestart() throws Exception {
        Path base = dir.resolve("m");
        TestFolders.copy(TfServingTestData.version("saved_model_half_plus_two_cpu", "00000123"), base.resolve("1"));
        ServerCoreOptions options = ServerCoreOptions.defaults().withFileSystemPollWait(Duration.ofMillis(200));
        try (ServerCore core = ServerCore.start(options, config("m"))) {
            Path v2 = TestFolders.copy(base.resolve("1"), dir.resolve("staging"));
            Path shard = v2.resolve("variables/variables.data-00000-of-00001");
            byte[] good = Files.readAllBytes(shard);
            Files.write(shard, new byte[good.length]);
            // Written long ago, so the fix below differs even on a file system with coarse modification times.
            Files.setLastModifiedTime(shard, FileTime.from(Instant.parse("2020-01-01T00:00:00Z")));
            Files.move(v2, base.resolve("2"));
            ServableId m2 = new ServableId("m", 2);

            assertThat(core.states().awaitState(m2, state -> state.state() == ManagerState.END, Duration.ofSeconds(30)))
                    .isTrue();
            assertThat(core.states().state(m2).orElseThrow().failed()).isTrue();
            assertThat(core.predict(ModelSpec.latest("m"), Set.of(), signature -> Map.of("x", FloatColumns.column(2f)))
                    .servedBy()).as("the good version serves meanwhile").isEqualTo(M1);

            Files.write(base.resolve("2/variables/variables.data-00000-of-00001"), good);

            assertThat(core.states().awaitState(m2, state -> state.state() == ManagerState.AVAILABLE,
                    Duration.ofSeconds(30))).isTrue();
            assertThat(y(core.predict(ModelSpec.latest("m"), Set.of(), signature -> Map.of("x", FloatColumns.column(2f)))))
                    .containsExactly(3f);
        }
    }

    private ServerCore start(BatchingConfig batching) throws Exception {
        DemoModels.writeHalfPlusTwo(dir.resolve("m"), 1);
        ServerCoreOptions options = ServerCoreOptions.defaults().withFileSystemPollWait(Duration.ZERO)
                .withBatching(batching);
        UnaryOperator<Loader> faulty = real -> () -> {
            FaultyServable servable = new FaultyServable(real.load(), fault);
            loaded.add(servable);
            return servable;
        };
        return ServerCore.start(options, config("m"), CoreInstrumentation.NONE, faulty);
    }

    private FaultyServable servable() {
        assertThat(loaded).hasSize(1);
        return loaded.get(0);
    }

    private static List<CompletableFuture<PredictResult>> predictFour(ServerCore core) {
        List<CompletableFuture<PredictResult>> answers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            float x = i;
            answers.add(core.predictAsync(ModelSpec.latest("m"), Set.of(), signature -> Map.of("x", FloatColumns.column(x))));
        }
        return answers;
    }

    /**
     * Unloading waits for every handle on the version (up to a 30 s drain timeout): a handle a fault leaked would
     * hold it up, so an unload within seconds shows that every one was released.
     */
    private void assertUnloadsPromptly(ServerCore core) throws InterruptedException {
        core.reloadConfig(ModelServerConfig.getDefaultInstance());
        assertThat(core.states().awaitState(M1, state -> state.state() == ManagerState.END, PROMPTLY)).isTrue();
        assertThat(servable().closed()).isTrue();
    }

    private ModelServerConfig config(String name) {
        return ModelServerConfigFile.parse("model_config_list { config { name: \"" + name + "\" base_path: \""
                + dir.resolve(name) + "\" } }", "test");
    }

    private static float[] y(PredictResult result) {
        return FloatColumns.values(result.outputs().get("y"));
    }
}
