package dev.servedeck.core.oip;

import java.util.List;

/** The answer to an inference: the version that served it, the client's id, and the outputs in order. */
public record InferResponse(String model, String version, String id, List<InferOutput> outputs) {
}
