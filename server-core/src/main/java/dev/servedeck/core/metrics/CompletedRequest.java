package dev.servedeck.core.metrics;

import dev.servedeck.core.status.Code;

/**
 * One finished inference call, as every recorder (Prometheus metrics, live statistics) sees it.
 *
 * @param version the version that served it (a failed call: the one it was for, see {@link FailedCallLabels}), or
 *     {@link #UNKNOWN_VERSION} when the call failed before one was chosen
 * @param api TF Serving's API label: {@code Predict}, {@code Classify}, {@code Regress}
 * @param entrypoint the front end: {@code REST} or {@code GRPC}
 * @param rows the batch size: the first dimension of the outputs, or the number of examples
 * @param examples the number of tf.Examples (Classify and Regress), else 0
 */
public record CompletedRequest(
        String model,
        long version,
        String signature,
        String api,
        String entrypoint,
        Code status,
        long latencyNanos,
        long rows,
        int examples) {

    public static final long UNKNOWN_VERSION = -1;

    public long latencyMicros() {
        return latencyNanos / 1_000;
    }

    public boolean ok() {
        return status == Code.OK;
    }
}
