package dev.servedeck.core.rest;

import com.fasterxml.jackson.core.JsonGenerator;
import com.google.protobuf.ByteString;
import dev.servedeck.core.status.ServingException;
import dev.servedeck.core.wire.Dtypes;
import dev.servedeck.core.wire.Shapes;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.OptionalLong;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;

/**
 * Element-wise access to an output TensorProto, whichever way it carries its values: packed in
 * {@code tensor_content} (little-endian) or in the typed repeated field. A typed field shorter than the
 * shape repeats its last value, as TensorFlow's Tensor::FromProto does (a single value fills the tensor).
 */
final class TensorValues {

    private final String alias;
    private final TensorProto tensor;
    private final DataType dtype;
    private final long[] dims;
    private final int size;
    private final ByteBuffer content;
    private final int fieldCount;
    private final boolean stringsAsBytes;

    private TensorValues(String alias, TensorProto tensor, long[] dims, int size, ByteBuffer content, int fieldCount) {
        this.alias = alias;
        this.tensor = tensor;
        this.dtype = tensor.getDtype();
        this.dims = dims;
        this.size = size;
        this.content = content;
        this.fieldCount = fieldCount;
        // TF Serving's convention (borrowed from Cloud ML Engine): an alias ending in "_bytes" holds binary data.
        this.stringsAsBytes = alias.endsWith("_bytes");
    }

    /** Checks that the tensor's values fit its shape and that its dtype can be written as JSON. */
    static TensorValues of(String alias, TensorProto tensor) {
        TensorShapeProto shape = tensor.getTensorShape();
        if (shape.getUnknownRank()) {
            throw ServingException.invalidArgument("Tensor name: " + alias + " has unknown rank");
        }
        long[] dims = Shapes.dims(shape);
        for (long dim : dims) {
            if (dim < 0) {
                throw ServingException.invalidArgument("Tensor name: " + alias + " has a negative dimension: " + dim);
            }
        }
        OptionalLong elements = Shapes.knownElementCount(shape);
        if (elements.isEmpty() || elements.getAsLong() > Integer.MAX_VALUE) {
            throw ServingException.invalidArgument("Tensor name: " + alias + " is too large to write as JSON");
        }
        long size = elements.getAsLong();
        DataType dtype = tensor.getDtype();
        int elementBytes = JsonDtypes.packedBytes(dtype);
        if (elementBytes == 0 && dtype != DataType.DT_STRING) {
            throw ServingException.invalidArgument("Failed to write JSON value for tensor type: " + Dtypes.name(dtype));
        }
        ByteString packed = tensor.getTensorContent();
        if (!packed.isEmpty() && dtype != DataType.DT_STRING) {
            if (packed.size() != size * elementBytes) {
                throw ServingException.invalidArgument("Tensor name: " + alias + " has " + packed.size()
                        + " bytes of tensor_content, expected " + size * elementBytes + " for its shape");
            }
            ByteBuffer buffer = packed.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            return new TensorValues(alias, tensor, dims, (int) size, buffer.slice().order(ByteOrder.LITTLE_ENDIAN), 0);
        }
        int count = fieldCount(tensor);
        if (count > size || (count == 0 && size > 0 && dtype == DataType.DT_STRING)) {
            throw ServingException.invalidArgument("Tensor name: " + alias + " has " + count
                    + " values for a shape of " + size + " elements");
        }
        return new TensorValues(alias, tensor, dims, (int) size, null, count);
    }

    String alias() {
        return alias;
    }

    long[] dims() {
        return dims;
    }

    int size() {
        return size;
    }

    /** Writes the sub-tensor starting at dimension {@code fromDim} whose first element is {@code offset}. */
    void write(JsonGenerator g, int fromDim, int offset) throws IOException {
        writeDims(g, fromDim, offset, strideFrom(fromDim));
    }

    private int strideFrom(int dim) {
        long stride = 1;
        for (int i = dim; i < dims.length; i++) {
            stride *= dims[i];
        }
        return (int) stride;
    }

    private void writeDims(JsonGenerator g, int dim, int offset, int span) throws IOException {
        if (dim == dims.length) {
            writeElement(g, offset);
            return;
        }
        int count = (int) dims[dim];
        g.writeStartArray();
        if (count > 0) {
            int stride = span / count;
            if (dim == dims.length - 1) {
                for (int i = 0; i < count; i++) {
                    writeElement(g, offset + i);
                }
            } else {
                for (int i = 0; i < count; i++) {
                    writeDims(g, dim + 1, offset + i * stride, stride);
                }
            }
        }
        g.writeEndArray();
    }

    private void writeElement(JsonGenerator g, int index) throws IOException {
        if (content != null) {
            writePacked(g, index);
        } else {
            writeField(g, fieldCount == 0 ? -1 : Math.min(index, fieldCount - 1));
        }
    }

    private void writePacked(JsonGenerator g, int index) throws IOException {
        switch (dtype) {
            case DT_FLOAT -> g.writeNumber(content.getFloat(index * 4));
            case DT_DOUBLE -> g.writeNumber(content.getDouble(index * 8));
            case DT_HALF -> g.writeNumber(HalfFloats.halfToFloat(content.getShort(index * 2)));
            case DT_BFLOAT16 -> g.writeNumber(HalfFloats.bfloat16ToFloat(content.getShort(index * 2)));
            case DT_INT8 -> g.writeNumber(content.get(index));
            case DT_UINT8 -> g.writeNumber(content.get(index) & 0xff);
            case DT_INT16 -> g.writeNumber(content.getShort(index * 2));
            case DT_UINT16 -> g.writeNumber(content.getShort(index * 2) & 0xffff);
            case DT_INT32 -> g.writeNumber(content.getInt(index * 4));
            case DT_UINT32 -> g.writeNumber(content.getInt(index * 4) & 0xffffffffL);
            case DT_INT64 -> g.writeNumber(content.getLong(index * 8));
            case DT_UINT64 -> writeUnsigned(g, content.getLong(index * 8));
            case DT_BOOL -> g.writeBoolean(content.get(index) != 0);
            default -> throw new IllegalStateException("unchecked dtype " + dtype);
        }
    }

    /** {@code index} -1 means the tensor has no values at all: every element is the type's zero. */
    private void writeField(JsonGenerator g, int index) throws IOException {
        boolean none = index < 0;
        switch (dtype) {
            case DT_FLOAT -> g.writeNumber(none ? 0f : tensor.getFloatVal(index));
            case DT_DOUBLE -> g.writeNumber(none ? 0d : tensor.getDoubleVal(index));
            case DT_HALF -> g.writeNumber(none ? 0f : HalfFloats.halfToFloat(tensor.getHalfVal(index)));
            case DT_BFLOAT16 -> g.writeNumber(none ? 0f : HalfFloats.bfloat16ToFloat(tensor.getHalfVal(index)));
            case DT_INT8, DT_INT16, DT_INT32 -> g.writeNumber(none ? 0 : tensor.getIntVal(index));
            case DT_UINT8 -> g.writeNumber(none ? 0 : tensor.getIntVal(index) & 0xff);
            case DT_UINT16 -> g.writeNumber(none ? 0 : tensor.getIntVal(index) & 0xffff);
            case DT_UINT32 -> g.writeNumber(none ? 0 : tensor.getUint32Val(index) & 0xffffffffL);
            case DT_INT64 -> g.writeNumber(none ? 0 : tensor.getInt64Val(index));
            case DT_UINT64 -> writeUnsigned(g, none ? 0 : tensor.getUint64Val(index));
            case DT_BOOL -> g.writeBoolean(!none && tensor.getBoolVal(index));
            case DT_STRING -> writeString(g, tensor.getStringVal(index));
            default -> throw new IllegalStateException("unchecked dtype " + dtype);
        }
    }

    private void writeString(JsonGenerator g, ByteString value) throws IOException {
        // JSON strings are Unicode: bytes that are not UTF-8 can only travel base64-encoded.
        if (stringsAsBytes || !value.isValidUtf8()) {
            g.writeStartObject();
            g.writeStringField("b64", Base64.getEncoder().encodeToString(value.toByteArray()));
            g.writeEndObject();
        } else {
            g.writeString(value.toStringUtf8());
        }
    }

    private static void writeUnsigned(JsonGenerator g, long value) throws IOException {
        if (value >= 0) {
            g.writeNumber(value);
        } else {
            g.writeNumber(Long.toUnsignedString(value));
        }
    }

    private static int fieldCount(TensorProto tensor) {
        return switch (tensor.getDtype()) {
            case DT_FLOAT -> tensor.getFloatValCount();
            case DT_DOUBLE -> tensor.getDoubleValCount();
            case DT_HALF, DT_BFLOAT16 -> tensor.getHalfValCount();
            case DT_INT8, DT_INT16, DT_INT32, DT_UINT8, DT_UINT16 -> tensor.getIntValCount();
            case DT_UINT32 -> tensor.getUint32ValCount();
            case DT_INT64 -> tensor.getInt64ValCount();
            case DT_UINT64 -> tensor.getUint64ValCount();
            case DT_BOOL -> tensor.getBoolValCount();
            case DT_STRING -> tensor.getStringValCount();
            default -> 0;
        };
    }
}
