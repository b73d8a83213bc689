package dev.servedeck.core.batching.tuning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servedeck.core.batching.BatchingConfig;
import dev.servedeck.core.batching.BatchingOptions;
import dev.servedeck.core.batching.BatchingParametersFile;
import dev.servedeck.core.batching.tuning.admin.AdminApiBatchingControl;
import dev.servedeck.core.batching.tuning.cli.TuneCommand;
import dev.servedeck.core.loadgen.HalfPlusTwoServer;
import dev.servedeck.core.loadgen.LoadRunner;
import dev.servedeck.core.loadgen.cli.ClientOptions;
import dev.servedeck.core.loadgen.cli.PredictLoadRunners;
import dev.servedeck.core.loadgen.grpc.GrpcEndpoint;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The tuner against a real server with batching on (TF Serving's half_plus_two, real load over gRPC, parameters
 * applied through the admin API): short searches that end with a proposal, and the parameters in force before them
 * in force again after.
 */
class BatchingTunerEndToEndTest {

    private static final BatchingOptions START = BatchingOptions.defaults().withMaxBatchSize(16)
            .withBatchTimeoutMicros(300).withNumBatchThreads(1).withMaxEnqueuedBatches(100);

    @TempDir
    static Path dir;

    private static HalfPlusTwoServer server;

    @BeforeAll
    static void start() {
        server = new HalfPlusTwoServer(core -> core.withBatching(BatchingConfig.enabled(START)), options -> options);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private String grpc() {
        return "127.0.0.1:" + server.grpcPort();
    }

    @Test
    void theCommandLinePrintsTheStepsAndAProposalWritesItAndRestoresTheParameters() throws Exception {
        Path proposal = dir.resolve("proposal.txt");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine command = TuneCommand.commandLine();
        command.setOut(new PrintWriter(out, true));
        command.setErr(new PrintWriter(err, true));

        int exit = command.execute("--server", grpc(), "--model", "half_plus_two", "--p99-ms", "200", "--levels", "1,4",
                "--per-level", "300ms", "--warmup", "100ms", "--max-batch-sizes", "16,32", "--batch-threads", "1",
                "--timeouts-micros", "300", "--write", proposal.toString());

        assertThat(exit).as(out + "\n" + err).isZero();
        assertThat(out.toString()).contains("step 0  the parameters in force").contains("step 1  max_batch_size 32")
                .contains("Restored               the parameters in force before the search").contains("Proposal");
        assertThat(err.toString()).contains("step 0 c1 ").contains("step 0 c4 "); // a line per level measured
        BatchingOptions written = BatchingParametersFile.read(proposal);
        assertThat(written.maxBatchSize()).isIn(16, 32);
        assertThat(written.numBatchThreads()).isEqualTo(1);
        assertThat(server.core().batchingOptions()).isEqualTo(START);
    }

    @Test
    void stoppingDuringAStepRestoresTheParametersAtOnce() throws Exception {
        ClientOptions client = new CommandLine(new ClientOptions()).getCommand();
        LoadRunner runner = PredictLoadRunners.grpc(grpc(), "half_plus_two", null, null, null, false, null, client,
                null);
        // long levels: the search can only end soon by being stopped
        TuningGoal goal = TuningGoal.p99(Duration.ofSeconds(1)).withLevels(List.of(1, 2))
                .withPerLevel(Duration.ofMinutes(1), Duration.ZERO);
        try (AdminApiBatchingControl control = new AdminApiBatchingControl(GrpcEndpoint.parse(grpc(), null, null))) {
            SweepTuningLoad load = new SweepTuningLoad(runner, goal);
            BatchingTuner tuner = new BatchingTuner(control, load, goal, TuningSpace.defaults(2), Clock.systemUTC());
            CompletableFuture<TuningResult> search = CompletableFuture.supplyAsync(() -> {
                try {
                    return tuner.run();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            awaitLoad(load);
            long started = System.nanoTime();

            tuner.stop();
            TuningResult result = search.get(30, TimeUnit.SECONDS);

            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
            assertThat(result.ending()).isEqualTo(TuningResult.Ending.STOPPED);
            assertThat(result.restored()).isTrue();
            assertThat(server.core().batchingOptions()).isEqualTo(START);
        }
    }

    private static void awaitLoad(SweepTuningLoad load) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            var progress = load.progress();
            if (progress != null && progress.current() != null && progress.current().answered() > 10) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the search never sent load");
    }
}
