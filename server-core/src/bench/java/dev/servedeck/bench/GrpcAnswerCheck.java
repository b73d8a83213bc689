package dev.servedeck.bench;

import dev.servedeck.proto.apis.PredictRequest;
import dev.servedeck.proto.apis.PredictResponse;
import dev.servedeck.proto.apis.PredictionServiceGrpc;
import io.grpc.Channel;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.TensorProto;

/**
 * Asks ServeDeck one gRPC question per model before loading it with calls, as {@link PredictionCheck} does
 * over REST: a fast wrong answer is no result.
 */
final class GrpcAnswerCheck {

    /**
     * ServeDeck opens its gRPC port just after its REST port, which the readiness check already saw answer;
     * waitForReady lets the first call wait out that moment instead of failing UNAVAILABLE.
     */
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    private GrpcAnswerCheck() {
    }

    /** half_plus_two [[1.0]] must give [[2.5]]; the MLP 10 probabilities summing to 1 and one int64 class. */
    static void verify(String server, Channel channel) {
        PredictResponse halfPlusTwo = predict(channel, GrpcPredictRequests.halfPlusTwo());
        float[] y = floats(halfPlusTwo.getOutputsOrThrow("y"));
        require(server, y.length == 1 && Math.abs(y[0] - 2.5) < 1e-6,
                "half_plus_two [[1.0]] should give [[2.5]]", halfPlusTwo);

        PredictResponse mlp = predict(channel, GrpcPredictRequests.mlp());
        float[] probabilities = floats(mlp.getOutputsOrThrow("probabilities"));
        double sum = 0;
        for (float probability : probabilities) {
            sum += probability;
        }
        require(server, probabilities.length == 10 && Math.abs(sum - 1) < 1e-3,
                "mlp should give 10 probabilities summing to 1", mlp);
        TensorProto classes = mlp.getOutputsOrThrow("classes");
        require(server, classes.getDtype() == DataType.DT_INT64
                && classes.getTensorContent().size() + classes.getInt64ValCount() * Long.BYTES == Long.BYTES,
                "mlp should give one int64 class", mlp);
        System.out.println(server + " answers correctly over gRPC (half_plus_two [[1.0]] -> " + y[0] + ")");
    }

    private static PredictResponse predict(Channel channel, PredictRequest request) {
        return PredictionServiceGrpc.newBlockingStub(channel)
                .withWaitForReady()
                .withDeadlineAfter(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
                .predict(request);
    }

    /** A DT_FLOAT tensor's values in either encoding: tensor_content (what ServeDeck sends) or float_val. */
    private static float[] floats(TensorProto tensor) {
        if (tensor.getDtype() != DataType.DT_FLOAT) {
            return new float[0];
        }
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

    private static void require(String server, boolean condition, String expectation, PredictResponse actual) {
        if (!condition) {
            throw new IllegalStateException(server + " gave a wrong gRPC answer: " + expectation + ", got "
                    + actual);
        }
    }
}
