package dev.servedeck.core.tensorflow;

/**
 * TF Serving's model warmup: the requests recorded in a version's
 * {@code assets.extra/tf_serving_warmup_requests} are replayed before the version becomes AVAILABLE.
 *
 * @param enabled {@code --enable_model_warmup} (TF Serving's default: true)
 * @param requestIterations how many times each recorded request is replayed
 *     ({@code --num_request_iterations_for_warmup}; TF Serving's default 1)
 */
public record ModelWarmupOptions(boolean enabled, int requestIterations) {

    public ModelWarmupOptions {
        if (requestIterations < 1) {
            throw new IllegalArgumentException("warmup request iterations must be >= 1, got " + requestIterations);
        }
    }

    public static ModelWarmupOptions defaults() {
        return new ModelWarmupOptions(true, 1);
    }
}
