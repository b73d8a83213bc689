package dev.servedeck.core.rest;

/** How a predict request laid out its tensors; the response answers in the same layout. */
enum PredictFormat {
    /** {@code "instances"}: a list of rows, answered as {@code "predictions"}. */
    ROW,
    /** {@code "inputs"}: whole tensors, answered as {@code "outputs"}. */
    COLUMNAR
}
