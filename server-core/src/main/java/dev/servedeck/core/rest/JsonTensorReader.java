package dev.servedeck.core.rest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.servedeck.core.status.ServingException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;
import org.tensorflow.proto.TensorProto;

/**
 * Reads a predict request body, as TF Serving's FillPredictRequestFromJson does, in two streaming passes:
 * {@link #scan} finds the signature name and where the tensors start (before the model is resolved),
 * {@link #readInputs} converts the tensors once the signature's dtypes are known. No JSON tree is built.
 */
final class JsonTensorReader {

    private final JsonFactory json;

    JsonTensorReader(JsonFactory json) {
        this.json = json;
    }

    /** First pass: checks the syntax of the whole body and notes the signature name and the tensor values. */
    PredictRequestJson scan(JsonBody body) {
        try (JsonParser p = body.openObject(json)) {
            String signature = "";
            JsonBody instances = null;
            JsonBody inputs = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "signature_name" -> signature = JsonErrors.signatureName(json, p, value);
                    case "instances" -> instances = valueSlice(p, body);
                    case "inputs" -> inputs = valueSlice(p, body);
                    // Skipping still checks the syntax, so a broken body fails here, before any model is looked up.
                    default -> p.skipChildren();
                }
            }
            if (p.nextToken() != null) {
                throw ServingException.invalidArgument("JSON Parse error: The document root must not be followed by "
                        + "other values. at offset: " + p.currentTokenLocation().getByteOffset());
            }
            return new PredictRequestJson(signature, instances, inputs);
        } catch (JsonProcessingException e) {
            throw JsonErrors.parseError(e);
        } catch (IOException e) {
            throw ServingException.invalidArgument("JSON Parse error: " + e.getMessage());
        }
    }

    /** The current value's bytes, exactly: re-read on its own, a scalar must not run into the enclosing object. */
    private static JsonBody valueSlice(JsonParser p, JsonBody body) throws IOException {
        long start = p.currentTokenLocation().getByteOffset();
        p.skipChildren();
        p.finishToken();
        return body.slice(start, p.currentLocation().getByteOffset());
    }

    /** Second pass: the input tensors by alias, typed and shaped as the signature asks. */
    Map<String, TensorProto> readInputs(PredictRequestJson request, SignatureDef signature) {
        Map<String, TensorInfo> infos = new TreeMap<>(signature.getInputsMap());
        if (infos.isEmpty()) {
            String name = request.signatureName();
            throw ServingException.invalidArgument("Failed to get input map for signature: "
                    + (name.isEmpty() ? "DEFAULT" : name));
        }
        if (request.instances() != null && request.inputs() != null) {
            throw ServingException.invalidArgument(
                    "Not formatted correctly expecting only one of 'inputs' or 'instances' keys to exist");
        }
        // Beyond TF Serving's REST API (its gRPC API already does this): an input with a value in the signature's
        // defaults (TF2's PlaceholderWithDefault) may be left out, and a plain value or list then goes to the one
        // input without a default. Row objects stay strict: a default is a whole tensor, not one row's value.
        Map<String, TensorInfo> required = new TreeMap<>(infos);
        required.keySet().removeAll(signature.getDefaultsMap().keySet());
        Map<String, TensorInfo> plainTarget = required.size() == 1 ? required : infos;
        try {
            if (request.instances() != null) {
                return readInstances(request.instances(), infos, plainTarget);
            }
            if (request.inputs() != null) {
                return readColumns(request.inputs(), infos, plainTarget, required);
            }
        } catch (JsonProcessingException e) {
            throw JsonErrors.parseError(e);
        } catch (IOException e) {
            throw ServingException.invalidArgument("JSON Parse error: " + e.getMessage());
        }
        throw ServingException.invalidArgument("Missing 'inputs' or 'instances' key");
    }

    private Map<String, TensorProto> readInstances(JsonBody values, Map<String, TensorInfo> infos,
            Map<String, TensorInfo> plainTarget) throws IOException {
        try (JsonParser p = values.open(json)) {
            if (p.nextToken() != JsonToken.START_ARRAY) {
                throw ServingException.invalidArgument("Expecting 'instances' to be an list/array");
            }
            JsonToken token = p.nextToken();
            if (token == JsonToken.END_ARRAY) {
                throw ServingException.invalidArgument("No values in 'instances' array");
            }
            // The first element decides: a list of named-input objects, or a plain list of values.
            ObjectStart first = null;
            long firstOffset = p.currentTokenLocation().getByteOffset();
            if (token == JsonToken.START_OBJECT) {
                first = ObjectStart.peek(p);
            }
            boolean objects = first != null && !first.isBase64();
            if (!objects && plainTarget.size() > 1) {
                throw ServingException.invalidArgument("instances is a plain list, but expecting list of objects as "
                        + "multiple input tensors required as per tensorinfo_map");
            }
            return objects
                    ? readObjectInstances(p, first, firstOffset, infos, values)
                    : readPlainInstances(p, first, plainTarget, values);
        }
    }

    private Map<String, TensorProto> readPlainInstances(JsonParser p, ObjectStart first,
            Map<String, TensorInfo> infos, JsonBody values) throws IOException {
        Map.Entry<String, TensorInfo> input = infos.entrySet().iterator().next();
        TensorBuilder builder = new TensorBuilder(input.getKey(), input.getValue().getDtype(), 1, json, values);
        int index = 0;
        JsonToken token = p.currentToken();
        do {
            ObjectStart object = index == 0 ? first : null;
            if (index > 0 && token == JsonToken.START_OBJECT) {
                object = ObjectStart.peek(p);
            }
            if (object != null) {
                if (!object.isBase64()) {
                    throw ServingException.invalidArgument(
                            "Expecting value/list but got object at item " + index + " of input list");
                }
            }
            try {
                if (object != null) {
                    builder.addBase64Scalar(object.base64());
                } else {
                    builder.readValue(p);
                }
            } catch (ServingException e) {
                throw elementError(index, input.getKey(), e);
            }
            index++;
            token = p.nextToken();
        } while (token != JsonToken.END_ARRAY);
        builder.setBatchSize(index);
        return Map.of(input.getKey(), builder.build());
    }

    private Map<String, TensorProto> readObjectInstances(JsonParser p, ObjectStart first, long firstOffset,
            Map<String, TensorInfo> infos, JsonBody values) throws IOException {
        Map<String, InstanceInput> inputs = new HashMap<>();
        for (Map.Entry<String, TensorInfo> info : infos.entrySet()) {
            inputs.put(info.getKey(), new InstanceInput(
                    new TensorBuilder(info.getKey(), info.getValue().getDtype(), 1, json, values)));
        }
        int index = 0;
        JsonToken token = p.currentToken();
        do {
            long objectOffset = index == 0 ? firstOffset : p.currentTokenLocation().getByteOffset();
            ObjectStart object = index == 0 ? first : null;
            if (index > 0 && token == JsonToken.START_OBJECT) {
                object = ObjectStart.peek(p);
            }
            if (object == null || object.isBase64()) {
                throw ServingException.invalidArgument(
                        "Expecting object but got list at item " + index + " of input list");
            }
            int assigned = 0;
            if (object.b64StringPending()) {
                InstanceInput input = inputFor(inputs, "b64", index);
                try {
                    input.builder.addStringScalar(object.base64());
                } catch (ServingException e) {
                    throw elementError(index, "b64", e);
                }
                assigned++;
            } else if (object.b64ValuePending()) {
                readInstanceValue(p, inputFor(inputs, "b64", index), index);
                assigned++;
                p.nextToken();
            }
            while (p.currentToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                p.nextToken();
                readInstanceValue(p, inputFor(inputs, key, index), index);
                assigned++;
                p.nextToken();
            }
            if (assigned != inputs.size()) {
                throw ServingException.invalidArgument("Failed to process element: " + index
                        + " of 'instances' list. JSON object: " + JsonErrors.renderAt(json, values, objectOffset)
                        + " keys must be equal to: " + String.join(",", infos.keySet()));
            }
            index++;
            token = p.nextToken();
        } while (token != JsonToken.END_ARRAY);
        Map<String, TensorProto> tensors = new HashMap<>();
        for (InstanceInput input : inputs.values()) {
            input.builder.setBatchSize(index);
            tensors.put(input.builder.name(), input.builder.build());
        }
        return tensors;
    }

    private static InstanceInput inputFor(Map<String, InstanceInput> inputs, String key, int index) {
        InstanceInput input = inputs.get(key);
        if (input == null) {
            throw ServingException.invalidArgument("Failed to process element: " + index + " key: " + key
                    + " of 'instances' list. Error: JSON object: does not have named input: " + key);
        }
        if (input.lastInstance == index) {
            throw ServingException.invalidArgument("Failed to process element: " + index + " key: " + key
                    + " of 'instances' list. Error: JSON object has the key more than once");
        }
        input.lastInstance = index;
        return input;
    }

    private static void readInstanceValue(JsonParser p, InstanceInput input, int index) throws IOException {
        try {
            input.builder.readValue(p);
        } catch (ServingException e) {
            throw elementError(index, input.builder.name(), e);
        }
    }

    private Map<String, TensorProto> readColumns(JsonBody values, Map<String, TensorInfo> infos,
            Map<String, TensorInfo> plainTarget, Map<String, TensorInfo> required) throws IOException {
        try (JsonParser p = values.open(json)) {
            JsonToken token = p.nextToken();
            ObjectStart object = token == JsonToken.START_OBJECT ? ObjectStart.peek(p) : null;
            if (object == null || object.isBase64()) {
                if (plainTarget.size() > 1) {
                    throw ServingException.invalidArgument("inputs is a plain value/list, but expecting an object as "
                            + "multiple input tensors required as per tensorinfo_map");
                }
                Map.Entry<String, TensorInfo> input = plainTarget.entrySet().iterator().next();
                TensorBuilder builder = new TensorBuilder(input.getKey(), input.getValue().getDtype(), 0, json, values);
                try {
                    if (object != null) {
                        builder.addBase64Scalar(object.base64());
                    } else {
                        builder.readValue(p);
                    }
                } catch (ServingException e) {
                    throw inputError(input.getKey(), e);
                }
                return Map.of(input.getKey(), builder.build());
            }
            return readNamedColumns(p, object, infos, required, values);
        }
    }

    /** TF Serving looks up each signature input and ignores other keys; so does this. */
    private Map<String, TensorProto> readNamedColumns(JsonParser p, ObjectStart object, Map<String, TensorInfo> infos,
            Map<String, TensorInfo> required, JsonBody values) throws IOException {
        Map<String, TensorProto> tensors = new HashMap<>();
        if (object.b64StringPending()) {
            TensorInfo info = infos.get("b64");
            if (info != null) {
                TensorBuilder builder = new TensorBuilder("b64", info.getDtype(), 0, json, values);
                try {
                    builder.addStringScalar(object.base64());
                } catch (ServingException e) {
                    throw inputError("b64", e);
                }
                tensors.put("b64", builder.build());
            }
        } else if (object.b64ValuePending()) {
            readColumn(p, "b64", infos, tensors, values);
            p.nextToken();
        }
        while (p.currentToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            p.nextToken();
            readColumn(p, key, infos, tensors, values);
            p.nextToken();
        }
        List<String> missing = new ArrayList<>();
        for (String name : required.keySet()) {
            if (!tensors.containsKey(name)) {
                missing.add(name);
            }
        }
        if (!missing.isEmpty()) {
            throw ServingException.invalidArgument("Missing named input: " + missing.get(0) + " in 'inputs' object.");
        }
        return tensors;
    }

    private void readColumn(JsonParser p, String key, Map<String, TensorInfo> infos, Map<String, TensorProto> tensors,
            JsonBody values) throws IOException {
        TensorInfo info = infos.get(key);
        if (info == null || tensors.containsKey(key)) {
            p.skipChildren();
            return;
        }
        TensorBuilder builder = new TensorBuilder(key, info.getDtype(), 0, json, values);
        try {
            builder.readValue(p);
        } catch (ServingException e) {
            throw inputError(key, e);
        }
        tensors.put(key, builder.build());
    }

    private static ServingException elementError(int index, String input, ServingException cause) {
        return new ServingException(cause.code(), "Failed to process element: " + index + " key: " + input
                + " of 'instances' list. Error: " + cause.getMessage(), cause);
    }

    private static ServingException inputError(String input, ServingException cause) {
        return new ServingException(cause.code(), "Failed to process input: " + input + " of 'inputs'. Error: "
                + cause.getMessage(), cause);
    }

    /** One input of a row-format request: its builder and the last instance that named it. */
    private static final class InstanceInput {
        final TensorBuilder builder;
        int lastInstance = -1;

        InstanceInput(TensorBuilder builder) {
            this.builder = builder;
        }
    }
}
