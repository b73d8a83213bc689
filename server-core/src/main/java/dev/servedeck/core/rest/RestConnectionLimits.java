package dev.servedeck.core.rest;

import java.time.Duration;
import java.util.Objects;

/**
 * What one REST client may hold of the server: connections, time and unanswered requests. A client that starts a
 * request and stops sending (half a header, a body that stalls) or keeps a connection it does not use is closed;
 * a client that sends requests faster than it reads the answers stops being read.
 *
 * @param idleTimeout a connection with no request being read and no answer pending is closed after this long
 *     without traffic ({@code --rest_api_idle_timeout_in_ms}); so is one whose client has not read its answers
 *     for this long
 * @param readTimeout a request must arrive at this pace ({@code --rest_api_read_timeout_in_ms}): its headers
 *     complete within this long of its first byte, its body without a pause this long; otherwise the server
 *     answers 408 (or closes, when earlier answers are still pending) and closes the connection
 * @param maxConnections open connections beyond this many are closed as soon as they are accepted
 *     ({@code --rest_api_max_connections})
 * @param maxPipelinedRequests a connection with this many requests read and not yet answered is not read further
 *     until an answer goes out ({@code --rest_api_max_pipelined_requests}); neither is one whose answers the
 *     client does not read
 */
public record RestConnectionLimits(Duration idleTimeout, Duration readTimeout, int maxConnections,
        int maxPipelinedRequests) {

    /** Longer than the 60 s idle timeout of common load balancers, so they close an idle connection first. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(75);
    /** The REST API timeout's default: a client gets as long to send a request as the server to start it. */
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(30);
    public static final int DEFAULT_MAX_CONNECTIONS = 1024;
    public static final int DEFAULT_MAX_PIPELINED_REQUESTS = 16;

    public RestConnectionLimits {
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(readTimeout, "readTimeout");
        if (idleTimeout.isNegative() || idleTimeout.isZero() || readTimeout.isNegative() || readTimeout.isZero()) {
            throw new IllegalArgumentException("REST idle and read timeouts must be positive, were " + idleTimeout
                    + " and " + readTimeout);
        }
        if (maxConnections <= 0) {
            throw new IllegalArgumentException("the REST connection limit must be positive, was " + maxConnections);
        }
        if (maxPipelinedRequests <= 0) {
            throw new IllegalArgumentException("the REST pipelined request limit must be positive, was "
                    + maxPipelinedRequests);
        }
    }

    public static RestConnectionLimits defaults() {
        return new RestConnectionLimits(DEFAULT_IDLE_TIMEOUT, DEFAULT_READ_TIMEOUT, DEFAULT_MAX_CONNECTIONS,
                DEFAULT_MAX_PIPELINED_REQUESTS);
    }

    public RestConnectionLimits withTimeouts(Duration idle, Duration read) {
        return new RestConnectionLimits(idle, read, maxConnections, maxPipelinedRequests);
    }

    public RestConnectionLimits withMaxConnections(int max) {
        return new RestConnectionLimits(idleTimeout, readTimeout, max, maxPipelinedRequests);
    }

    public RestConnectionLimits withMaxPipelinedRequests(int max) {
        return new RestConnectionLimits(idleTimeout, readTimeout, maxConnections, max);
    }
}
