package dev.servedeck.core.rest;

import java.time.Duration;
import java.util.Objects;

/**
 * How the REST front end listens and runs, after tensorflow_model_server's flags.
 *
 * @param host the address to bind; {@code 127.0.0.1} unless the server should be reachable from elsewhere
 * @param port the port to bind (--rest_api_port); 0 picks a free one, see {@link RestServer#port()}
 * @param numThreads request executor threads (--rest_api_num_threads); the calls into the core run there
 * @param timeout --rest_api_timeout_in_ms: a request that waited longer than this for an executor thread is
 *     answered DEADLINE_EXCEEDED without running; {@link Duration#ZERO} waits forever
 * @param enableCors answer CORS preflights and allow any origin (--enable_cors_support)
 * @param maxBodyBytes larger request bodies are answered 413
 * @param connectionLimits what one client may hold: connections, idle and read time, unanswered requests
 * @param allowedHosts the names a request's Host header may carry (--rest_api_allowed_hosts); others get 403
 */
public record RestOptions(String host, int port, int numThreads, Duration timeout, boolean enableCors, int maxBodyBytes,
        RestConnectionLimits connectionLimits, AllowedHosts allowedHosts) {

    public static final String DEFAULT_HOST = "127.0.0.1";
    /** TF Serving's --rest_api_timeout_in_ms default. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    public static final int DEFAULT_MAX_BODY_BYTES = 64 * 1024 * 1024;

    public RestOptions {
        host = host == null || host.isBlank() ? DEFAULT_HOST : host;
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be 0..65535, was " + port);
        }
        if (numThreads <= 0) {
            throw new IllegalArgumentException("numThreads must be positive, was " + numThreads);
        }
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must not be negative, was " + timeout);
        }
        if (maxBodyBytes <= 0) {
            throw new IllegalArgumentException("maxBodyBytes must be positive, was " + maxBodyBytes);
        }
        Objects.requireNonNull(connectionLimits, "connectionLimits");
        Objects.requireNonNull(allowedHosts, "allowedHosts");
    }

    /** Answering any Host. */
    public RestOptions(String host, int port, int numThreads, Duration timeout, boolean enableCors, int maxBodyBytes,
            RestConnectionLimits connectionLimits) {
        this(host, port, numThreads, timeout, enableCors, maxBodyBytes, connectionLimits, AllowedHosts.ANY);
    }

    /** With the default {@link RestConnectionLimits}. */
    public RestOptions(String host, int port, int numThreads, Duration timeout, boolean enableCors, int maxBodyBytes) {
        this(host, port, numThreads, timeout, enableCors, maxBodyBytes, RestConnectionLimits.defaults());
    }

    /**
     * Loopback, an ephemeral port, TF Serving's thread default (4 per core), 30 s timeout, no CORS, 64 MiB bodies,
     * the default connection limits, any Host.
     */
    public static RestOptions defaults() {
        return new RestOptions(DEFAULT_HOST, 0, defaultNumThreads(), DEFAULT_TIMEOUT, false, DEFAULT_MAX_BODY_BYTES);
    }

    /**
     * TF Serving's default, 4 request threads per core. It trades tail latency for throughput: ServeDeck's
     * threads only run the call (Netty's event loops do the I/O), so threads beyond the cores take turns on
     * them, and a turn lands in a request's latency. On 2 cores at 64 connections, half_plus_two measured
     * p99 12-20 ms at 28-33k req/s with 8 threads, 6-7 ms at 24k req/s with 2 (README, Benchmarks);
     * {@code --rest_api_num_threads} set to the core count picks the short tail.
     */
    public static int defaultNumThreads() {
        return 4 * Runtime.getRuntime().availableProcessors();
    }

    public RestOptions withHost(String newHost) {
        return new RestOptions(newHost, port, numThreads, timeout, enableCors, maxBodyBytes, connectionLimits, allowedHosts);
    }

    public RestOptions withPort(int newPort) {
        return new RestOptions(host, newPort, numThreads, timeout, enableCors, maxBodyBytes, connectionLimits, allowedHosts);
    }

    public RestOptions withNumThreads(int newNumThreads) {
        return new RestOptions(host, port, newNumThreads, timeout, enableCors, maxBodyBytes, connectionLimits, allowedHosts);
    }

    public RestOptions withTimeout(Duration newTimeout) {
        return new RestOptions(host, port, numThreads, newTimeout, enableCors, maxBodyBytes, connectionLimits, allowedHosts);
    }

    public RestOptions withCors(boolean newEnableCors) {
        return new RestOptions(host, port, numThreads, timeout, newEnableCors, maxBodyBytes, connectionLimits, allowedHosts);
    }

    public RestOptions withMaxBodyBytes(int newMaxBodyBytes) {
        return new RestOptions(host, port, numThreads, timeout, enableCors, newMaxBodyBytes, connectionLimits, allowedHosts);
    }

    public RestOptions withConnectionLimits(RestConnectionLimits limits) {
        return new RestOptions(host, port, numThreads, timeout, enableCors, maxBodyBytes, limits, allowedHosts);
    }

    public RestOptions withAllowedHosts(AllowedHosts newAllowedHosts) {
        return new RestOptions(host, port, numThreads, timeout, enableCors, maxBodyBytes, connectionLimits,
                newAllowedHosts);
    }
}
