package dev.servedeck.console.predict;

/** The protocol the Predict page speaks to the server's REST port. */
public enum PredictProtocol {
    /** TF Serving's REST API: {@code POST /v1/models/m[/versions/N|/labels/L]:predict} (and classify, regress). */
    TF_SERVING_V1("TF Serving REST v1"),
    /** The Open Inference Protocol (KServe v2): {@code POST /v2/models/m[/versions/N]/infer}. */
    OPEN_INFERENCE_V2("Open Inference Protocol v2");

    private final String title;

    PredictProtocol(String title) {
        this.title = title;
    }

    /** How the protocol chooser shows it. */
    public String title() {
        return title;
    }
}
