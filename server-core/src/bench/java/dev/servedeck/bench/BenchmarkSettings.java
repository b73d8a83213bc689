package dev.servedeck.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * The knobs, read from system properties so that {@code ./mvnw ... -Dbench.seconds=3} reaches them.
 *
 * @param measurement     one measured wrk run, and the in-process floor's measuring time ({@code bench.seconds}, 10)
 * @param warmUp          the unmeasured run before each measured one ({@code bench.warmupSeconds}, 3)
 * @param soakRequests    half_plus_two requests before the last RSS reading ({@code bench.rssRequests}, 1,000,000)
 * @param firstRssRequests requests before the first RSS reading after load ({@code bench.rssFirstRequests}, 10,000)
 * @param serverJar       ServeDeck's thin jar, with lib/ beside it ({@code bench.serverJar})
 * @param outputDir       results.md, logs, models and wrk scripts go here ({@code bench.outputDir})
 * @param serverJvmArgs   JVM options for every server started, space-separated ({@code bench.serverJvmArgs},
 *                        {@link #DEFAULT_SERVER_JVM_ARGS}; an empty value means none)
 * @param serverArgs      extra flags for the ServeDeck server only, space-separated, e.g.
 *                        {@code --tensorflow_inter_op_parallelism=-1} ({@code bench.serverArgs}, none)
 * @param fileSystemPollWaitSeconds ServeDeck's {@code --file_system_poll_wait_seconds}
 *                        ({@code bench.fileSystemPollWaitSeconds}, 0: look for versions once, no poller during load)
 * @param warmUpRunLength one run of the steady-state warm-up per server and request kind before its first
 *                        measured row ({@code bench.warmupRunSeconds}, 4; see {@link SteadyWarmUp})
 * @param maxWarmUpRuns   at most this many such runs ({@code bench.maxWarmupRuns}, 12; 0 switches them off)
 * @param batchTimeoutMicros {@code batch_timeout_micros} of the batching comparison
 *                        ({@code bench.batchTimeoutMicros}, 0)
 * @param adaptiveBatchTimeoutMicros {@code batch_timeout_micros} of the adaptive-versus-fixed timeout comparison
 *                        ({@code bench.adaptiveBatchTimeoutMicros}, 2000: with 0 there is nothing to adapt)
 */
record BenchmarkSettings(Duration measurement, Duration warmUp, long soakRequests, long firstRssRequests,
        Path serverJar, Path outputDir, List<String> serverJvmArgs, List<String> serverArgs,
        long fileSystemPollWaitSeconds, Duration warmUpRunLength, int maxWarmUpRuns, long batchTimeoutMicros,
        long adaptiveBatchTimeoutMicros) {

    /**
     * A fixed, pre-touched heap: the RSS soak then sees native memory, metaspace and code cache grow (leaks),
     * not the JVM lazily committing and touching heap pages it was always allowed to use.
     */
    static final String DEFAULT_SERVER_JVM_ARGS = "-Xms512m -Xmx512m -XX:+AlwaysPreTouch";

    static BenchmarkSettings fromSystemProperties() {
        return new BenchmarkSettings(
                Duration.ofSeconds(positiveLong("bench.seconds", 10)),
                Duration.ofSeconds(positiveLong("bench.warmupSeconds", 3)),
                positiveLong("bench.rssRequests", 1_000_000),
                positiveLong("bench.rssFirstRequests", 10_000),
                Path.of(System.getProperty("bench.serverJar", "target/servedeck-server.jar")).toAbsolutePath(),
                Path.of(System.getProperty("bench.outputDir", "target/benchmark")).toAbsolutePath(),
                spaceSeparated("bench.serverJvmArgs", DEFAULT_SERVER_JVM_ARGS),
                spaceSeparated("bench.serverArgs", ""),
                longAtLeast("bench.fileSystemPollWaitSeconds", 0, 0),
                Duration.ofSeconds(positiveLong("bench.warmupRunSeconds", 4)),
                (int) longAtLeast("bench.maxWarmupRuns", 12, 0),
                longAtLeast("bench.batchTimeoutMicros", 0, 0),
                longAtLeast("bench.adaptiveBatchTimeoutMicros", 2000, 0));
    }

    /** Absent: {@code defaultValue}; present but empty: nothing. */
    private static List<String> spaceSeparated(String property, String defaultValue) {
        String text = System.getProperty(property, defaultValue).strip();
        return text.isEmpty() ? List.of() : Arrays.asList(text.split("\\s+"));
    }

    private static long positiveLong(String property, long defaultValue) {
        return longAtLeast(property, defaultValue, 1);
    }

    private static long longAtLeast(String property, long defaultValue, long minimum) {
        String text = System.getProperty(property, "").strip();
        long value = text.isEmpty() ? defaultValue : Long.parseLong(text);
        if (value < minimum) {
            throw new IllegalArgumentException(property + " must be at least " + minimum + ", was " + value);
        }
        return value;
    }
}
