package dev.servedeck.core.rest;

import dev.servedeck.core.oip.InferRequest;
import java.util.Set;

/**
 * An Open Inference Protocol request as read from REST: the request, and which outputs to answer as binary data
 * (the binary tensor extension).
 *
 * @param binaryOutputs outputs asked for with {@code "parameters": {"binary_data": true}}
 * @param allBinary the request's {@code "binary_data_output": true}: every output not asked otherwise is binary
 */
record OpenInferenceRequestJson(InferRequest request, Set<String> binaryOutputs, Set<String> jsonOutputs,
        boolean allBinary) {

    boolean binary(String output) {
        return binaryOutputs.contains(output) || allBinary && !jsonOutputs.contains(output);
    }
}
