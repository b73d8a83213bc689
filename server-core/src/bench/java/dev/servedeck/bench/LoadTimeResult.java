package dev.servedeck.bench;

import java.util.Arrays;

/**
 * Load times of one SavedModel layout of the demo MLP, in milliseconds, one entry per load.
 *
 * @param layout "TF1" (TensorFlow Java's exporter, as the demo models) or "TF2" (tf.saved_model.save's layout)
 * @param loadMillis {@code SavedModelLoader.load()}: parse, import, restore, init op (what LOADING lasts)
 * @param firstAnswerMillis load plus the first Predict (TensorFlow optimises a graph on its first run)
 */
record LoadTimeResult(String layout, double[] loadMillis, double[] firstAnswerMillis) {

    double medianLoad() {
        return median(loadMillis);
    }

    double medianFirstAnswer() {
        return median(firstAnswerMillis);
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    static double min(double[] values) {
        return Arrays.stream(values).min().orElse(Double.NaN);
    }

    static double max(double[] values) {
        return Arrays.stream(values).max().orElse(Double.NaN);
    }
}
