package dev.servedeck.core.oip;

import com.google.protobuf.ByteString;
import dev.servedeck.core.status.Code;
import dev.servedeck.core.status.ServingException;
import dev.servedeck.core.wire.Dtypes;
import dev.servedeck.core.wire.Shapes;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.tensorflow.proto.TensorProto;

/**
 * A model's output TensorProto as the protocol's output. The core answers numbers in {@code tensor_content}, which
 * is already the protocol's raw layout; a tensor in typed fields is packed the same way, its last value repeated
 * when the field is shorter than the shape (as TensorFlow's Tensor::FromProto fills a tensor from one value).
 */
final class OutputTensors {

    private OutputTensors() {
    }

    static InferOutput toOutput(String name, TensorProto tensor) {
        InferDatatype datatype = InferDatatype.of(tensor.getDtype()).orElseThrow(() -> new ServingException(
                Code.UNIMPLEMENTED, "Output '" + name + "' is a " + Dtypes.name(tensor.getDtype())
                        + " tensor, which the Open Inference Protocol has no datatype for"));
        long[] shape = Shapes.dims(tensor);
        OptionalLong elements = Shapes.knownElementCount(tensor.getTensorShape());
        if (elements.isEmpty() || elements.getAsLong() > Integer.MAX_VALUE) {
            throw ServingException.internal("Output '" + name + "' has an unusable shape "
                    + Shapes.toString(tensor.getTensorShape()), null);
        }
        int size = (int) elements.getAsLong();
        if (datatype == InferDatatype.BYTES) {
            return new InferOutput(name, datatype, shape, ByteString.EMPTY, strings(name, tensor, size));
        }
        ByteString packed = tensor.getTensorContent().isEmpty() ? pack(name, datatype, tensor, size)
                : tensor.getTensorContent();
        if (packed.size() != (long) size * datatype.elementBytes()) {
            throw ServingException.internal("Output '" + name + "' has " + packed.size() + " bytes for "
                    + size + " elements of " + datatype, null);
        }
        return new InferOutput(name, datatype, shape, packed, List.of());
    }

    private static List<ByteString> strings(String name, TensorProto tensor, int size) {
        int count = tensor.getStringValCount();
        if (count == 0 && size > 0 || count > size) {
            throw ServingException.internal("Output '" + name + "' has " + count + " strings for " + size
                    + " elements", null);
        }
        if (count == size) {
            return tensor.getStringValList();
        }
        List<ByteString> filled = new ArrayList<>(tensor.getStringValList());
        while (filled.size() < size) {
            filled.add(tensor.getStringVal(count - 1));
        }
        return filled;
    }

    /** Typed values packed little-endian, the last one repeated up to the shape's size. */
    private static ByteString pack(String name, InferDatatype datatype, TensorProto tensor, int size) {
        int count = typedCount(datatype, tensor);
        if (count == 0 && size > 0 || count > size) {
            throw ServingException.internal("Output '" + name + "' has " + count + " values for " + size
                    + " elements", null);
        }
        ByteBuffer out = ByteBuffer.allocate(size * datatype.elementBytes()).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < size; i++) {
            int at = Math.min(i, count - 1);
            switch (datatype) {
                case BOOL -> out.put((byte) (tensor.getBoolVal(at) ? 1 : 0));
                case INT8, UINT8 -> out.put((byte) tensor.getIntVal(at));
                case INT16, UINT16 -> out.putShort((short) tensor.getIntVal(at));
                case INT32 -> out.putInt(tensor.getIntVal(at));
                case UINT32 -> out.putInt(tensor.getUint32Val(at));
                case INT64 -> out.putLong(tensor.getInt64Val(at));
                case UINT64 -> out.putLong(tensor.getUint64Val(at));
                case FP16, BF16 -> out.putShort((short) tensor.getHalfVal(at));
                case FP32 -> out.putFloat(tensor.getFloatVal(at));
                case FP64 -> out.putDouble(tensor.getDoubleVal(at));
                case BYTES -> throw new IllegalStateException("BYTES outputs are strings");
            }
        }
        out.flip();
        return ByteString.copyFrom(out);
    }

    private static int typedCount(InferDatatype datatype, TensorProto tensor) {
        return switch (datatype) {
            case BOOL -> tensor.getBoolValCount();
            case INT8, UINT8, INT16, UINT16, INT32 -> tensor.getIntValCount();
            case UINT32 -> tensor.getUint32ValCount();
            case INT64 -> tensor.getInt64ValCount();
            case UINT64 -> tensor.getUint64ValCount();
            case FP16, BF16 -> tensor.getHalfValCount();
            case FP32 -> tensor.getFloatValCount();
            case FP64 -> tensor.getDoubleValCount();
            case BYTES -> tensor.getStringValCount();
        };
    }
}
