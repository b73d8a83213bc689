package dev.servedeck.core.grpc;

import dev.servedeck.core.oip.InferDatatype;
import dev.servedeck.core.oip.InferOutput;
import dev.servedeck.proto.inference.InferTensorContents;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * An output in the typed {@code contents} field its datatype has in the gRPC protocol (INT8..INT32 in
 * {@code int_contents}, UINT8..UINT32 in {@code uint_contents}, ...), read from the little-endian layout the core
 * answers in. FP16 and BF16 have no typed field: the protocol carries them raw only.
 */
final class TypedOutputContents {

    private TypedOutputContents() {
    }

    /** Whether the datatype has a typed field at all. */
    static boolean typed(InferOutput output) {
        return switch (output.datatype()) {
            case FP16, BF16 -> false;
            default -> true;
        };
    }

    static InferTensorContents of(InferOutput output) {
        InferTensorContents.Builder contents = InferTensorContents.newBuilder();
        if (output.datatype() == InferDatatype.BYTES) {
            return contents.addAllBytesContents(output.strings()).build();
        }
        ByteBuffer values = output.packed().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        while (values.hasRemaining()) {
            switch (output.datatype()) {
                case BOOL -> contents.addBoolContents(values.get() != 0);
                case INT8 -> contents.addIntContents(values.get());
                case INT16 -> contents.addIntContents(values.getShort());
                case INT32 -> contents.addIntContents(values.getInt());
                case INT64 -> contents.addInt64Contents(values.getLong());
                case UINT8 -> contents.addUintContents(Byte.toUnsignedInt(values.get()));
                case UINT16 -> contents.addUintContents(Short.toUnsignedInt(values.getShort()));
                case UINT32 -> contents.addUintContents(values.getInt());
                case UINT64 -> contents.addUint64Contents(values.getLong());
                case FP32 -> contents.addFp32Contents(values.getFloat());
                case FP64 -> contents.addFp64Contents(values.getDouble());
                case FP16, BF16, BYTES -> throw new IllegalStateException(output.datatype() + " has no typed contents");
            }
        }
        return contents.build();
    }
}
