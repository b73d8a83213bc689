package dev.servedeck.core.grpc.admin;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What a server is, fixed at its start: for the admin API's server info.
 *
 * @param servedeckVersion the jar's version, "development" for a build from source
 * @param tensorflowVersion the TensorFlow runtime's version
 * @param tensorflowJavaVersion TensorFlow Java's version
 * @param startedAt when the server started
 * @param flags the command-line flags as given ({@code --name=value}); empty for an embedded server
 * @param instanceId random, new at every start: tells a client that the server restarted
 */
public record ServerFacts(String servedeckVersion, String tensorflowVersion, String tensorflowJavaVersion,
        Instant startedAt, List<String> flags, String instanceId) {

    public ServerFacts {
        Objects.requireNonNull(servedeckVersion, "servedeckVersion");
        Objects.requireNonNull(tensorflowVersion, "tensorflowVersion");
        Objects.requireNonNull(tensorflowJavaVersion, "tensorflowJavaVersion");
        Objects.requireNonNull(startedAt, "startedAt");
        flags = List.copyOf(flags);
        Objects.requireNonNull(instanceId, "instanceId");
    }
}
