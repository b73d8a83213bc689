package dev.servedeck.core.tensorflow;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.UnsafeByteOperations;
import dev.servedeck.core.wire.Dtypes;
import dev.servedeck.core.wire.Shapes;
import java.io.IOException;
import java.util.Arrays;
import java.util.function.IntConsumer;
import org.tensorflow.RawTensor;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.ByteDataBuffer;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.types.TString;

/**
 * Converts between {@link TensorProto} (TF Serving's wire type) and TensorFlow Java tensors.
 *
 * <p>Reading follows TensorFlow's {@code Tensor::FromProto}: a non-empty {@code tensor_content} (raw
 * little-endian bytes; for strings TensorFlow's varint-length encoding) wins over the typed repeated
 * fields; an empty typed field gives zeros; a single typed value is broadcast to every element. Unlike
 * TensorFlow, which silently pads a short list with its last value or drops extra values, any other value
 * count is rejected: it is nearly always a client bug. Numeric data moves in bulk (no per-element
 * boxing). Writing puts numeric data into {@code tensor_content}, as TF Serving's Predict does, and
 * strings into {@code string_val}.
 *
 * <p>The caller owns the returned tensors and must close them.
 */
public final class TensorProtos {

    private TensorProtos() {
    }

    /**
     * Checks that a TensorProto is well formed: known dtype, fully defined shape, and data whose element
     * count agrees with the shape. Does not touch the TensorFlow runtime.
     *
     * @return the number of elements
     * @throws IllegalArgumentException with a one-line reason when the proto is malformed
     */
    public static long checkContent(TensorProto proto) {
        DataType dtype = proto.getDtype();
        if (dtype == DataType.DT_INVALID || dtype == DataType.UNRECOGNIZED) {
            throw new IllegalArgumentException("its dtype is not set");
        }
        long elements = Shapes.elementCount(proto.getTensorShape());
        String shape = Shapes.toString(proto.getTensorShape());
        // The dtypes this class converts are those with a typed field; the others are refused here, whatever
        // their size on the wire (quantized, complex, float8, int4 ...).
        TypedField field = TypedField.of(dtype);
        if (!proto.getTensorContent().isEmpty()) {
            if (dtype == DataType.DT_STRING) {
                decodeStringContent(proto.getTensorContent(), elements);
                return elements;
            }
            int size = Dtypes.bytesPerElement(dtype);
            if (proto.getTensorContent().size() != elements * size) {
                throw new IllegalArgumentException("its tensor_content has " + proto.getTensorContent().size()
                        + " bytes but shape " + shape + " of " + dtype + " needs " + elements * size);
            }
            return elements;
        }
        int values = field.count(proto);
        if (values > 1 && values != elements) {
            throw new IllegalArgumentException("it has " + values + " " + field.protoName + " values but shape "
                    + shape + " has " + elements + " elements (send " + elements + ", or 1 to fill every element)");
        }
        return elements;
    }

    /**
     * Builds a TensorFlow tensor from a TensorProto.
     *
     * @throws IllegalArgumentException when the proto is malformed (see {@link #checkContent})
     * @throws UnsupportedDtypeException when TensorFlow Java has no tensor type for the dtype
     */
    public static Tensor toTensor(TensorProto proto) {
        long elements = checkContent(proto);
        DataType dtype = proto.getDtype();
        var tensorClass = DataTypes.tensorClass(dtype).orElseThrow(() -> new UnsupportedDtypeException(
                dtype + " tensors are not supported by this server's TensorFlow Java runtime"));
        Shape shape = Shape.of(Shapes.dims(proto.getTensorShape()));
        if (dtype == DataType.DT_STRING) {
            byte[][] strings = proto.getTensorContent().isEmpty()
                    ? typedStrings(proto, elements)
                    : decodeStringContent(proto.getTensorContent(), elements);
            return TString.tensorOfBytes(shape, DataBuffers.ofObjects(strings));
        }
        Tensor tensor = Tensor.of(tensorClass, shape);
        try {
            if (!proto.getTensorContent().isEmpty()) {
                // One bulk copy of the little-endian bytes into the tensor's native memory. (Handing TF Java
                // a read-only view of the ByteString instead copies element by element, and fails when the
                // view's capacity exceeds its limit, as for a ByteString wrapping part of a larger array.)
                tensor.asRawTensor().data().write(proto.getTensorContent().toByteArray());
                return tensor;
            }
            writeTypedValues(proto, (int) elements, tensor.asRawTensor().data());
            return tensor;
        } catch (RuntimeException e) {
            tensor.close();
            throw e;
        }
    }

    /** Copies a TensorFlow tensor into a TensorProto: numbers as {@code tensor_content}, strings as {@code string_val}. */
    public static TensorProto toProto(Tensor tensor) {
        TensorProto.Builder proto = TensorProto.newBuilder()
                .setDtype(tensor.dataType())
                .setTensorShape(Shapes.of(tensor.shape().asArray()));
        if (tensor instanceof TString strings) {
            strings.asBytes().scalars().forEach(s -> proto.addStringVal(ByteString.copyFrom(s.getObject())));
            return proto.build();
        }
        RawTensor raw = tensor.asRawTensor();
        if (raw.numBytes() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("tensor of " + raw.numBytes() + " bytes is too large for a TensorProto");
        }
        byte[] bytes = new byte[(int) raw.numBytes()];
        raw.data().read(bytes);
        // The array is ours alone and never written again: wrapping it avoids a second copy.
        return proto.setTensorContent(UnsafeByteOperations.unsafeWrap(bytes)).build();
    }

    private static void writeTypedValues(TensorProto proto, int n, ByteDataBuffer data) {
        if (n == 0) {
            return;
        }
        switch (proto.getDtype()) {
            case DT_FLOAT -> {
                float[] values = new float[n];
                fill(proto.getFloatValCount(), n, i -> values[i] = proto.getFloatVal(i), () -> Arrays.fill(values, values[0]));
                data.asFloats().write(values);
            }
            case DT_DOUBLE -> {
                double[] values = new double[n];
                fill(proto.getDoubleValCount(), n, i -> values[i] = proto.getDoubleVal(i), () -> Arrays.fill(values, values[0]));
                data.asDoubles().write(values);
            }
            case DT_INT32 -> {
                int[] values = new int[n];
                fill(proto.getIntValCount(), n, i -> values[i] = proto.getIntVal(i), () -> Arrays.fill(values, values[0]));
                data.asInts().write(values);
            }
            case DT_INT64 -> {
                long[] values = new long[n];
                fill(proto.getInt64ValCount(), n, i -> values[i] = proto.getInt64Val(i), () -> Arrays.fill(values, values[0]));
                data.asLongs().write(values);
            }
            case DT_UINT16 -> {
                short[] values = new short[n];
                fill(proto.getIntValCount(), n, i -> values[i] = (short) proto.getIntVal(i), () -> Arrays.fill(values, values[0]));
                data.asShorts().write(values);
            }
            case DT_HALF, DT_BFLOAT16 -> {
                short[] values = new short[n];
                fill(proto.getHalfValCount(), n, i -> values[i] = (short) proto.getHalfVal(i), () -> Arrays.fill(values, values[0]));
                data.asShorts().write(values);
            }
            case DT_UINT8 -> {
                byte[] values = new byte[n];
                fill(proto.getIntValCount(), n, i -> values[i] = (byte) proto.getIntVal(i), () -> Arrays.fill(values, values[0]));
                data.write(values);
            }
            case DT_BOOL -> {
                byte[] values = new byte[n];
                fill(proto.getBoolValCount(), n, i -> values[i] = (byte) (proto.getBoolVal(i) ? 1 : 0), () -> Arrays.fill(values, values[0]));
                data.write(values);
            }
            default -> throw new UnsupportedDtypeException(proto.getDtype() + " tensors are not supported");
        }
    }

    /** Copies {@code count} values (all of them, or one then broadcast); zero values leave the zeros in place. */
    private static void fill(int count, int n, IntConsumer copy, Runnable broadcast) {
        if (count == 0) {
            return;
        }
        for (int i = 0; i < Math.min(count, n); i++) {
            copy.accept(i);
        }
        if (count == 1 && n > 1) {
            broadcast.run();
        }
    }

    private static byte[][] typedStrings(TensorProto proto, long elements) {
        byte[][] strings = new byte[(int) elements][];
        int count = proto.getStringValCount();
        for (int i = 0; i < strings.length; i++) {
            strings[i] = count == 0 ? new byte[0] : proto.getStringVal(count == 1 ? 0 : i).toByteArray();
        }
        return strings;
    }

    /** TensorFlow's string tensor_content: all lengths as varints first, then the bytes back to back. */
    private static byte[][] decodeStringContent(ByteString content, long elements) {
        try {
            CodedInputStream in = content.newCodedInput();
            int[] lengths = new int[Math.toIntExact(elements)];
            for (int i = 0; i < lengths.length; i++) {
                lengths[i] = in.readRawVarint32();
            }
            byte[][] strings = new byte[lengths.length][];
            for (int i = 0; i < lengths.length; i++) {
                strings[i] = in.readRawBytes(lengths[i]);
            }
            if (!in.isAtEnd()) {
                throw new IllegalArgumentException("its string tensor_content has bytes beyond its " + elements + " elements");
            }
            return strings;
        } catch (IOException | ArithmeticException e) {
            throw new IllegalArgumentException("its string tensor_content does not hold " + elements + " elements");
        }
    }

    /** The typed repeated field TensorFlow reads for each dtype. */
    private enum TypedField {
        FLOAT("float_val"), DOUBLE("double_val"), INT("int_val"), INT64("int64_val"), UINT32("uint32_val"),
        UINT64("uint64_val"), BOOL("bool_val"), STRING("string_val"), HALF("half_val");

        final String protoName;

        TypedField(String protoName) {
            this.protoName = protoName;
        }

        static TypedField of(DataType dtype) {
            return switch (dtype) {
                case DT_FLOAT -> FLOAT;
                case DT_DOUBLE -> DOUBLE;
                case DT_INT32, DT_INT16, DT_INT8, DT_UINT8, DT_UINT16 -> INT;
                case DT_INT64 -> INT64;
                case DT_UINT32 -> UINT32;
                case DT_UINT64 -> UINT64;
                case DT_BOOL -> BOOL;
                case DT_STRING -> STRING;
                case DT_HALF, DT_BFLOAT16 -> HALF;
                default -> throw new IllegalArgumentException("dtype " + dtype + " is not supported");
            };
        }

        int count(TensorProto proto) {
            return switch (this) {
                case FLOAT -> proto.getFloatValCount();
                case DOUBLE -> proto.getDoubleValCount();
                case INT -> proto.getIntValCount();
                case INT64 -> proto.getInt64ValCount();
                case UINT32 -> proto.getUint32ValCount();
                case UINT64 -> proto.getUint64ValCount();
                case BOOL -> proto.getBoolValCount();
                case STRING -> proto.getStringValCount();
                case HALF -> proto.getHalfValCount();
            };
        }
    }
}
