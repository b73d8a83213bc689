package dev.servedeck.core;

/**
 * Told how long each call into a loaded model took (TF Serving's runtime latency: the time spent in
 * TensorFlow, without request parsing or rendering). Called on request threads: implementations must be
 * cheap and must not block.
 */
@FunctionalInterface
public interface RuntimeLatencyRecorder {

    /** Records nothing: for a core run without metrics. */
    RuntimeLatencyRecorder NONE = (model, api, nanos) -> { };

    /**
     * @param model the model name
     * @param api TF Serving's API name: {@code Predict}, {@code Classify} or {@code Regress}
     * @param nanos wall time of the servable call
     */
    void record(String model, String api, long nanos);
}
