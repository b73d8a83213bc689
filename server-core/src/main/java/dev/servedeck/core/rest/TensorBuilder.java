package dev.servedeck.core.rest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.servedeck.core.status.Code;
import dev.servedeck.core.status.ServingException;
import dev.servedeck.core.wire.Dtypes;
import dev.servedeck.core.wire.Shapes;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.math.BigInteger;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.TensorProto;

/**
 * Builds one input tensor from JSON values read off a streaming parser, without a tree: numbers go straight
 * into a little-endian {@code tensor_content} array, strings into {@code string_val}. The shape is learnt from
 * the first value's nesting (like TF Serving's GetDenseTensorShape) and every later list must match it, so
 * ragged lists fail with TF Serving's messages.
 *
 * <p>Levels count list nesting from the value the caller hands in; in row format that value is one
 * instance, and level 0 is the instance axis, which the caller sizes with {@link #setBatchSize}.
 */
final class TensorBuilder {

    private static final VarHandle SHORT_LE = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle FLOAT_LE = MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle DOUBLE_LE = MethodHandles.byteArrayViewVarHandle(double[].class, ByteOrder.LITTLE_ENDIAN);

    /** TF Serving's IsLosslessDecimal: the largest integers a float or double holds exactly, minus one. */
    private static final long FLOAT_MAX_INT = (1L << 24) - 1;
    private static final long DOUBLE_MAX_INT = (1L << 53) - 1;
    private static final BigInteger UINT64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    private final String name;
    private final DataType dtype;
    private final int baseLevel;
    private final JsonFactory json;
    private final JsonBody source;

    private final int elementBytes;
    private byte[] content;
    private int contentSize;
    private final List<ByteString> strings;

    private long[] dims = new long[4];
    private boolean[] known = new boolean[4];
    private int rank = -1;

    /**
     * @param baseLevel 1 in row format (level 0 is the instance axis), 0 in columnar format
     * @param source the body the parser reads, so errors can quote values that were already consumed
     */
    TensorBuilder(String name, DataType dtype, int baseLevel, JsonFactory json, JsonBody source) {
        this.name = name;
        this.dtype = dtype;
        this.baseLevel = baseLevel;
        this.json = json;
        this.source = source;
        this.elementBytes = JsonDtypes.packedBytes(dtype);
        this.content = elementBytes > 0 ? new byte[elementBytes * 16] : null;
        this.strings = dtype == DataType.DT_STRING ? new ArrayList<>() : null;
    }

    String name() {
        return name;
    }

    /** Reads the value at the parser's current token (a scalar, a b64 object or a list) and leaves the parser on its last token. */
    void readValue(JsonParser p) throws IOException {
        readValue(p, baseLevel);
    }

    /** A string scalar the caller had to read ahead (while telling a b64 object from an instance object). */
    void addStringScalar(String text) {
        if (!atLeafLevel(baseLevel)) {
            throw wrongLevel(baseLevel, '"' + text + '"');
        }
        if (dtype != DataType.DT_STRING) {
            throw typeError('"' + text + '"', "String");
        }
        strings.add(ByteString.copyFromUtf8(text));
    }

    /** A {@code {"b64": ...}} scalar the caller had to read ahead. */
    void addBase64Scalar(String encoded) {
        if (!atLeafLevel(baseLevel)) {
            throw wrongLevel(baseLevel, "{\"b64\":\"" + encoded + "\"}");
        }
        if (dtype != DataType.DT_STRING) {
            throw typeError("{\"b64\":\"" + encoded + "\"}", "Object");
        }
        strings.add(decodeBase64(encoded));
    }

    void setBatchSize(int instances) {
        ensureLevel(0);
        dims[0] = instances;
        known[0] = true;
    }

    TensorProto build() {
        TensorProto.Builder tensor = TensorProto.newBuilder().setDtype(dtype)
                .setTensorShape(Shapes.of(Arrays.copyOf(dims, Math.max(rank, 0))));
        if (strings != null) {
            tensor.addAllStringVal(strings);
        } else if (content != null) {
            // The array is ours alone from here on, so protobuf may keep it without a copy.
            tensor.setTensorContent(UnsafeByteOperations.unsafeWrap(content, 0, contentSize));
        }
        return tensor.build();
    }

    private void readValue(JsonParser p, int level) throws IOException {
        JsonToken token = p.currentToken();
        if (token == JsonToken.START_ARRAY) {
            readList(p, level);
            return;
        }
        if (token == JsonToken.START_OBJECT) {
            readObjectLeaf(p, level);
            return;
        }
        if (!atLeafLevel(level)) {
            throw wrongLevel(level, JsonErrors.render(json, p));
        }
        addScalar(p, token);
    }

    private void readList(JsonParser p, int level) throws IOException {
        if (rank >= 0 && level >= rank) {
            throw ServingException.invalidArgument("Encountered list at unexpected level: " + (level - baseLevel)
                    + " expected < " + (rank - baseLevel));
        }
        int count = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
            readValue(p, level + 1);
            count++;
        }
        ensureLevel(level);
        if (known[level]) {
            if (dims[level] != count) {
                throw ServingException.invalidArgument("Encountered list at unexpected size: " + count + " at level: "
                        + (level - baseLevel) + " expected size: " + dims[level]);
            }
        } else {
            known[level] = true;
            dims[level] = count;
            if (count == 0 && rank < 0) {
                rank = level + 1;
            }
        }
    }

    /** Objects inside a tensor value can only be b64 strings: exactly {@code {"b64": "<base64>"}}. */
    private void readObjectLeaf(JsonParser p, int level) throws IOException {
        long start = p.currentTokenLocation().getByteOffset();
        if (!atLeafLevel(level)) {
            throw wrongLevel(level, JsonErrors.render(json, p));
        }
        if (dtype != DataType.DT_STRING) {
            throw typeError(JsonErrors.render(json, p), "Object");
        }
        String encoded = null;
        if (p.nextToken() == JsonToken.FIELD_NAME && "b64".equals(p.currentName())
                && p.nextToken() == JsonToken.VALUE_STRING) {
            encoded = p.getText();
            if (p.nextToken() != JsonToken.END_OBJECT) {
                encoded = null;
            }
        }
        if (encoded == null) {
            throw ServingException.invalidArgument("JSON Value: " + JsonErrors.renderAt(json, source, start)
                    + " not formatted correctly for base64 data");
        }
        strings.add(decodeBase64(encoded));
    }

    /** The first scalar fixes the rank; every later scalar must sit at the same depth. */
    private boolean atLeafLevel(int level) {
        if (rank < 0) {
            rank = level;
        }
        return level == rank;
    }

    private ServingException wrongLevel(int level, String rendered) {
        return ServingException.invalidArgument("JSON Value: " + rendered + " found at incorrect level: "
                + (level - baseLevel + 1) + " in the JSON DOM. Expected at level: " + (rank - baseLevel));
    }

    private void addScalar(JsonParser p, JsonToken token) throws IOException {
        switch (dtype) {
            case DT_FLOAT -> putFloat(decimal(p, token, FLOAT_MAX_INT, Float.MAX_VALUE, "float"));
            case DT_HALF -> putShort(HalfFloats.floatToHalf((float) decimal(p, token, FLOAT_MAX_INT, Float.MAX_VALUE, "float")));
            case DT_BFLOAT16 -> putShort(HalfFloats.floatToBfloat16(
                    (float) decimal(p, token, FLOAT_MAX_INT, Float.MAX_VALUE, "float")));
            case DT_DOUBLE -> putDouble(decimal(p, token, DOUBLE_MAX_INT, Double.MAX_VALUE, "double"));
            case DT_INT8 -> putByte((byte) integer(p, token, Byte.MIN_VALUE, Byte.MAX_VALUE));
            case DT_UINT8 -> putByte((byte) integer(p, token, 0, 0xff));
            case DT_INT16 -> putShort((short) integer(p, token, Short.MIN_VALUE, Short.MAX_VALUE));
            case DT_UINT16 -> putShort((short) integer(p, token, 0, 0xffff));
            case DT_INT32 -> putInt((int) integer(p, token, Integer.MIN_VALUE, Integer.MAX_VALUE));
            case DT_UINT32 -> putInt((int) integer(p, token, 0, 0xffffffffL));
            case DT_INT64 -> putLong(integer(p, token, Long.MIN_VALUE, Long.MAX_VALUE));
            case DT_UINT64 -> putLong(unsigned64(p, token));
            case DT_BOOL -> {
                if (token != JsonToken.VALUE_TRUE && token != JsonToken.VALUE_FALSE) {
                    throw typeError(JsonErrors.render(json, p), JsonErrors.typeName(token));
                }
                putByte((byte) (token == JsonToken.VALUE_TRUE ? 1 : 0));
            }
            case DT_STRING -> {
                if (token != JsonToken.VALUE_STRING) {
                    throw typeError(JsonErrors.render(json, p), JsonErrors.typeName(token));
                }
                strings.add(ByteString.copyFromUtf8(p.getText()));
            }
            default -> throw new ServingException(Code.UNIMPLEMENTED, "Conversion of JSON Value: "
                    + JsonErrors.render(json, p) + " to type: " + Dtypes.name(dtype));
        }
    }

    private double decimal(JsonParser p, JsonToken token, long maxInt, double maxValue, String target) throws IOException {
        if (token == JsonToken.VALUE_NUMBER_FLOAT) {
            double value = p.getDoubleValue();
            if (Double.isFinite(value) && (value > maxValue || value < -maxValue)) {
                throw lossy(p, target);
            }
            return value;
        }
        if (token == JsonToken.VALUE_NUMBER_INT) {
            JsonParser.NumberType type = p.getNumberType();
            if (type == JsonParser.NumberType.BIG_INTEGER) {
                throw lossy(p, target);
            }
            long value = p.getLongValue();
            if (Math.abs(value) > maxInt) {
                throw lossy(p, target);
            }
            return value;
        }
        throw typeError(JsonErrors.render(json, p), JsonErrors.typeName(token));
    }

    private long integer(JsonParser p, JsonToken token, long min, long max) throws IOException {
        if (token != JsonToken.VALUE_NUMBER_INT) {
            throw typeError(JsonErrors.render(json, p), JsonErrors.typeName(token));
        }
        if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            throw outOfRange(p);
        }
        long value = p.getLongValue();
        if (value < min || value > max) {
            throw outOfRange(p);
        }
        return value;
    }

    private long unsigned64(JsonParser p, JsonToken token) throws IOException {
        if (token != JsonToken.VALUE_NUMBER_INT) {
            throw typeError(JsonErrors.render(json, p), JsonErrors.typeName(token));
        }
        if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            BigInteger value = p.getBigIntegerValue();
            if (value.signum() < 0 || value.compareTo(UINT64_MAX) > 0) {
                throw outOfRange(p);
            }
            return value.longValue();
        }
        long value = p.getLongValue();
        if (value < 0) {
            throw outOfRange(p);
        }
        return value;
    }

    private ByteString decodeBase64(String encoded) {
        try {
            return UnsafeByteOperations.unsafeWrap(Base64.getDecoder().decode(encoded));
        } catch (IllegalArgumentException e) {
            throw ServingException.invalidArgument("Unable to base64 decode");
        }
    }

    private ServingException typeError(String rendered, String jsonType) {
        return ServingException.invalidArgument("JSON Value: " + rendered + " Type: " + jsonType
                + " is not of expected type: " + Dtypes.name(dtype));
    }

    private ServingException lossy(JsonParser p, String target) {
        return ServingException.invalidArgument("Cannot convert JSON value: " + JsonErrors.render(json, p) + " to "
                + target + " without loss of precision.");
    }

    private ServingException outOfRange(JsonParser p) {
        return ServingException.invalidArgument("JSON Value: " + JsonErrors.render(json, p)
                + " is out of range for type: " + Dtypes.name(dtype));
    }

    private void ensureLevel(int level) {
        if (level >= dims.length) {
            int size = Math.max(level + 1, dims.length * 2);
            dims = Arrays.copyOf(dims, size);
            known = Arrays.copyOf(known, size);
        }
    }

    private int reserve() {
        int at = contentSize;
        if (at + elementBytes > content.length) {
            content = Arrays.copyOf(content, Math.max(content.length * 2, at + elementBytes));
        }
        contentSize = at + elementBytes;
        return at;
    }

    // reserve() may replace the content array, so it runs before the array is read (Java evaluates
    // arguments left to right: "content[reserve()]" would write into the old array).
    private void putByte(byte value) {
        int at = reserve();
        content[at] = value;
    }

    private void putShort(short value) {
        int at = reserve();
        SHORT_LE.set(content, at, value);
    }

    private void putInt(int value) {
        int at = reserve();
        INT_LE.set(content, at, value);
    }

    private void putLong(long value) {
        int at = reserve();
        LONG_LE.set(content, at, value);
    }

    private void putFloat(double value) {
        int at = reserve();
        FLOAT_LE.set(content, at, (float) value);
    }

    private void putDouble(double value) {
        int at = reserve();
        DOUBLE_LE.set(content, at, value);
    }
}
