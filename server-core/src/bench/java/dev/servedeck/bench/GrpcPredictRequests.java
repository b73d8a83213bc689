package dev.servedeck.bench;

import com.google.protobuf.UnsafeByteOperations;
import dev.servedeck.proto.apis.ModelSpec;
import dev.servedeck.proto.apis.PredictRequest;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;

/**
 * The gRPC twins of {@link Workload}'s JSON bodies: the same one row per model, encoded as Python's
 * {@code tf.make_tensor_proto} does (shape [1, width], little-endian floats in {@code tensor_content}), since
 * that is what most TF Serving gRPC clients send.
 */
final class GrpcPredictRequests {

    private GrpcPredictRequests() {
    }

    /** half_plus_two, input "x": [[1.0]]. */
    static PredictRequest halfPlusTwo() {
        return request("half_plus_two", "x", new float[] {1.0f});
    }

    /** The MLP, input "images": the same 784 pixels as the REST body and the in-process floor. */
    static PredictRequest mlp() {
        return request("mlp", "images", Workload.mlpInstance());
    }

    private static PredictRequest request(String model, String input, float[] row) {
        return PredictRequest.newBuilder()
                .setModelSpec(ModelSpec.newBuilder().setName(model))
                .putInputs(input, oneFloatRow(row))
                .build();
    }

    private static TensorProto oneFloatRow(float[] row) {
        ByteBuffer bytes = ByteBuffer.allocate(row.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (float value : row) {
            bytes.putFloat(value);
        }
        TensorShapeProto shape = TensorShapeProto.newBuilder()
                .addDim(TensorShapeProto.Dim.newBuilder().setSize(1))
                .addDim(TensorShapeProto.Dim.newBuilder().setSize(row.length))
                .build();
        // The array is this request's alone and never written again: wrapping it avoids a copy.
        return TensorProto.newBuilder()
                .setDtype(DataType.DT_FLOAT)
                .setTensorShape(shape)
                .setTensorContent(UnsafeByteOperations.unsafeWrap(bytes.array()))
                .build();
    }
}
