package dev.servedeck.core.loadgen.body;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import com.google.protobuf.Int64Value;
import dev.servedeck.core.signature.SignatureInfo;
import dev.servedeck.core.signature.TensorInfo;
import dev.servedeck.proto.apis.ModelSpec;
import dev.servedeck.proto.apis.PredictRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;

/**
 * A REST Predict body ({@code instances} or {@code inputs}, TF Serving's JSON) as the gRPC PredictRequest that
 * asks the same, so one body (from a file or from the signature) loads either protocol. Dtypes come from the
 * signature the body calls, as the server's own JSON reader takes them; strings may be {@code {"b64": ...}}.
 * Shapes are read from the nesting (the first element of each level), as a row-format body stacks rows.
 */
public final class JsonPredictRequest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonPredictRequest() {
    }

    /**
     * @param signatures the model's signatures (the body's {@code signature_name}, else serving_default, says which)
     * @param version null for the latest
     */
    public static PredictRequest of(String body, String model, Long version, List<SignatureInfo> signatures) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException e) {
            throw new IllegalArgumentException("the request body is not JSON: " + e.getMessage(), e);
        }
        String signatureName = root.path("signature_name").asText(SignatureInfo.SERVING_DEFAULT);
        SignatureInfo signature = signatures.stream().filter(s -> s.name().equals(signatureName)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(model + " has no signature '" + signatureName + "'"));
        ModelSpec.Builder spec = ModelSpec.newBuilder().setName(model);
        if (root.has("signature_name")) {
            spec.setSignatureName(signatureName);
        }
        if (version != null) {
            spec.setVersion(Int64Value.of(version));
        }
        PredictRequest.Builder request = PredictRequest.newBuilder().setModelSpec(spec);
        tensorValues(root, signature).forEach((name, values) ->
                request.putInputs(name, tensor(dtype(signature, name), values)));
        return request.build();
    }

    /** Each input's JSON value, rows stacked into one array when the body is in the row format. */
    private static Map<String, JsonNode> tensorValues(JsonNode root, SignatureInfo signature) {
        Map<String, JsonNode> values = new LinkedHashMap<>();
        JsonNode instances = root.get("instances");
        JsonNode inputs = root.get("inputs");
        if (instances != null && instances.isArray()) {
            if (instances.size() > 0 && instances.get(0).isObject()) {
                for (Iterator<String> names = instances.get(0).fieldNames(); names.hasNext(); ) {
                    String name = names.next();
                    List<JsonNode> column = new ArrayList<>();
                    instances.forEach(row -> column.add(row.get(name)));
                    values.put(name, JSON.createArrayNode().addAll(column));
                }
            } else {
                values.put(onlyInput(signature), instances);
            }
        } else if (inputs != null && inputs.isObject()) {
            inputs.fields().forEachRemaining(field -> values.put(field.getKey(), field.getValue()));
        } else if (inputs != null) {
            values.put(onlyInput(signature), inputs);
        } else {
            throw new IllegalArgumentException("a Predict body has \"instances\" or \"inputs\"");
        }
        return values;
    }

    private static String onlyInput(SignatureInfo signature) {
        List<TensorInfo> inputs = signature.inputs().stream().filter(input -> !input.hasDefault()).toList();
        if (inputs.size() != 1) {
            throw new IllegalArgumentException("unnamed values, but signature " + signature.name() + " has "
                    + inputs.size() + " inputs to send");
        }
        return inputs.get(0).name();
    }

    private static String dtype(SignatureInfo signature, String input) {
        return signature.inputs().stream().filter(t -> t.name().equals(input)).map(TensorInfo::dtype).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("signature " + signature.name() + " has no input '"
                        + input + "'"));
    }

    private static TensorProto tensor(String dtype, JsonNode value) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (JsonNode level = value; level.isArray(); level = level.size() == 0 ? JSON.nullNode() : level.get(0)) {
            shape.addDim(TensorShapeProto.Dim.newBuilder().setSize(level.size()));
        }
        TensorProto.Builder tensor = TensorProto.newBuilder().setTensorShape(shape);
        List<JsonNode> elements = new ArrayList<>();
        flatten(value, elements);
        switch (dtype) {
            case "FLOAT" -> {
                tensor.setDtype(DataType.DT_FLOAT);
                elements.forEach(e -> tensor.addFloatVal((float) e.asDouble()));
            }
            case "DOUBLE" -> {
                tensor.setDtype(DataType.DT_DOUBLE);
                elements.forEach(e -> tensor.addDoubleVal(e.asDouble()));
            }
            case "INT64" -> {
                tensor.setDtype(DataType.DT_INT64);
                elements.forEach(e -> tensor.addInt64Val(e.asLong()));
            }
            case "INT32", "INT16", "INT8", "UINT8", "UINT16" -> {
                tensor.setDtype(DataType.valueOf("DT_" + dtype));
                elements.forEach(e -> tensor.addIntVal(e.asInt()));
            }
            case "BOOL" -> {
                tensor.setDtype(DataType.DT_BOOL);
                elements.forEach(e -> tensor.addBoolVal(e.asBoolean()));
            }
            case "STRING" -> {
                tensor.setDtype(DataType.DT_STRING);
                elements.forEach(e -> tensor.addStringVal(e.isObject() && e.has("b64")
                        ? ByteString.copyFrom(Base64.getDecoder().decode(e.get("b64").asText()))
                        : ByteString.copyFrom(e.asText(), StandardCharsets.UTF_8)));
            }
            default -> throw new IllegalArgumentException("the load engine cannot send " + dtype
                    + " over gRPC from a JSON body yet");
        }
        return tensor.build();
    }

    private static void flatten(JsonNode value, List<JsonNode> into) {
        if (value.isArray()) {
            value.forEach(element -> flatten(element, into));
        } else {
            into.add(value);
        }
    }
}
