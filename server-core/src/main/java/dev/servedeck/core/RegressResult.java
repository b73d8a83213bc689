package dev.servedeck.core;

import dev.servedeck.core.servable.ServableId;
import java.util.List;

/** The answer to a Regress call: one value per example. */
public record RegressResult(ServableId servedBy, String signatureName, List<Float> results)
        implements ExampleResult {
}
