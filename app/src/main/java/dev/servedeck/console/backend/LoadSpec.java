package dev.servedeck.console.backend;

import dev.servedeck.core.loadgen.LoadPlan;
import java.util.Objects;

/**
 * Load for the server: a Predict body sent to a model (its latest version, a version or a label) over one API,
 * as a plan says.
 *
 * @param version for the Open Inference Protocol the latest or a number: it has no labels (resolve one with
 *     {@link VersionChoice#withoutLabel})
 * @param body TF Serving's REST Predict JSON (over gRPC it becomes the PredictRequest asking the same); for the
 *     Open Inference Protocol its REST inference JSON (over gRPC the ModelInferRequest asking the same)
 */
public record LoadSpec(String model, VersionChoice version, String body, Api api, LoadPlan plan) {

    /** Which of the server's APIs the load goes to. */
    public enum Api {
        REST,
        GRPC,
        /** The Open Inference Protocol over REST: {@code POST /v2/models/m[/versions/N]/infer}. */
        REST_V2,
        /** The Open Inference Protocol over gRPC: {@code GRPCInferenceService/ModelInfer}. */
        GRPC_V2;

        public boolean overGrpc() {
            return this == GRPC || this == GRPC_V2;
        }

        public boolean openInference() {
            return this == REST_V2 || this == GRPC_V2;
        }

        public static Api of(boolean grpc, boolean openInference) {
            return openInference ? (grpc ? GRPC_V2 : REST_V2) : (grpc ? GRPC : REST);
        }
    }

    public LoadSpec {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(api, "api");
        Objects.requireNonNull(plan, "plan");
        if (api.openInference() && version instanceof VersionChoice.Label label) {
            throw new IllegalArgumentException("The Open Inference Protocol has no version labels: resolve label '"
                    + label.label() + "' to its version first");
        }
    }

    /** The same load with another plan (a sweep's level, a tuning step's level). */
    public LoadSpec withPlan(LoadPlan other) {
        return new LoadSpec(model, version, body, api, other);
    }

    /** The REST path of the Predict call, e.g. {@code /v1/models/mlp/versions/1:predict}. */
    public String predictPath() {
        return "/v1/models/" + model + version.restPath() + ":predict";
    }

    /** The Open Inference Protocol's REST path of the call, e.g. {@code /v2/models/mlp/versions/1/infer}. */
    public String inferPath() {
        return "/v2/models/" + model + version.inferPath() + "/infer";
    }

    /** Where REST load goes: {@link #predictPath()} or {@link #inferPath()} by the API. */
    public String restPath() {
        return api.openInference() ? inferPath() : predictPath();
    }
}
