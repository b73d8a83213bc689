package dev.servedeck.console.backend;

import dev.servedeck.core.loadgen.LoadPlan;
import java.util.Objects;

/**
 * Load for the server: a Predict body sent to a model (its latest version, a version or a label) over one API,
 * as a plan says.
 *
 * @param body TF Serving's REST Predict JSON; over gRPC it becomes the PredictRequest asking the same
 */
public record LoadSpec(String model, VersionChoice version, String body, Api api, LoadPlan plan) {

    /** Which of the server's APIs the load goes to. */
    public enum Api {
        REST,
        GRPC
    }

    public LoadSpec {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(api, "api");
        Objects.requireNonNull(plan, "plan");
    }

    /** The REST path of the Predict call, e.g. {@code /v1/models/mlp/versions/1:predict}. */
    public String predictPath() {
        return "/v1/models/" + model + version.restPath() + ":predict";
    }
}
