package dev.servedeck.core.tensorflow;

import dev.servedeck.core.wire.Shapes;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.Example;
import org.tensorflow.proto.Feature;
import org.tensorflow.proto.Features;
import org.tensorflow.proto.FloatList;
import org.tensorflow.proto.TensorProto;

/** Builds and reads the TensorProtos and tf.Examples the tests exchange with servables. */
final class TestTensors {

    private TestTensors() {
    }

    static TensorProto floats(long[] shape, float... values) {
        TensorProto.Builder proto = TensorProto.newBuilder().setDtype(DataType.DT_FLOAT)
                .setTensorShape(Shapes.of(shape));
        for (float value : values) {
            proto.addFloatVal(value);
        }
        return proto.build();
    }

    static long[] shape(long... dims) {
        return dims;
    }

    /** The values of a DT_FLOAT proto, from tensor_content or float_val. */
    static float[] floatValues(TensorProto proto) {
        if (!proto.getTensorContent().isEmpty()) {
            ByteBuffer bytes = proto.getTensorContent().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            float[] values = new float[bytes.remaining() / Float.BYTES];
            bytes.asFloatBuffer().get(values);
            return values;
        }
        float[] values = new float[proto.getFloatValCount()];
        for (int i = 0; i < values.length; i++) {
            values[i] = proto.getFloatVal(i);
        }
        return values;
    }

    static long[] longValues(TensorProto proto) {
        if (!proto.getTensorContent().isEmpty()) {
            ByteBuffer bytes = proto.getTensorContent().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            long[] values = new long[bytes.remaining() / Long.BYTES];
            bytes.asLongBuffer().get(values);
            return values;
        }
        return proto.getInt64ValList().stream().mapToLong(Long::longValue).toArray();
    }

    static long[] dims(TensorProto proto) {
        return Shapes.dims(proto.getTensorShape());
    }

    static Example example(String feature, float value) {
        return Example.newBuilder().setFeatures(Features.newBuilder()
                .putFeature(feature, Feature.newBuilder().setFloatList(FloatList.newBuilder().addValue(value)).build()))
                .build();
    }
}
