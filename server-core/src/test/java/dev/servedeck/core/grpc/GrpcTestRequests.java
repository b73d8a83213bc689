package dev.servedeck.core.grpc;

import com.google.protobuf.Int64Value;
import dev.servedeck.core.wire.Shapes;
import dev.servedeck.proto.apis.ClassificationRequest;
import dev.servedeck.proto.apis.ExampleList;
import dev.servedeck.proto.apis.Input;
import dev.servedeck.proto.apis.ModelSpec;
import dev.servedeck.proto.apis.PredictRequest;
import dev.servedeck.proto.apis.RegressionRequest;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.Example;
import org.tensorflow.proto.Feature;
import org.tensorflow.proto.Features;
import org.tensorflow.proto.FloatList;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;

/** Requests as a TF Serving client writes them, for the models in ../shared/testdata/tf-serving. */
final class GrpcTestRequests {

    private GrpcTestRequests() {
    }

    /** The TF Serving config the gRPC tests serve (the REST compatibility test's models). */
    static String config(java.nio.file.Path data) {
        return """
                model_config_list {
                  config { name: "default" base_path: "%1$s/saved_model_half_plus_two_cpu" model_platform: "tensorflow" }
                  config { name: "half_plus_three" base_path: "%1$s/saved_model_half_plus_three" }
                  config {
                    name: "all" base_path: "%1$s/saved_model_half_plus_two_2_versions"
                    model_version_policy { all {} }
                    version_labels { key: "stable" value: 123 }
                    version_labels { key: "canary" value: 124 }
                  }
                  config { name: "bad" base_path: "%1$s/bad_half_plus_two" }
                }
                """.formatted(data);
    }

    static ModelSpec spec(String model) {
        return ModelSpec.newBuilder().setName(model).build();
    }

    static ModelSpec spec(String model, long version) {
        return ModelSpec.newBuilder().setName(model).setVersion(Int64Value.of(version)).build();
    }

    static ModelSpec labelled(String model, String label) {
        return ModelSpec.newBuilder().setName(model).setVersionLabel(label).build();
    }

    /** DT_FLOAT with shape [n] in float_val (what Java and Go clients usually write). */
    static TensorProto floatVal(float... values) {
        TensorProto.Builder tensor = TensorProto.newBuilder().setDtype(DataType.DT_FLOAT).setTensorShape(shape(values.length));
        for (float value : values) {
            tensor.addFloatVal(value);
        }
        return tensor.build();
    }

    /** DT_FLOAT with shape [n] in tensor_content (what Python's tf.make_tensor_proto writes). */
    static TensorProto floatContent(float... values) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (float value : values) {
            bytes.putFloat(value);
        }
        return TensorProto.newBuilder().setDtype(DataType.DT_FLOAT).setTensorShape(shape(values.length))
                .setTensorContent(com.google.protobuf.ByteString.copyFrom(bytes.flip())).build();
    }

    static TensorShapeProto shape(long... dims) {
        return Shapes.of(dims);
    }

    static PredictRequest predict(ModelSpec spec, TensorProto x) {
        return PredictRequest.newBuilder().setModelSpec(spec).putInputs("x", x).build();
    }

    /** The values of a DT_FLOAT tensor, from whichever encoding it uses. */
    static float[] floats(TensorProto tensor) {
        if (!tensor.getTensorContent().isEmpty()) {
            ByteBuffer bytes = tensor.getTensorContent().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            float[] values = new float[bytes.remaining() / Float.BYTES];
            bytes.asFloatBuffer().get(values);
            return values;
        }
        float[] values = new float[tensor.getFloatValCount()];
        for (int i = 0; i < values.length; i++) {
            values[i] = tensor.getFloatVal(i);
        }
        return values;
    }

    static Input examples(float... xs) {
        ExampleList.Builder list = ExampleList.newBuilder();
        for (float x : xs) {
            list.addExamples(Example.newBuilder().setFeatures(Features.newBuilder().putFeature("x",
                    Feature.newBuilder().setFloatList(FloatList.newBuilder().addValue(x)).build())));
        }
        return Input.newBuilder().setExampleList(list).build();
    }

    static ClassificationRequest classify(String signature, float... xs) {
        return ClassificationRequest.newBuilder()
                .setModelSpec(spec("default").toBuilder().setSignatureName(signature))
                .setInput(examples(xs)).build();
    }

    static RegressionRequest regress(String signature, float... xs) {
        return RegressionRequest.newBuilder()
                .setModelSpec(spec("default").toBuilder().setSignatureName(signature))
                .setInput(examples(xs)).build();
    }
}
