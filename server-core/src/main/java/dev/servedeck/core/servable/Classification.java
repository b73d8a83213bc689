package dev.servedeck.core.servable;

/** One (label, score) pair of a classification; the label is empty when the signature has no classes output. */
public record Classification(String label, float score) {
}
