package dev.servedeck.core;

/**
 * A Predict call a front end has accepted and queued for a thread that will hand it to the core
 * ({@link ServingApi#expectPredict}). Closing it says the call has left that queue: picked up, or dropped. Close
 * it exactly on those paths; closing again does nothing.
 */
@FunctionalInterface
public interface ExpectedCall extends AutoCloseable {

    /** For a core that counts nothing (batching off, test fakes). */
    ExpectedCall NONE = () -> { };

    @Override
    void close();
}
