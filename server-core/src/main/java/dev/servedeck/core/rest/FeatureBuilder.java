package dev.servedeck.core.rest;

import com.google.protobuf.ByteString;
import dev.servedeck.core.status.ServingException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.tensorflow.proto.BytesList;
import org.tensorflow.proto.Feature;
import org.tensorflow.proto.FloatList;
import org.tensorflow.proto.Int64List;

/**
 * Collects the values of one tf.Example feature and picks its list type the way TF Serving does: strings
 * and b64 objects make a bytes_list, numbers written with a fraction or exponent (or NaN/Infinity) a
 * float_list, other numbers and booleans an int64_list. A list mixing integers and decimals becomes a
 * float_list (TF Serving rejects that mix; accepting it changes nothing for requests TF Serving accepts).
 */
final class FeatureBuilder {

    private enum Kind { NONE, INT64, FLOAT, BYTES }

    /** TF Serving's IsLosslessDecimal limit for integers stored as floats. */
    private static final long FLOAT_MAX_INT = (1L << 24) - 1;

    private final String name;
    private Kind kind = Kind.NONE;
    private long[] ints = new long[4];
    private float[] floats;
    private int count;
    private boolean sawBoolean;
    private List<ByteString> bytes;

    FeatureBuilder(String name) {
        this.name = name;
    }

    void addBoolean(boolean value) {
        if (kind == Kind.FLOAT || kind == Kind.BYTES) {
            throw incompatible();
        }
        sawBoolean = true;
        addInt64(value ? 1 : 0);
    }

    void addInteger(long value, String text) {
        if (kind == Kind.FLOAT) {
            addFloat(losslessFloat(value, text));
            return;
        }
        if (kind == Kind.BYTES) {
            throw incompatible();
        }
        addInt64(value);
    }

    /** An integer beyond int64: TF Serving reads it as uint64, which tf.Example cannot hold. */
    void addUnsignedBeyondInt64() {
        throw ServingException.invalidArgument("Feature: " + name + " has uint64 element. Only int64 is supported.");
    }

    void addDecimal(double value, String text) {
        if (kind == Kind.BYTES || (kind == Kind.INT64 && sawBoolean)) {
            throw incompatible();
        }
        if (Double.isFinite(value) && Math.abs(value) > Float.MAX_VALUE) {
            throw lossy(text);
        }
        if (kind == Kind.INT64) {
            floats = new float[Math.max(4, ints.length)];
            for (int i = 0; i < count; i++) {
                floats[i] = losslessFloat(ints[i], Long.toString(ints[i]));
            }
        }
        kind = Kind.FLOAT;
        addFloat((float) value);
    }

    void addBytes(ByteString value) {
        if (kind == Kind.INT64 || kind == Kind.FLOAT) {
            throw incompatible();
        }
        if (bytes == null) {
            bytes = new ArrayList<>();
        }
        kind = Kind.BYTES;
        bytes.add(value);
    }

    ServingException unexpectedType(String jsonType) {
        return ServingException.invalidArgument("Feature: " + name + " has element with unexpected JSON type: " + jsonType);
    }

    Feature build() {
        return switch (kind) {
            case NONE -> Feature.getDefaultInstance();
            case INT64 -> {
                Int64List.Builder list = Int64List.newBuilder();
                for (int i = 0; i < count; i++) {
                    list.addValue(ints[i]);
                }
                yield Feature.newBuilder().setInt64List(list).build();
            }
            case FLOAT -> {
                FloatList.Builder list = FloatList.newBuilder();
                for (int i = 0; i < count; i++) {
                    list.addValue(floats[i]);
                }
                yield Feature.newBuilder().setFloatList(list).build();
            }
            case BYTES -> Feature.newBuilder().setBytesList(BytesList.newBuilder().addAllValue(bytes)).build();
        };
    }

    private void addInt64(long value) {
        kind = Kind.INT64;
        if (count == ints.length) {
            ints = Arrays.copyOf(ints, count * 2);
        }
        ints[count++] = value;
    }

    private void addFloat(float value) {
        if (floats == null) {
            floats = new float[4];
        } else if (count == floats.length) {
            floats = Arrays.copyOf(floats, count * 2);
        }
        floats[count++] = value;
    }

    private float losslessFloat(long value, String text) {
        if (Math.abs(value) > FLOAT_MAX_INT) {
            throw lossy(text);
        }
        return value;
    }

    private ServingException lossy(String text) {
        return ServingException.invalidArgument("Cannot convert JSON value: " + text + " to float without loss of precision.");
    }

    private ServingException incompatible() {
        String expected = switch (kind) {
            case INT64 -> "int64";
            case FLOAT -> "float";
            case BYTES -> "bytes";
            case NONE -> "UNKNOWN";
        };
        return ServingException.invalidArgument("Unexpected element type in feature: " + name + " expecting type: " + expected);
    }
}
