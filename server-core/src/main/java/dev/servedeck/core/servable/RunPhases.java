package dev.servedeck.core.servable;

/**
 * Where the time of one model run went, as the Open Inference Protocol's statistics extension splits it: feeding
 * the inputs to the runtime, running the graph, and reading its outputs back.
 *
 * @param inputNanos turning the request's tensors into the runtime's (TensorProto to TensorFlow tensors)
 * @param inferNanos the graph run itself
 * @param outputNanos turning the runtime's output tensors back into TensorProtos
 */
public record RunPhases(long inputNanos, long inferNanos, long outputNanos) {

    /** A run measured only as a whole (a servable that cannot tell its phases apart): all of it is the run. */
    public static RunPhases inferOnly(long nanos) {
        return new RunPhases(0, nanos, 0);
    }

    public long totalNanos() {
        return inputNanos + inferNanos + outputNanos;
    }
}
