package dev.servedeck.core.requestlog;

import dev.servedeck.core.status.Code;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One logged request, as written to the request log and handed to live tails.
 *
 * @param version the version that served it; empty when the call failed before a version was chosen
 * @param api TF Serving's API name ({@code Predict}, {@code Classify}, {@code Regress})
 * @param entrypoint the front end ({@code REST}, {@code GRPC})
 * @param requestBytes payload bytes in: input tensors or tf.Examples as protobuf-serialized
 * @param responseBytes payload bytes out: output tensors as protobuf-serialized, 4 bytes per float result
 * @param requestBody the inputs as JSON, only with bodies enabled
 * @param responseBody the outputs as JSON, only with bodies enabled and a successful call
 */
public record RequestLogEntry(
        Instant time,
        String model,
        OptionalLong version,
        String signature,
        String api,
        String entrypoint,
        Code status,
        long latencyMicros,
        long requestBytes,
        long responseBytes,
        Optional<String> requestBody,
        Optional<String> responseBody) {

    public RequestLogEntry {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(signature, "signature");
        Objects.requireNonNull(api, "api");
        Objects.requireNonNull(entrypoint, "entrypoint");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(requestBody, "requestBody");
        Objects.requireNonNull(responseBody, "responseBody");
    }
}
