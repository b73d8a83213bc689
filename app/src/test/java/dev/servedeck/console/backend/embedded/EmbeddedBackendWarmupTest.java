package dev.servedeck.console.backend.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.servedeck.console.backend.Failures;
import dev.servedeck.console.backend.ModelEntry;
import dev.servedeck.console.backend.ModelSource;
import dev.servedeck.console.backend.RestCall;
import dev.servedeck.console.backend.RestReply;
import dev.servedeck.console.backend.ServerSettings;
import dev.servedeck.console.backend.VersionEntry;
import dev.servedeck.console.backend.WarmupTarget;
import dev.servedeck.console.testing.TestModels;
import dev.servedeck.core.servable.ManagerState;
import dev.servedeck.core.source.ServableVersionPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "Save recent requests as warmup file" end to end on a real embedded server: requests sent over the real REST
 * API to TF Serving's counter model are saved into a new version's assets.extra, and that version, once loaded,
 * has replayed them on its own session (its counter starts at their sum).
 */
class EmbeddedBackendWarmupTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private EmbeddedBackend backend;
    private Path base;

    @BeforeEach
    void startServer() throws Exception {
        base = dir.resolve("counter");
        TestModels.tfServingVersion("saved_model_counter", "00000123", base.resolve("00000123"));
        backend = new EmbeddedBackend();
        backend.start(new ServerSettings("127.0.0.1", 0, ServerSettings.NO_GRPC, false,
                new ModelSource.BasePath("counter", base), dir.resolve("logs"))).get(2, TimeUnit.MINUTES);
        // Version 124 is written below: it must not load before its warmup file is there.
        await(backend.setVersionPolicy("counter", new ServableVersionPolicy.Specific(new TreeSet<>(List.of(123L)))));
    }

    @AfterEach
    void stopServer() {
        backend.close();
    }

    @Test
    void savedRecentRequestsWarmTheVersionTheyAreSavedInto() throws Exception {
        assertThat(increment("/v1/models/counter:predict", 2.0)).isEqualTo(2.0);
        assertThat(increment("/v1/models/counter:predict", 3.0)).isEqualTo(5.0);
        assertThat(send("/v1/models/counter:predict", "{\"signature_name\": \"nope\", \"inputs\": {}}").statusCode())
                .isNotEqualTo(200);
        // A new version folder, complete before the server sees it (a copy of 123: same graph, a fresh session).
        Path staged = TestModels.tfServingVersion("saved_model_counter", "00000123", dir.resolve("staging"));
        Files.move(staged, base.resolve("00000124"));

        WarmupTarget target = backend.warmupTarget("counter", 124).get(1, TimeUnit.MINUTES);
        assertThat(target.file()).isEqualTo(base.resolve("00000124").resolve("assets.extra")
                .resolve("tf_serving_warmup_requests"));
        assertThat(target.exists()).isFalse();
        assertThat(backend.saveRecentRequestsAsWarmup("counter", target.file()).get(1, TimeUnit.MINUTES)).isEqualTo(2);
        assertThat(backend.warmupTarget("counter", 124).get(1, TimeUnit.MINUTES).exists()).isTrue();

        await(backend.loadVersion("counter", 124));

        assertThat(state("counter", 124)).isEqualTo(ManagerState.AVAILABLE);
        // The two successful increments (2 + 3) ran once each while 124 was loading; the failed call was not kept.
        assertThat(increment("/v1/models/counter/versions/124:predict", 0.0)).isEqualTo(5.0);
        assertThat(backend.recentEvents()).anyMatch(event -> event.message().startsWith(
                "Saved 2 recent request(s) of counter as a warmup file: "));
    }

    @Test
    void aModelWithoutRecordedRequestsHasNothingToSave() {
        String failure = failureOf(backend.saveRecentRequestsAsWarmup("counter", dir.resolve("warmup")));

        assertThat(failure).startsWith("No successful Predict, Classify or Regress request of counter was recorded");
        assertThat(dir.resolve("warmup")).doesNotExist();
        assertThat(failureOf(backend.warmupTarget("counter", 999))).contains("has no folder for version 999");
    }

    private double increment(String path, double delta) throws Exception {
        RestReply reply = send(path, "{\"signature_name\": \"incr_counter_by\", \"inputs\": {\"delta\": " + delta + "}}");
        assertThat(reply.statusCode()).as(reply.body()).isEqualTo(200);
        return JSON.readTree(reply.body()).at("/outputs").asDouble();
    }

    private RestReply send(String path, String body) throws Exception {
        return backend.sendRest(new RestCall("POST", path, body)).get(1, TimeUnit.MINUTES);
    }

    private ManagerState state(String model, long version) {
        ModelEntry entry = backend.models().stream().filter(m -> m.name().equals(model)).findFirst().orElseThrow();
        return entry.versions().stream().filter(v -> v.version() == version).map(VersionEntry::state)
                .findFirst().orElseThrow();
    }

    private static void await(CompletableFuture<Void> operation) throws Exception {
        operation.get(2, TimeUnit.MINUTES);
    }

    private static String failureOf(CompletableFuture<?> operation) {
        try {
            operation.get(2, TimeUnit.MINUTES);
        } catch (ExecutionException | InterruptedException | java.util.concurrent.TimeoutException e) {
            return Failures.message(e);
        }
        throw new AssertionError("expected the operation to fail");
    }
}
