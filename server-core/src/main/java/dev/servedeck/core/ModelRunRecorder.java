package dev.servedeck.core;

/**
 * Told about every call into a loaded model: how long it took and in which phases (TF Serving's runtime latency
 * is the whole of it: the time spent in TensorFlow, without request parsing or rendering; the Open Inference
 * Protocol's statistics read the phases and the batch size). The one place model runs are measured, so every
 * reader sees the same numbers. Called on request and batch threads: implementations must be cheap and must not
 * block.
 */
@FunctionalInterface
public interface ModelRunRecorder {

    /** Records nothing: for a core run without metrics. */
    ModelRunRecorder NONE = run -> { };

    void record(ModelRun run);
}
