package dev.servedeck.core.tensorflow.bundle;

/** One key and its value, as a table stores them (raw bytes; tensor bundle keys are tensor names). */
record TableEntry(byte[] key, byte[] value) {
}
