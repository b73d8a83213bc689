package dev.servedeck.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.net.ssl.SSLContext;
import dev.servedeck.core.testing.TestPki;

/** The command-line flags (and the files they point to) that turn ServeDeck's features on or off. */
final class ServeDeckFlags {

    /** Recommended for the MLP on 2 cores (README, "Batching"), but for the timeout, which is a knob. */
    static final int MAX_BATCH_SIZE = 32;
    private static final int MAX_ENQUEUED_BATCHES = 1000;
    private static final int NUM_BATCH_THREADS = 1;

    static final double REQUEST_LOG_SAMPLING_RATE = 0.01;

    private ServeDeckFlags() {
    }

    /** TF Serving's BatchingParameters text, as {@code --batching_parameters_file} reads it. */
    static String batchingParameters(long batchTimeoutMicros) {
        return """
                max_batch_size { value: %d }
                batch_timeout_micros { value: %d }
                max_enqueued_batches { value: %d }
                num_batch_threads { value: %d }
                """.formatted(MAX_BATCH_SIZE, batchTimeoutMicros, MAX_ENQUEUED_BATCHES, NUM_BATCH_THREADS);
    }

    static List<String> batching(Path dir, long batchTimeoutMicros) throws IOException {
        Path file = write(dir.resolve("batching.txt"), batchingParameters(batchTimeoutMicros));
        return List.of("--enable_batching", "--batching_parameters_file=" + file);
    }

    /** Prometheus served on the REST port; metrics are recorded either way. */
    static List<String> prometheus(Path dir) throws IOException {
        Path file = write(dir.resolve("monitoring.txt"),
                "prometheus_config { enable: true path: \"" + PrometheusScrape.PATH + "\" }\n");
        return List.of("--monitoring_config_file=" + file);
    }

    static List<String> requestLog(Path file) {
        return List.of("--request_log_file=" + file, "--request_log_sampling_rate=" + REQUEST_LOG_SAMPLING_RATE);
    }

    /** TLS on both ports and the client context that trusts it. */
    record Tls(List<String> flags, SSLContext client, String certificate) {
    }

    /**
     * An SSL config in TF Serving's format with a fresh CA and an EC P-256 server certificate for 127.0.0.1 (what
     * cert-manager issues by default), reloading switched off so that no poll runs during the measurement.
     */
    static Tls tls(Path dir) throws IOException {
        TestPki.Issued ca = TestPki.ca("ServeDeck Benchmark CA");
        TestPki.Issued server = TestPki.server(ca, 1);
        Path config = write(dir.resolve("ssl.config"), TestPki.sslConfig(server));
        return new Tls(List.of("--ssl_config_file=" + config, "--ssl_config_file_poll_wait_seconds=0"),
                TestPki.clientContext(ca, null), "EC P-256, signed by a test CA");
    }

    /** The hidden flag that serves requests unmeasured, to measure what metrics cost. */
    static List<String> metricsDisabled() {
        return List.of("--disable_metrics");
    }

    private static Path write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.writeString(file, text, StandardCharsets.UTF_8);
    }
}
