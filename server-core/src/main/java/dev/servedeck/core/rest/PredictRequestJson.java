package dev.servedeck.core.rest;

/**
 * A predict body after the first, cheap pass: the signature it names and where its tensor values start.
 * The values are converted only once the signature (and so every input's dtype) is known.
 *
 * @param instances the body from the {@code "instances"} value on, or null
 * @param inputs the body from the {@code "inputs"} value on, or null
 */
record PredictRequestJson(String signatureName, JsonBody instances, JsonBody inputs) {

    /** The layout to answer in; only meaningful once the inputs were read without error. */
    PredictFormat format() {
        return instances != null ? PredictFormat.ROW : PredictFormat.COLUMNAR;
    }
}
