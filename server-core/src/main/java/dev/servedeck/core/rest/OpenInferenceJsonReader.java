package dev.servedeck.core.rest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.google.protobuf.ByteString;
import dev.servedeck.core.oip.InferDatatype;
import dev.servedeck.core.oip.InferInput;
import dev.servedeck.core.oip.InferRequest;
import dev.servedeck.core.oip.InputTensorBuilder;
import dev.servedeck.core.status.ServingException;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads an Open Inference Protocol inference request: {@code id}, {@code parameters} ({@code signature_name},
 * {@code binary_data_output}), {@code inputs} (name, shape, datatype, data flat or nested, or
 * {@code parameters.binary_data_size} bytes of the binary section after the JSON) and {@code outputs} (name,
 * {@code parameters.binary_data}). Unknown keys and parameters are ignored, as the protocol lets servers define
 * their own.
 *
 * <p>An input's {@code data} may come before its {@code datatype}, so it is skipped on the first pass and read
 * from its byte range once the input's object has been read, straight into the tensor: no tree of JSON nodes.
 */
final class OpenInferenceJsonReader {

    private static final BigInteger UINT64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    private final JsonFactory json;

    OpenInferenceJsonReader(JsonFactory json) {
        this.json = json;
    }

    /**
     * @param model the model the path names
     * @param version the version the path names (empty for none)
     * @param header the JSON part of the body
     * @param binary the binary section after it (empty without the binary extension)
     */
    OpenInferenceRequestJson read(String model, String version, JsonBody header, ByteString binary) {
        try (JsonParser p = header.openObject(json)) {
            return read(model, version, header, binary, p);
        } catch (JsonProcessingException e) {
            throw JsonErrors.parseError(e);
        } catch (IOException e) {
            throw ServingException.invalidArgument("Cannot read the request body: " + e.getMessage());
        }
    }

    private OpenInferenceRequestJson read(String model, String version, JsonBody body, ByteString binary, JsonParser p)
            throws IOException {
        String id = "";
        String signature = "";
        boolean allBinary = false;
        List<InferInput> inputs = new ArrayList<>();
        List<String> outputs = new ArrayList<>();
        Set<String> binaryOutputs = new HashSet<>();
        Set<String> jsonOutputs = new HashSet<>();
        BinarySection section = new BinarySection(binary);
        boolean sawInputs = false;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            switch (field) {
                case "id" -> id = string(p, value, "id");
                case "parameters" -> {
                    requireObject(value, "parameters");
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String name = p.currentName();
                        JsonToken parameter = p.nextToken();
                        if (InferRequest.SIGNATURE_PARAMETER.equals(name)) {
                            signature = string(p, parameter, "parameters." + name);
                        } else if ("binary_data_output".equals(name)) {
                            allBinary = bool(parameter, "parameters.binary_data_output");
                        } else {
                            p.skipChildren();
                        }
                    }
                }
                case "inputs" -> {
                    requireArray(value, "inputs");
                    sawInputs = true;
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        inputs.add(input(p, body, section));
                    }
                }
                case "outputs" -> {
                    requireArray(value, "outputs");
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        output(p, outputs, binaryOutputs, jsonOutputs);
                    }
                }
                default -> p.skipChildren();
            }
        }
        if (!sawInputs) {
            throw ServingException.invalidArgument("The request has no 'inputs'");
        }
        section.requireAllRead();
        return new OpenInferenceRequestJson(new InferRequest(model, version, id, signature, inputs, outputs),
                binaryOutputs, jsonOutputs, allBinary);
    }

    private InferInput input(JsonParser p, JsonBody body, BinarySection section) throws IOException {
        requireObject(p.currentToken(), "inputs[]");
        String name = null;
        String datatype = null;
        long[] shape = null;
        JsonBody data = null;
        long binarySize = -1;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            switch (field) {
                case "name" -> name = string(p, value, "inputs[].name");
                case "datatype" -> datatype = string(p, value, "inputs[].datatype");
                case "shape" -> shape = shape(p, value);
                case "data" -> {
                    long start = p.currentTokenLocation().getByteOffset();
                    p.skipChildren();
                    data = body.slice(start, p.currentLocation().getByteOffset());
                }
                case "parameters" -> {
                    requireObject(value, "inputs[].parameters");
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String parameter = p.currentName();
                        JsonToken parameterValue = p.nextToken();
                        if ("binary_data_size".equals(parameter)) {
                            if (parameterValue != JsonToken.VALUE_NUMBER_INT || p.getLongValue() < 0) {
                                throw ServingException.invalidArgument(
                                        "'binary_data_size' must be a non-negative integer");
                            }
                            binarySize = p.getLongValue();
                        } else {
                            p.skipChildren();
                        }
                    }
                }
                default -> p.skipChildren();
            }
        }
        if (name == null || datatype == null || shape == null) {
            throw ServingException.invalidArgument("Every input needs 'name', 'shape' and 'datatype'"
                    + (name == null ? "" : "; input '" + name + "' lacks one"));
        }
        InferDatatype type = InferDatatype.parse(datatype, name);
        if (binarySize >= 0) {
            if (data != null) {
                throw ServingException.invalidArgument("Input '" + name + "' has both 'data' and 'binary_data_size'");
            }
            return InputTensorBuilder.fromRaw(name, type, shape, section.take(name, binarySize));
        }
        if (data == null) {
            throw ServingException.invalidArgument("Input '" + name + "' has no 'data' (nor 'binary_data_size')");
        }
        InputTensorBuilder builder = new InputTensorBuilder(name, type, shape);
        try (JsonParser values = data.open(json)) {
            values.nextToken();
            readValues(values, builder);
        }
        return builder.build();
    }

    /** The values of {@code data}, flat or nested in row-major order: nesting is only read, never checked. */
    private void readValues(JsonParser p, InputTensorBuilder builder) throws IOException {
        if (p.currentToken() == JsonToken.START_ARRAY) {
            while (p.nextToken() != JsonToken.END_ARRAY) {
                readValues(p, builder);
            }
            return;
        }
        readValue(p, builder);
    }

    private void readValue(JsonParser p, InputTensorBuilder builder) throws IOException {
        JsonToken token = p.currentToken();
        InferDatatype datatype = builder.datatype();
        switch (datatype) {
            case BOOL -> {
                if (token != JsonToken.VALUE_TRUE && token != JsonToken.VALUE_FALSE) {
                    throw notA(builder, "true or false", p);
                }
                builder.addBool(token == JsonToken.VALUE_TRUE);
            }
            case BYTES -> {
                if (token != JsonToken.VALUE_STRING) {
                    throw notA(builder, "string", p);
                }
                builder.addBytes(ByteString.copyFromUtf8(p.getText()));
            }
            case FP16, BF16 -> {
                if (!token.isNumeric()) {
                    throw notA(builder, "number", p);
                }
                float value = p.getFloatValue();
                builder.addHalfBits(datatype == InferDatatype.FP16 ? HalfFloats.floatToHalf(value)
                        : HalfFloats.floatToBfloat16(value));
            }
            case FP32, FP64 -> {
                if (!token.isNumeric()) {
                    throw notA(builder, "number", p);
                }
                builder.addFloating(p.getDoubleValue());
            }
            default -> {
                if (token != JsonToken.VALUE_NUMBER_INT) {
                    throw notA(builder, "integer", p);
                }
                if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                    BigInteger value = p.getBigIntegerValue();
                    if (datatype != InferDatatype.UINT64 || value.signum() < 0 || value.compareTo(UINT64_MAX) > 0) {
                        throw ServingException.invalidArgument("Input '" + builder.name() + "' is " + datatype
                                + ": " + value + " is out of its range");
                    }
                    builder.addUnsigned64(value.longValue());
                } else {
                    builder.addInteger(p.getLongValue());
                }
            }
        }
    }

    private ServingException notA(InputTensorBuilder builder, String expected, JsonParser p) {
        return ServingException.invalidArgument("Input '" + builder.name() + "' is " + builder.datatype()
                + ": its data must be " + expected + " values, found " + JsonErrors.render(json, p));
    }

    private static void output(JsonParser p, List<String> outputs, Set<String> binaryOutputs, Set<String> jsonOutputs)
            throws IOException {
        requireObject(p.currentToken(), "outputs[]");
        String name = null;
        Boolean binary = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            if ("name".equals(field)) {
                name = string(p, value, "outputs[].name");
            } else if ("parameters".equals(field)) {
                requireObject(value, "outputs[].parameters");
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String parameter = p.currentName();
                    JsonToken parameterValue = p.nextToken();
                    if ("binary_data".equals(parameter)) {
                        binary = bool(parameterValue, "outputs[].parameters.binary_data");
                    } else {
                        p.skipChildren();
                    }
                }
            } else {
                p.skipChildren();
            }
        }
        if (name == null) {
            throw ServingException.invalidArgument("Every requested output needs a 'name'");
        }
        outputs.add(name);
        if (binary != null) {
            (binary ? binaryOutputs : jsonOutputs).add(name);
        }
    }

    private static long[] shape(JsonParser p, JsonToken value) throws IOException {
        requireArray(value, "inputs[].shape");
        List<Long> dims = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (p.currentToken() != JsonToken.VALUE_NUMBER_INT
                    || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER || p.getLongValue() < 0) {
                throw ServingException.invalidArgument("'shape' must be an array of non-negative integers");
            }
            dims.add(p.getLongValue());
        }
        return dims.stream().mapToLong(Long::longValue).toArray();
    }

    private static String string(JsonParser p, JsonToken value, String field) throws IOException {
        if (value != JsonToken.VALUE_STRING) {
            throw ServingException.invalidArgument("'" + field + "' must be a string");
        }
        return p.getText();
    }

    private static boolean bool(JsonToken value, String field) {
        if (value != JsonToken.VALUE_TRUE && value != JsonToken.VALUE_FALSE) {
            throw ServingException.invalidArgument("'" + field + "' must be true or false");
        }
        return value == JsonToken.VALUE_TRUE;
    }

    private static void requireObject(JsonToken value, String field) {
        if (value != JsonToken.START_OBJECT) {
            throw ServingException.invalidArgument("'" + field + "' must be an object");
        }
    }

    private static void requireArray(JsonToken value, String field) {
        if (value != JsonToken.START_ARRAY) {
            throw ServingException.invalidArgument("'" + field + "' must be an array");
        }
    }

    /** The binary section after the JSON, handed out to the inputs in order. */
    private static final class BinarySection {

        private final ByteString bytes;
        private long read;

        BinarySection(ByteString bytes) {
            this.bytes = bytes;
        }

        ByteString take(String input, long size) {
            if (size > bytes.size() - read) {
                throw ServingException.invalidArgument("Input '" + input + "' has 'binary_data_size' " + size
                        + ", but only " + (bytes.size() - read) + " bytes of binary data are left in the body");
            }
            ByteString taken = bytes.substring((int) read, (int) (read + size));
            read += size;
            return taken;
        }

        void requireAllRead() {
            if (read != bytes.size()) {
                throw ServingException.invalidArgument("The body has " + (bytes.size() - read) + " bytes of binary "
                        + "data that no input's 'binary_data_size' claims");
            }
        }
    }
}
