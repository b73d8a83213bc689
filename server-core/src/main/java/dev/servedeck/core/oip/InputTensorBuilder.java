package dev.servedeck.core.oip;

import com.google.protobuf.ByteString;
import dev.servedeck.core.status.ServingException;
import dev.servedeck.core.wire.Shapes;
import dev.servedeck.core.wire.TensorBytes;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import org.tensorflow.proto.TensorProto;

/**
 * Builds one input tensor from the values a client sends, element by element (JSON data, gRPC typed contents), or
 * from its raw bytes. Values are checked against the datatype as they arrive (an INT8 holds -128..127) and their
 * count against the shape at the end. Numbers are packed little-endian into {@code tensor_content}, as TensorFlow
 * lays them out, and strings go to {@code string_val}.
 *
 * <p>Memory grows with the values actually sent, never with what the shape declares: the core checks the declared
 * size against {@code --max_tensor_bytes} only once the tensor is built, and a shape alone must not make the server
 * allocate.
 */
public final class InputTensorBuilder {

    private static final int INITIAL_BYTES = 64;

    private final String name;
    private final InferDatatype datatype;
    private final long[] shape;
    private final long elements;
    private ByteBuffer packed;
    private final List<ByteString> strings;
    private long count;

    /**
     * @throws ServingException INVALID_ARGUMENT for a negative dimension or a shape of more than 2^63-1 elements
     */
    public InputTensorBuilder(String name, InferDatatype datatype, long[] shape) {
        this.name = name;
        this.datatype = datatype;
        this.shape = shape.clone();
        this.elements = elementCount(name, shape);
        this.strings = datatype == InferDatatype.BYTES ? new ArrayList<>() : List.of();
        this.packed = datatype == InferDatatype.BYTES ? null
                : ByteBuffer.allocate(INITIAL_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    }

    public String name() {
        return name;
    }

    public InferDatatype datatype() {
        return datatype;
    }

    public void addBool(boolean value) {
        requireDatatype(value ? "true" : "false", InferDatatype.BOOL);
        room(1).put((byte) (value ? 1 : 0));
    }

    /**
     * An integer for any integer datatype but UINT64 above 2^63-1 (see {@link #addUnsigned64}); also accepted for
     * the float datatypes, as JSON writes 2.0 as 2.
     */
    public void addInteger(long value) {
        switch (datatype) {
            case INT8 -> room(1).put((byte) inRange(value, Byte.MIN_VALUE, Byte.MAX_VALUE));
            case UINT8 -> room(1).put((byte) inRange(value, 0, 0xFF));
            case INT16 -> room(2).putShort((short) inRange(value, Short.MIN_VALUE, Short.MAX_VALUE));
            case UINT16 -> room(2).putShort((short) inRange(value, 0, 0xFFFF));
            case INT32 -> room(4).putInt((int) inRange(value, Integer.MIN_VALUE, Integer.MAX_VALUE));
            case UINT32 -> room(4).putInt((int) inRange(value, 0, 0xFFFF_FFFFL));
            case INT64 -> room(8).putLong(value);
            case UINT64 -> room(8).putLong(inRange(value, 0, Long.MAX_VALUE));
            case FP16, BF16, FP32, FP64 -> addFloating(value);
            default -> throw wrongValue(Long.toString(value));
        }
    }

    /** A UINT64 value given as its 64 bits (values above 2^63-1 are negative as a long). */
    public void addUnsigned64(long bits) {
        requireDatatype(Long.toUnsignedString(bits), InferDatatype.UINT64);
        room(8).putLong(bits);
    }

    /** A number for FP32 or FP64 (FP16 and BF16 arrive as their bits, see {@link #addHalfBits}). */
    public void addFloating(double value) {
        switch (datatype) {
            case FP32 -> room(4).putFloat((float) value);
            case FP64 -> room(8).putDouble(value);
            case FP16 -> throw ServingException.invalidArgument("Input '" + name + "' is FP16: its values must be sent "
                    + "as 16-bit floats (JSON numbers are converted by the REST front end, gRPC sends raw contents)");
            default -> throw wrongValue(Double.toString(value));
        }
    }

    /** An FP16 or BF16 value, as its 16 bits. */
    public void addHalfBits(short bits) {
        if (datatype != InferDatatype.FP16 && datatype != InferDatatype.BF16) {
            throw wrongValue("a 16-bit float");
        }
        room(2).putShort(bits);
    }

    public void addBytes(ByteString value) {
        requireDatatype("a string", InferDatatype.BYTES);
        counted();
        strings.add(value);
    }

    /** The tensor, once every value has come. */
    public InferInput build() {
        if (count != elements) {
            throw ServingException.invalidArgument("Input '" + name + "' has " + count + " values, but its shape "
                    + Shapes.toString(shape) + " holds " + elements);
        }
        TensorProto.Builder tensor = TensorProto.newBuilder()
                .setDtype(datatype.dtype())
                .setTensorShape(Shapes.of(shape));
        if (datatype == InferDatatype.BYTES) {
            tensor.addAllStringVal(strings);
        } else {
            packed.flip();
            tensor.setTensorContent(ByteString.copyFrom(packed));
        }
        return new InferInput(name, datatype, tensor.build());
    }

    /**
     * A tensor from its raw contents (gRPC {@code raw_input_contents}, REST binary data): row-major and
     * little-endian, BYTES elements each preceded by a 4-byte little-endian length. Fixed-size contents are
     * used as they are, without a copy.
     */
    public static InferInput fromRaw(String name, InferDatatype datatype, long[] shape, ByteString raw) {
        long elements = elementCount(name, shape);
        if (datatype == InferDatatype.BYTES) {
            InputTensorBuilder builder = new InputTensorBuilder(name, datatype, shape);
            for (ByteString element : RawStrings.split(name, raw)) {
                builder.addBytes(element);
            }
            return builder.build();
        }
        long expected = TensorBytes.times(elements, datatype.elementBytes());
        if (raw.size() != expected) {
            throw ServingException.invalidArgument("Input '" + name + "' has " + raw.size() + " bytes of raw "
                    + "contents, but its shape " + Shapes.toString(shape) + " and datatype " + datatype + " need "
                    + expected);
        }
        return new InferInput(name, datatype, TensorProto.newBuilder()
                .setDtype(datatype.dtype())
                .setTensorShape(Shapes.of(shape))
                .setTensorContent(raw)
                .build());
    }

    private static long elementCount(String name, long[] shape) {
        OptionalLong count = Shapes.knownElementCount(Shapes.of(shape));
        if (count.isEmpty()) {
            throw ServingException.invalidArgument("Input '" + name + "' has shape " + Arrays.toString(shape)
                    + ": every dimension must be 0 or more, and the product at most 2^63-1");
        }
        return count.getAsLong();
    }

    /** A buffer with room for one more element of {@code bytes} bytes, counting the element. */
    private ByteBuffer room(int bytes) {
        counted();
        if (packed.remaining() < bytes) {
            int capacity = (int) Math.min(Integer.MAX_VALUE - 8L, Math.max(packed.capacity() * 2L,
                    (long) packed.position() + bytes));
            ByteBuffer bigger = ByteBuffer.allocate(capacity).order(ByteOrder.LITTLE_ENDIAN);
            packed.flip();
            bigger.put(packed);
            packed = bigger;
        }
        return packed;
    }

    /** Counts one more value, refusing it at once when the shape holds no more (no need to read the rest). */
    private void counted() {
        if (count == elements) {
            throw ServingException.invalidArgument("Input '" + name + "' has more values than its shape "
                    + Shapes.toString(shape) + " holds (" + elements + ")");
        }
        count++;
    }

    private long inRange(long value, long min, long max) {
        if (value < min || value > max) {
            throw ServingException.invalidArgument("Input '" + name + "' is " + datatype + ": " + value
                    + " is out of its range [" + min + ", " + max + "]");
        }
        return value;
    }

    private void requireDatatype(String value, InferDatatype wanted) {
        if (datatype != wanted) {
            throw wrongValue(value);
        }
    }

    private ServingException wrongValue(String value) {
        return ServingException.invalidArgument("Input '" + name + "' is " + datatype + ", which cannot hold the "
                + "value " + value);
    }
}
