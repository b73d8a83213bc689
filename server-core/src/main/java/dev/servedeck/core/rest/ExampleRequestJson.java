package dev.servedeck.core.rest;

import dev.servedeck.core.servable.ExampleBatch;

/** A classify or regress body: the signature it names and its tf.Examples. */
record ExampleRequestJson(String signatureName, ExampleBatch examples) {
}
