package dev.servedeck.core.batching;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.servedeck.core.wire.Dtypes;
import dev.servedeck.core.wire.Shapes;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;

/**
 * Row arithmetic on {@link TensorProto}s, TF Serving's wire type, without TensorFlow: concatenate along
 * dimension 0, slice rows back out, pad the row count (repeating the first row, as TF Serving pads up to an
 * allowed batch size) and pad inner dimensions (zeros, empty strings) for variable-length inputs.
 *
 * <p>Numbers travel as little-endian {@code tensor_content}; results always use it. Its rows are plain bytes,
 * so every dtype with a fixed size ({@link Dtypes#bytesPerElement}, quantized, complex, float8 and int4
 * included) batches this way. Typed value fields are read for the common dtypes (float, double, int32, int64,
 * bool) when they hold one value per element. Strings travel as {@code string_val}, one value per element.
 * Other layouts (a broadcast single value, string {@code tensor_content}) are reported as not
 * {@link #hasRows row-addressable}; callers then leave such requests unbatched.
 */
final class TensorProtoBatches {

    private TensorProtoBatches() {
    }

    static int rows(TensorProto tensor) {
        return Math.toIntExact(tensor.getTensorShape().getDim(0).getSize());
    }

    /**
     * Whether the tensor has a fully defined shape of rank >= 1 and data this class can address row by row
     * (see the class comment).
     */
    static boolean hasRows(TensorProto tensor) {
        TensorShapeProto shape = tensor.getTensorShape();
        OptionalLong count = Shapes.knownElementCount(shape);
        if (count.isEmpty() || shape.getDimCount() == 0) {
            return false;
        }
        long elements = count.getAsLong();
        DataType dtype = tensor.getDtype();
        if (dtype == DataType.DT_STRING) {
            return tensor.getTensorContent().isEmpty() && tensor.getStringValCount() == elements;
        }
        int size = Dtypes.bytesPerElement(dtype);
        if (size == 0) {
            return false;
        }
        if (!tensor.getTensorContent().isEmpty() || elements == 0) {
            return tensor.getTensorContent().size() == elements * size;
        }
        return typedValueCount(tensor) == elements;
    }

    /** Row {@code from} (inclusive) to {@code to} (exclusive) along dimension 0. */
    static TensorProto slice(TensorProto tensor, int from, int to) {
        int rows = rows(tensor);
        if (from == 0 && to == rows) {
            return tensor;
        }
        long[] dims = Shapes.dims(tensor);
        dims[0] = to - from;
        TensorProto.Builder out = TensorProto.newBuilder().setDtype(tensor.getDtype()).setTensorShape(Shapes.of(dims));
        if (tensor.getDtype() == DataType.DT_STRING) {
            int perRow = rows == 0 ? 0 : tensor.getStringValCount() / rows;
            return out.addAllStringVal(tensor.getStringValList().subList(from * perRow, to * perRow)).build();
        }
        ByteString content = numericContent(tensor);
        int rowBytes = rows == 0 ? 0 : content.size() / rows;
        return out.setTensorContent(content.substring(from * rowBytes, to * rowBytes)).build();
    }

    /** The parts one after the other along dimension 0; they agree on dtype and every other dimension. */
    static TensorProto concat(List<TensorProto> parts) {
        if (parts.size() == 1) {
            return parts.get(0);
        }
        TensorProto first = parts.get(0);
        long[] dims = Shapes.dims(first);
        dims[0] = 0;
        for (TensorProto part : parts) {
            dims[0] += rows(part);
        }
        TensorProto.Builder out = TensorProto.newBuilder().setDtype(first.getDtype()).setTensorShape(Shapes.of(dims));
        if (first.getDtype() == DataType.DT_STRING) {
            parts.forEach(part -> out.addAllStringVal(part.getStringValList()));
            return out.build();
        }
        List<ByteString> contents = new ArrayList<>(parts.size());
        long total = 0;
        for (TensorProto part : parts) {
            ByteString content = numericContent(part);
            contents.add(content);
            total += content.size();
        }
        byte[] bytes = new byte[Math.toIntExact(total)];
        int offset = 0;
        for (ByteString content : contents) {
            content.copyTo(bytes, offset);
            offset += content.size();
        }
        // The array is ours alone and never written again: wrapping it avoids a second copy.
        return out.setTensorContent(UnsafeByteOperations.unsafeWrap(bytes)).build();
    }

    /** Grows dimension 0 to {@code rows} by repeating the first row (TF Serving's padding for allowed batch sizes). */
    static TensorProto padRows(TensorProto tensor, int rows) {
        int have = rows(tensor);
        if (have == rows) {
            return tensor;
        }
        long[] dims = Shapes.dims(tensor);
        dims[0] = rows;
        TensorProto.Builder out = TensorProto.newBuilder().setDtype(tensor.getDtype()).setTensorShape(Shapes.of(dims));
        if (tensor.getDtype() == DataType.DT_STRING) {
            int perRow = tensor.getStringValCount() / have;
            List<ByteString> firstRow = tensor.getStringValList().subList(0, perRow);
            out.addAllStringVal(tensor.getStringValList());
            for (int row = have; row < rows; row++) {
                out.addAllStringVal(firstRow);
            }
            return out.build();
        }
        ByteString content = numericContent(tensor);
        int rowBytes = content.size() / have;
        byte[] bytes = new byte[Math.multiplyExact(rowBytes, rows)];
        content.copyTo(bytes, 0);
        for (int row = have; row < rows; row++) {
            content.copyTo(bytes, 0, row * rowBytes, rowBytes);
        }
        return out.setTensorContent(UnsafeByteOperations.unsafeWrap(bytes)).build();
    }

    /**
     * Grows every dimension but the first to {@code targetDims} (same rank, each at least as large), filling
     * with zeros or empty strings: pad_variable_length_inputs.
     */
    static TensorProto padInnerDims(TensorProto tensor, long[] targetDims) {
        long[] dims = Shapes.dims(tensor);
        long[] target = targetDims.clone();
        target[0] = dims[0];
        if (Arrays.equals(dims, target)) {
            return tensor;
        }
        TensorProto.Builder out = TensorProto.newBuilder().setDtype(tensor.getDtype()).setTensorShape(Shapes.of(target));
        long targetElements = 1;
        for (long dim : target) {
            targetElements = Math.multiplyExact(targetElements, dim);
        }
        int n = Math.toIntExact(targetElements);
        boolean strings = tensor.getDtype() == DataType.DT_STRING;
        ByteString content = strings ? ByteString.EMPTY : numericContent(tensor);
        int size = strings ? 1 : Dtypes.bytesPerElement(tensor.getDtype());
        ByteString[] stringsOut = strings ? new ByteString[n] : null;
        byte[] bytesOut = strings ? null : new byte[Math.multiplyExact(n, size)];
        if (strings) {
            Arrays.fill(stringsOut, ByteString.EMPTY);
        }
        // Copy the source one innermost line at a time to its place in the larger target.
        int rank = dims.length;
        int line = Math.toIntExact(dims[rank - 1]);
        long lines = 1;
        for (int d = 0; d < rank - 1; d++) {
            lines *= dims[d];
        }
        int[] index = new int[Math.max(0, rank - 1)];
        for (long l = 0; l < lines && line > 0; l++) {
            long sourceOffset = l * line;
            long targetOffset = 0;
            for (int d = 0; d < rank - 1; d++) {
                targetOffset = targetOffset * target[d] + index[d];
            }
            targetOffset *= target[rank - 1];
            if (strings) {
                for (int i = 0; i < line; i++) {
                    stringsOut[(int) targetOffset + i] = tensor.getStringVal((int) sourceOffset + i);
                }
            } else {
                content.copyTo(bytesOut, (int) (sourceOffset * size), (int) (targetOffset * size), line * size);
            }
            for (int d = rank - 2; d >= 0; d--) {
                if (++index[d] < dims[d]) {
                    break;
                }
                index[d] = 0;
            }
        }
        if (strings) {
            return out.addAllStringVal(Arrays.asList(stringsOut)).build();
        }
        return out.setTensorContent(UnsafeByteOperations.unsafeWrap(bytesOut)).build();
    }

    /** The numbers as little-endian bytes, from {@code tensor_content} or the typed field. */
    static ByteString numericContent(TensorProto tensor) {
        int count = typedValueCount(tensor);
        if (!tensor.getTensorContent().isEmpty() || count <= 0) {
            return tensor.getTensorContent();
        }
        ByteBuffer buffer = ByteBuffer.allocate(count * Dtypes.bytesPerElement(tensor.getDtype()))
                .order(ByteOrder.LITTLE_ENDIAN);
        switch (tensor.getDtype()) {
            case DT_FLOAT -> tensor.getFloatValList().forEach(buffer::putFloat);
            case DT_DOUBLE -> tensor.getDoubleValList().forEach(buffer::putDouble);
            case DT_INT32 -> tensor.getIntValList().forEach(buffer::putInt);
            case DT_INT64 -> tensor.getInt64ValList().forEach(buffer::putLong);
            case DT_BOOL -> tensor.getBoolValList().forEach(b -> buffer.put((byte) (b ? 1 : 0)));
            default -> throw new IllegalArgumentException(tensor.getDtype() + " values are only batched as tensor_content");
        }
        return UnsafeByteOperations.unsafeWrap(buffer.array());
    }

    /** Values in the typed field this class reads for the dtype; -1 when it reads none for it. */
    private static int typedValueCount(TensorProto tensor) {
        return switch (tensor.getDtype()) {
            case DT_FLOAT -> tensor.getFloatValCount();
            case DT_DOUBLE -> tensor.getDoubleValCount();
            case DT_INT32 -> tensor.getIntValCount();
            case DT_INT64 -> tensor.getInt64ValCount();
            case DT_BOOL -> tensor.getBoolValCount();
            default -> -1;
        };
    }
}
