package dev.servedeck.core.rest;

import com.google.protobuf.ByteString;
import dev.servedeck.core.wire.Shapes;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;

/** Builds and reads TensorProtos in tests, from either tensor_content or the typed fields. */
final class TestTensors {

    private TestTensors() {
    }

    static long[] shape(TensorProto tensor) {
        return Shapes.dims(tensor);
    }

    static TensorShapeProto shapeOf(long... dims) {
        return Shapes.of(dims);
    }

    static float[] floats(TensorProto tensor) {
        if (!tensor.getTensorContent().isEmpty()) {
            ByteBuffer buffer = tensor.getTensorContent().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            float[] values = new float[buffer.remaining() / 4];
            buffer.asFloatBuffer().get(values);
            return values;
        }
        float[] values = new float[tensor.getFloatValCount()];
        for (int i = 0; i < values.length; i++) {
            values[i] = tensor.getFloatVal(i);
        }
        return values;
    }

    static long[] longs(TensorProto tensor) {
        ByteBuffer buffer = tensor.getTensorContent().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        long[] values = new long[buffer.remaining() / 8];
        buffer.asLongBuffer().get(values);
        return values;
    }

    static TensorProto floatTensor(long[] shape, float... values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float value : values) {
            buffer.putFloat(value);
        }
        return TensorProto.newBuilder().setDtype(DataType.DT_FLOAT).setTensorShape(shapeOf(shape))
                .setTensorContent(ByteString.copyFrom(buffer.array())).build();
    }

    static TensorProto floatFieldTensor(long[] shape, float... values) {
        TensorProto.Builder tensor = TensorProto.newBuilder().setDtype(DataType.DT_FLOAT).setTensorShape(shapeOf(shape));
        for (float value : values) {
            tensor.addFloatVal(value);
        }
        return tensor.build();
    }

    static TensorProto stringTensor(long[] shape, ByteString... values) {
        TensorProto.Builder tensor = TensorProto.newBuilder().setDtype(DataType.DT_STRING).setTensorShape(shapeOf(shape));
        for (ByteString value : values) {
            tensor.addStringVal(value);
        }
        return tensor.build();
    }
}
