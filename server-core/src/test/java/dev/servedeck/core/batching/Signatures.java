package dev.servedeck.core.batching;

import dev.servedeck.core.wire.Shapes;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;
import org.tensorflow.proto.TensorShapeProto;

/** SignatureDefs for the batching tests. */
final class Signatures {

    private Signatures() {
    }

    /** {@code x} (DT_FLOAT [-1, width]) to {@code y} (DT_FLOAT [-1, width]); width -1 for variable length. */
    static SignatureDef floats(long width) {
        return SignatureDef.newBuilder()
                .putInputs("x", info("x:0", DataType.DT_FLOAT, -1, width))
                .putOutputs("y", info("y:0", DataType.DT_FLOAT, -1, width))
                .setMethodName("tensorflow/serving/predict").build();
    }

    static TensorInfo info(String name, DataType dtype, long... dims) {
        return TensorInfo.newBuilder().setName(name).setDtype(dtype).setTensorShape(shape(dims)).build();
    }

    static TensorShapeProto shape(long... dims) {
        return Shapes.of(dims);
    }
}
