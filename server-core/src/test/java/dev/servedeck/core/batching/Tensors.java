package dev.servedeck.core.batching;

import com.google.protobuf.ByteString;
import dev.servedeck.core.wire.Shapes;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.TensorProto;

/** Builds and reads the TensorProtos of the batching tests. */
final class Tensors {

    private Tensors() {
    }

    /** DT_FLOAT as tensor_content (the REST front end's and the servable's layout). */
    static TensorProto floats(long[] dims, float... values) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (float value : values) {
            bytes.putFloat(value);
        }
        return TensorProto.newBuilder().setDtype(DataType.DT_FLOAT).setTensorShape(Shapes.of(dims))
                .setTensorContent(ByteString.copyFrom(bytes.array())).build();
    }

    /** DT_FLOAT in float_val (what many gRPC clients send). */
    static TensorProto typedFloats(long[] dims, float... values) {
        TensorProto.Builder proto = TensorProto.newBuilder().setDtype(DataType.DT_FLOAT)
                .setTensorShape(Shapes.of(dims));
        for (float value : values) {
            proto.addFloatVal(value);
        }
        return proto.build();
    }

    static TensorProto longs(long[] dims, long... values) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (long value : values) {
            bytes.putLong(value);
        }
        return TensorProto.newBuilder().setDtype(DataType.DT_INT64).setTensorShape(Shapes.of(dims))
                .setTensorContent(ByteString.copyFrom(bytes.array())).build();
    }

    static TensorProto strings(long[] dims, String... values) {
        TensorProto.Builder proto = TensorProto.newBuilder().setDtype(DataType.DT_STRING)
                .setTensorShape(Shapes.of(dims));
        for (String value : values) {
            proto.addStringVal(ByteString.copyFromUtf8(value));
        }
        return proto.build();
    }

    static long[] dims(long... dims) {
        return dims;
    }

    static float[] floatValues(TensorProto proto) {
        ByteString content = TensorProtoBatches.numericContent(proto);
        ByteBuffer bytes = content.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        float[] values = new float[bytes.remaining() / Float.BYTES];
        bytes.asFloatBuffer().get(values);
        return values;
    }

    static long[] longValues(TensorProto proto) {
        ByteBuffer bytes = proto.getTensorContent().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        long[] values = new long[bytes.remaining() / Long.BYTES];
        bytes.asLongBuffer().get(values);
        return values;
    }

    static List<String> stringValues(TensorProto proto) {
        return proto.getStringValList().stream().map(ByteString::toStringUtf8).toList();
    }
}
