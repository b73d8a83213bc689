package dev.servedeck.core.loadgen.body;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import dev.servedeck.core.oip.InferDatatype;
import dev.servedeck.core.oip.InferInput;
import dev.servedeck.core.oip.InputTensorBuilder;
import dev.servedeck.core.status.ServingException;
import dev.servedeck.proto.inference.InferParameter;
import dev.servedeck.proto.inference.ModelInferRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * An Open Inference Protocol REST body ({@code {"inputs": [{"name", "shape", "datatype", "data"}]}}) as the gRPC
 * {@code ModelInferRequest} that asks the same, so one v2 body (from a file or from the signature) loads either
 * transport. Inputs go in {@code raw_input_contents}, packed by the server's own rule ({@link InputTensorBuilder}),
 * as the protocol's own clients (Triton's perf_analyzer) send them; the datatype names are checked by the server's
 * table ({@link InferDatatype}). Request parameters (ServeDeck's {@code signature_name}) and the outputs asked for
 * are carried over.
 */
public final class JsonInferRequest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonInferRequest() {
    }

    /** @param version empty for the latest */
    public static ModelInferRequest of(String body, String model, String version) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException e) {
            throw new IllegalArgumentException("the request body is not JSON: " + e.getMessage(), e);
        }
        JsonNode inputs = root == null ? null : root.get("inputs");
        if (inputs == null || !inputs.isArray()) {
            throw new IllegalArgumentException("an Open Inference Protocol body has an \"inputs\" array");
        }
        ModelInferRequest.Builder request = ModelInferRequest.newBuilder().setModelName(model).setModelVersion(version);
        if (root.hasNonNull("id")) {
            request.setId(root.get("id").asText());
        }
        root.path("parameters").fields().forEachRemaining(parameter ->
                request.putParameters(parameter.getKey(), parameter(parameter.getValue())));
        try {
            for (JsonNode input : inputs) {
                InferInput packed = input(input);
                ModelInferRequest.InferInputTensor.Builder tensor = request.addInputsBuilder()
                        .setName(packed.name())
                        .setDatatype(packed.datatype().name());
                for (JsonNode size : input.path("shape")) {
                    tensor.addShape(size.asLong());
                }
                request.addRawInputContents(packed.rawContents());
            }
        } catch (ServingException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        for (JsonNode output : root.path("outputs")) {
            request.addOutputsBuilder().setName(output.path("name").asText());
        }
        return request.build();
    }

    private static InferInput input(JsonNode input) {
        String name = input.path("name").asText();
        if (input.path("parameters").has("binary_data_size")) {
            throw new IllegalArgumentException("input '" + name + "' is binary data: give its values in \"data\"");
        }
        InferDatatype datatype = InferDatatype.parse(input.path("datatype").asText(), name);
        List<Long> dims = new ArrayList<>();
        input.path("shape").forEach(size -> dims.add(size.asLong()));
        InputTensorBuilder tensor = new InputTensorBuilder(name, datatype, dims.stream().mapToLong(Long::longValue).toArray());
        List<JsonNode> values = new ArrayList<>();
        flatten(input.path("data"), values);
        for (JsonNode value : values) {
            switch (datatype) {
                case BOOL -> tensor.addBool(value.asBoolean());
                case FP32, FP64 -> tensor.addFloating(value.asDouble());
                case BYTES -> tensor.addBytes(ByteString.copyFrom(value.asText(), StandardCharsets.UTF_8));
                case UINT64 -> tensor.addUnsigned64(Long.parseUnsignedLong(value.asText()));
                case FP16, BF16 -> throw new IllegalArgumentException("the load engine cannot send " + datatype
                        + " over gRPC from a JSON body yet (input '" + name + "')");
                default -> tensor.addInteger(value.asLong());
            }
        }
        return tensor.build();
    }

    private static InferParameter parameter(JsonNode value) {
        InferParameter.Builder parameter = InferParameter.newBuilder();
        if (value.isBoolean()) {
            parameter.setBoolParam(value.asBoolean());
        } else if (value.isIntegralNumber()) {
            parameter.setInt64Param(value.asLong());
        } else if (value.isNumber()) {
            parameter.setDoubleParam(value.asDouble());
        } else {
            parameter.setStringParam(value.asText());
        }
        return parameter.build();
    }

    private static void flatten(JsonNode value, List<JsonNode> into) {
        if (value.isArray()) {
            value.forEach(element -> flatten(element, into));
        } else if (!value.isMissingNode()) {
            into.add(value);
        }
    }
}
