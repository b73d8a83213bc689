package dev.servedeck.core.testing;

import dev.servedeck.core.inference.MultiInferenceTasks;
import dev.servedeck.core.warmup.WarmupFile;
import dev.servedeck.proto.apis.ClassificationRequest;
import dev.servedeck.proto.apis.ClassifyLog;
import dev.servedeck.proto.apis.ExampleList;
import dev.servedeck.proto.apis.InferenceTask;
import dev.servedeck.proto.apis.Input;
import dev.servedeck.proto.apis.ModelSpec;
import dev.servedeck.proto.apis.MultiInferenceLog;
import dev.servedeck.proto.apis.MultiInferenceRequest;
import dev.servedeck.proto.apis.PredictLog;
import dev.servedeck.proto.apis.PredictRequest;
import dev.servedeck.proto.apis.PredictionLog;
import dev.servedeck.proto.apis.RegressLog;
import dev.servedeck.proto.apis.RegressionRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.Example;
import org.tensorflow.proto.Feature;
import org.tensorflow.proto.Features;
import org.tensorflow.proto.FloatList;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;

/**
 * Warmup records for TF Serving's test models, and copies of their version folders to add an
 * {@code assets.extra} folder to (the shared test data stays untouched).
 */
public final class WarmupFixtures {

    public static final String HALF_PLUS_TWO = "saved_model_half_plus_two_cpu";
    public static final String COUNTER = "saved_model_counter";
    public static final String VERSION = "00000123";

    private WarmupFixtures() {
    }

    /** A copy of one of TF Serving's model versions at {@code baseDir/<version>}. */
    public static Path copyVersion(String model, String version, Path baseDir) {
        Path source = TfServingTestData.version(model, version);
        Path target = baseDir.resolve(version);
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path copy = target.resolve(source.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(copy);
                } else {
                    Files.copy(file, copy);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return target;
    }

    public static Path writeWarmup(Path versionDir, PredictionLog... logs) {
        Path file = WarmupFile.of(versionDir);
        try {
            WarmupFile.write(file, List.of(logs));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** serving_default of half_plus_two: x -> 0.5x + 2. */
    public static PredictionLog predictHalfPlusTwo(float... xs) {
        return predict("", Map.of("x", floats(xs)));
    }

    public static PredictionLog predict(String signature, Map<String, TensorProto> inputs) {
        return PredictionLog.newBuilder().setPredictLog(PredictLog.newBuilder().setRequest(PredictRequest.newBuilder()
                .setModelSpec(spec(signature)).putAllInputs(inputs))).build();
    }

    public static PredictionLog classifyHalfPlusTwo(float x) {
        return PredictionLog.newBuilder().setClassifyLog(ClassifyLog.newBuilder().setRequest(
                ClassificationRequest.newBuilder().setModelSpec(spec("classify_x_to_y")).setInput(examples(x))))
                .build();
    }

    public static PredictionLog regressHalfPlusTwo(float x) {
        return PredictionLog.newBuilder().setRegressLog(RegressLog.newBuilder().setRequest(
                RegressionRequest.newBuilder().setModelSpec(spec("regress_x_to_y")).setInput(examples(x))))
                .build();
    }

    public static PredictionLog multiInferenceHalfPlusTwo(float x, String... regressSignatures) {
        MultiInferenceRequest.Builder request = MultiInferenceRequest.newBuilder()
                .addTasks(InferenceTask.newBuilder().setModelSpec(spec("classify_x_to_y"))
                        .setMethodName(MultiInferenceTasks.CLASSIFY_METHOD))
                .setInput(examples(x));
        for (String signature : regressSignatures) {
            request.addTasks(InferenceTask.newBuilder().setModelSpec(spec(signature))
                    .setMethodName(MultiInferenceTasks.REGRESS_METHOD));
        }
        return PredictionLog.newBuilder().setMultiInferenceLog(MultiInferenceLog.newBuilder().setRequest(request))
                .build();
    }

    /** The counter model's incr_counter: no inputs, adds 1 to the variable the session holds. */
    public static PredictionLog incrementCounter() {
        return predict("incr_counter", Map.of());
    }

    /** A scalar DT_FLOAT answer, whether TensorFlow put it in tensor_content or float_val. */
    public static float scalar(TensorProto tensor) {
        return tensor.getTensorContent().isEmpty() ? tensor.getFloatVal(0)
                : tensor.getTensorContent().asReadOnlyByteBuffer().order(java.nio.ByteOrder.LITTLE_ENDIAN).getFloat(0);
    }

    public static TensorProto floats(float... values) {
        TensorProto.Builder tensor = TensorProto.newBuilder().setDtype(DataType.DT_FLOAT)
                .setTensorShape(TensorShapeProto.newBuilder().addDim(TensorShapeProto.Dim.newBuilder()
                        .setSize(values.length)));
        for (float value : values) {
            tensor.addFloatVal(value);
        }
        return tensor.build();
    }

    public static Example example(float x) {
        return Example.newBuilder().setFeatures(Features.newBuilder().putFeature("x",
                Feature.newBuilder().setFloatList(FloatList.newBuilder().addValue(x)).build())).build();
    }

    private static Input examples(float x) {
        return Input.newBuilder().setExampleList(ExampleList.newBuilder().addExamples(example(x))).build();
    }

    /** Warmup ignores the name (the record runs on the version being loaded); TF Serving's tools write one. */
    private static ModelSpec spec(String signature) {
        return ModelSpec.newBuilder().setName("default").setSignatureName(signature).build();
    }
}
