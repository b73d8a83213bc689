package dev.servedeck.console.backend;

import java.time.Duration;
import java.util.Objects;

/** The server's answer to a {@link RestCall}, with the time it took as the client saw it. */
public record RestReply(int statusCode, String body, Duration latency) {

    public RestReply {
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(latency, "latency");
    }

    public boolean ok() {
        return statusCode >= 200 && statusCode < 300;
    }
}
