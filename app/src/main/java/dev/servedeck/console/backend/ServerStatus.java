package dev.servedeck.console.backend;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A server at one moment, as its backend last saw it.
 *
 * @param state where the server is in its life
 * @param startedAt when it started serving (present while running)
 * @param restPort the bound REST port while running
 * @param grpcPort the bound gRPC port while running (empty when gRPC is not exported)
 * @param models models configured
 * @param availableVersions versions AVAILABLE over all models
 * @param heapUsedBytes Java heap in use
 * @param heapMaxBytes the Java heap limit
 * @param message why it failed, or why it cannot be reached (empty otherwise)
 * @param cpuCores CPU the server's process uses (1.0: one core busy); {@link Double#NaN} when unknown. The
 *        embedded server's process is the console's own
 * @param residentBytes the server process's resident memory; 0 when unknown
 */
public record ServerStatus(State state, Optional<Instant> startedAt, OptionalInt restPort, OptionalInt grpcPort,
        int models, int availableVersions, long heapUsedBytes, long heapMaxBytes, String message, double cpuCores,
        long residentBytes) {

    /**
    /**
     * The life of a server: the embedded one passes STOPPED, STARTING, RUNNING, STOPPING (or FAILED). A remote one is
     * CONNECTING at first, RUNNING while its admin API answers, {@link #UNREACHABLE} while the console cannot reach
     * it (its backend keeps trying; the figures are the last ones seen, the message says why and when the next try
     * is), FAILED when the server refuses the console (a wrong token).
     */
    public enum State { STOPPED, STARTING, RUNNING, STOPPING, FAILED, UNREACHABLE, CONNECTING }

    public ServerStatus {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(restPort, "restPort");
        Objects.requireNonNull(grpcPort, "grpcPort");
        Objects.requireNonNull(message, "message");
    }

    /** A status without the process's CPU and memory (a server that does not report them). */
    public ServerStatus(State state, Optional<Instant> startedAt, OptionalInt restPort, OptionalInt grpcPort,
            int models, int availableVersions, long heapUsedBytes, long heapMaxBytes, String message) {
        this(state, startedAt, restPort, grpcPort, models, availableVersions, heapUsedBytes, heapMaxBytes, message,
                Double.NaN, 0);
    }

    public boolean running() {
        return state == State.RUNNING;
    }

    public Duration uptime(Instant now) {
        return startedAt.map(start -> Duration.between(start, now)).orElse(Duration.ZERO);
    }
}
