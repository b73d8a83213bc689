package dev.servedeck.core.testing;

import com.google.protobuf.ByteString;
import dev.servedeck.core.wire.Shapes;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.TensorProto;

/** half_plus_two's inputs and outputs: DT_FLOAT columns of shape [n, 1], in tensor_content as TF Serving sends them. */
public final class FloatColumns {

    private FloatColumns() {
    }

    public static TensorProto column(float... values) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (float value : values) {
            bytes.putFloat(value);
        }
        return TensorProto.newBuilder().setDtype(DataType.DT_FLOAT).setTensorShape(Shapes.of(values.length, 1))
                .setTensorContent(ByteString.copyFrom(bytes.array())).build();
    }

    /** The values of a DT_FLOAT answer, from tensor_content or float_val. */
    public static float[] values(TensorProto tensor) {
        if (tensor.getTensorContent().isEmpty()) {
            float[] values = new float[tensor.getFloatValCount()];
            for (int i = 0; i < values.length; i++) {
                values[i] = tensor.getFloatVal(i);
            }
            return values;
        }
        ByteBuffer bytes = tensor.getTensorContent().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        float[] values = new float[bytes.remaining() / Float.BYTES];
        bytes.asFloatBuffer().get(values);
        return values;
    }
}
