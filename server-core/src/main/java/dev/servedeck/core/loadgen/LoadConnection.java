package dev.servedeck.core.loadgen;

/**
 * One request at a time on one connection (keep-alive, never pipelined): what makes the concurrency the
 * number of requests a server sees at once.
 */
public interface LoadConnection extends AutoCloseable {

    /**
     * Sends the request once; {@code listener} then hears exactly one answer or failure, on any thread. Only
     * called when no request is in flight on this connection.
     */
    void send(AnswerListener listener);

    /**
     * Gives up the request in flight (it took longer than the run's timeout): the listener still hears exactly
     * once, with whatever failure abandoning causes; the run reports it as a timeout.
     */
    void abandon();

    @Override
    void close();
}
