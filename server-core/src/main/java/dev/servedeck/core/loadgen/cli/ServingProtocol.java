package dev.servedeck.core.loadgen.cli;

/** Which of a server's protocols the load speaks, on either transport ({@code --protocol}). */
enum ServingProtocol {
    /** TF Serving's: REST {@code :predict}, gRPC {@code PredictionService/Predict}. */
    V1,
    /** The Open Inference Protocol (KServe v2): REST {@code /v2/models/m/infer}, gRPC {@code ModelInfer}. */
    V2
}
