package dev.servedeck.core.requestlog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.servedeck.core.status.Code;
import dev.servedeck.proto.config.LoggingConfig;
import dev.servedeck.proto.config.ModelConfig;
import dev.servedeck.proto.config.ModelConfigList;
import dev.servedeck.proto.config.ModelServerConfig;
import dev.servedeck.proto.config.SamplingConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RequestLogTest {

    private static final ModelServerConfig CONFIG = ModelServerConfig.newBuilder()
            .setModelConfigList(ModelConfigList.newBuilder()
                    .addConfig(ModelConfig.newBuilder().setName("plain").setBasePath("/m"))
                    .addConfig(ModelConfig.newBuilder().setName("configured").setBasePath("/m")
                            .setLoggingConfig(LoggingConfig.newBuilder()
                                    .setSamplingConfig(SamplingConfig.newBuilder().setSamplingRate(0.5)))))
            .build();

    @TempDir
    Path temp;

    @Test
    void samplesAtTheGlobalRateOrAtTheModelsConfiguredRate() throws Exception {
        Random seeded = new Random(42);
        try (RequestLog log = RequestLog.start(RequestLogOptions.defaults().withSamplingRate(0.1),
                new ModelSamplingRates(() -> CONFIG), seeded::nextDouble)) {
            int n = 10_000;
            long plain = IntStream.range(0, n).filter(i -> log.sample("plain")).count();
            long configured = IntStream.range(0, n).filter(i -> log.sample("configured")).count();
            // Binomial: 3 standard deviations are 90 (rate 0.1) and 150 (rate 0.5) out of 10 000.
            assertThat(plain).isBetween(910L, 1090L);
            assertThat(configured).isBetween(4850L, 5150L);
        }
        try (RequestLog off = RequestLog.start(RequestLogOptions.defaults(), new ModelSamplingRates(() -> CONFIG),
                () -> 0.0)) {
            assertThat(off.sample("plain")).as("rate 0 never samples").isFalse();
        }
    }

    @Test
    void writesJsonLinesAndRotatesBySizeKeepingNFiles() throws Exception {
        Path file = temp.resolve("logs/requests.jsonl");
        RequestLogOptions options = RequestLogOptions.defaults().withFile(file).withSamplingRate(1)
                .withRotation(1_000, 3);
        try (RequestLog log = RequestLog.start(options, new ModelSamplingRates(() -> CONFIG), () -> 0.0)) {
            for (int i = 0; i < 40; i++) {
                log.offer(entry(i));
            }
            assertThat(log.awaitWritten(40, 5_000)).isTrue();
        }
        assertThat(Files.exists(file)).isTrue();
        assertThat(Files.exists(file.resolveSibling("requests.jsonl.1"))).isTrue();
        assertThat(Files.exists(file.resolveSibling("requests.jsonl.2"))).isTrue();
        assertThat(Files.exists(file.resolveSibling("requests.jsonl.3"))).as("only 3 files kept").isFalse();
        for (String name : List.of("requests.jsonl", "requests.jsonl.1", "requests.jsonl.2")) {
            assertThat(Files.size(file.resolveSibling(name))).isLessThanOrEqualTo(1_000);
        }
        List<String> newest = Files.readAllLines(file);
        JsonNode last = new ObjectMapper().readTree(newest.get(newest.size() - 1));
        assertThat(last.path("model").asText()).isEqualTo("plain");
        assertThat(last.path("version").asLong()).isEqualTo(7);
        assertThat(last.path("status").asText()).isEqualTo("OK");
        assertThat(last.path("latency_us").asLong()).isEqualTo(39);
        assertThat(last.path("request").path("x").asInt()).isEqualTo(1);
        List<String> previous = Files.readAllLines(file.resolveSibling("requests.jsonl.1"));
        assertThat(new ObjectMapper().readTree(previous.get(previous.size() - 1)).path("latency_us").asLong())
                .isEqualTo(new ObjectMapper().readTree(newest.get(0)).path("latency_us").asLong() - 1);
    }

    @Test
    void dropsAndCountsWhenTheWriterFallsBehindAndTellsSubscribers() throws Exception {
        RequestLogOptions options = RequestLogOptions.defaults().withQueueCapacity(1);
        try (RequestLog log = RequestLog.start(options, new ModelSamplingRates(() -> CONFIG), () -> 0.0)) {
            java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
            List<RequestLogEntry> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
            try (AutoCloseable blocker = log.subscribe(e -> {
                seen.add(e);
                try {
                    release.await();
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                }
            })) {
                log.offer(entry(0));
                while (seen.isEmpty()) {
                    Thread.onSpinWait();
                }
                log.offer(entry(1));
                log.offer(entry(2));
                log.offer(entry(3));
                assertThat(log.dropped()).isEqualTo(2);
                release.countDown();
                assertThat(log.awaitWritten(4, 5_000)).isTrue();
            }
            assertThat(log.recent(10)).extracting(RequestLogEntry::latencyMicros).containsExactly(0L, 1L);
        }
    }

    @Test
    void aFullDiskLosesWholeLinesCountsThemAndWritingResumesWhenThereIsSpace() throws Exception {
        Path file = temp.resolve("requests.jsonl");
        long lineBytes = (new RequestLogJson().line(entry(0)) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        // Room for two and a half lines: the third is cut in the middle, as a disk filling up during a write does.
        SpaceLimitedChannel.Disk disk = new SpaceLimitedChannel.Disk(lineBytes * 5 / 2);
        RequestLogOptions options = RequestLogOptions.defaults().withFile(file).withSamplingRate(1);
        try (RequestLog log = RequestLog.start(options, new ModelSamplingRates(() -> CONFIG), () -> 0.0,
                disk.opener())) {
            for (int i = 0; i < 10; i++) {
                log.offer(entry(i));
                assertThat(log.awaitWritten(i + 1, 5_000)).isTrue();
            }
            assertThat(log.written()).isEqualTo(2);
            assertThat(log.dropped()).isEqualTo(8);
            assertThat(log.recent(10)).as("the live tail keeps every entry").hasSize(10);
            assertThat(Files.readAllLines(file)).as("whole lines only, nothing of the line cut short").hasSize(2);
            assertThat(Files.size(file)).isEqualTo(2 * lineBytes);

            disk.release(1_000_000);
            for (int i = 10; i < 15; i++) {
                log.offer(entry(i));
            }
            assertThat(log.awaitWritten(15, 5_000)).isTrue();
            assertThat(log.dropped()).isEqualTo(8);
            assertThat(log.written()).isEqualTo(7);
        }
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(7);
        for (String line : lines) {
            new ObjectMapper().readTree(line);
        }
        assertThat(new ObjectMapper().readTree(lines.get(6)).path("latency_us").asLong()).isEqualTo(14);
    }

    private static RequestLogEntry entry(int i) {
        return new RequestLogEntry(Instant.parse("2025-01-01T00:00:00Z"), "plain", OptionalLong.of(7), "serving_default",
                "Predict", "REST", Code.OK, i, 12, 8, Optional.of("{\"x\":1}"), Optional.empty());
    }
}
