package dev.servedeck.console.backend;

import java.time.Instant;
import java.util.Objects;

/**
 * Something that happened to the server, for the console's event log.
 *
 * @param source what it concerns: {@code server}, or a model version such as {@code mlp:2}
 */
public record ServerEvent(Instant time, Severity severity, String source, String message) {

    public enum Severity { INFO, WARNING, ERROR }

    public ServerEvent {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(message, "message");
    }
}
