package dev.servedeck.console.backend;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The embedded server at one moment.
 *
 * @param state where the server is in its life
 * @param startedAt when it started serving (present while running)
 * @param restPort the bound REST port while running
 * @param grpcPort the bound gRPC port while running (empty when gRPC is not exported)
 * @param models models configured
 * @param availableVersions versions AVAILABLE over all models
 * @param heapUsedBytes Java heap in use
 * @param heapMaxBytes the Java heap limit
 * @param message why it failed (empty otherwise)
 */
public record ServerStatus(State state, Optional<Instant> startedAt, OptionalInt restPort, OptionalInt grpcPort,
        int models, int availableVersions, long heapUsedBytes, long heapMaxBytes, String message) {

    /** The life of the embedded server. */
    public enum State { STOPPED, STARTING, RUNNING, STOPPING, FAILED }

    public ServerStatus {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(restPort, "restPort");
        Objects.requireNonNull(grpcPort, "grpcPort");
        Objects.requireNonNull(message, "message");
    }

    public boolean running() {
        return state == State.RUNNING;
    }

    public Duration uptime(Instant now) {
        return startedAt.map(start -> Duration.between(start, now)).orElse(Duration.ZERO);
    }
}
