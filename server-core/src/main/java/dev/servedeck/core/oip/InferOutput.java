package dev.servedeck.core.oip;

import com.google.protobuf.ByteString;
import java.util.List;

/**
 * One output of an inference, in the protocol's terms.
 *
 * @param packed the values of a fixed-size datatype, row-major and little-endian (empty for BYTES)
 * @param strings the elements of a BYTES output (empty otherwise)
 */
public record InferOutput(String name, InferDatatype datatype, long[] shape, ByteString packed,
        List<ByteString> strings) {

    /** Number of elements. */
    public long size() {
        long size = 1;
        for (long dim : shape) {
            size *= dim;
        }
        return size;
    }

    /** The output's raw contents as the protocol lays them out (BYTES elements each after a 4-byte length). */
    public ByteString raw() {
        return datatype == InferDatatype.BYTES ? RawStrings.join(strings) : packed;
    }
}
