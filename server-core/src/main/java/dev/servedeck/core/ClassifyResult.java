package dev.servedeck.core;

import dev.servedeck.core.servable.Classification;
import dev.servedeck.core.servable.ServableId;
import java.util.List;

/** The answer to a Classify call: one list of (label, score) per example. */
public record ClassifyResult(ServableId servedBy, String signatureName, List<List<Classification>> results)
        implements ExampleResult {
}
