package dev.servedeck.core.rest;

import dev.servedeck.core.ClassifyResult;
import dev.servedeck.core.ExpectedCall;
import dev.servedeck.core.ModelMetadata;
import dev.servedeck.core.ModelSpec;
import dev.servedeck.core.PredictResult;
import dev.servedeck.core.RegressResult;
import dev.servedeck.core.ServingApi;
import dev.servedeck.core.servable.Classification;
import dev.servedeck.core.servable.ExampleBatch;
import dev.servedeck.core.servable.ManagerState;
import dev.servedeck.core.servable.ServableId;
import dev.servedeck.core.servable.ServableState;
import dev.servedeck.core.status.Code;
import dev.servedeck.core.status.ServingException;
import dev.servedeck.core.status.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.Example;
import org.tensorflow.proto.Feature;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;
import org.tensorflow.proto.TensorProto;

/**
 * A stand-in core for REST tests. Model "half_plus_two" (versions 123 and 124, label "stable" = 123)
 * computes y = 0.5x + 2 on DT_FLOAT input "x". Model "error-CODE" fails with that code, "crash" throws an
 * unexpected exception, "slow" blocks until {@link #releaseSlow()} (or 5 s). Other names are NOT_FOUND.
 */
final class FakeServingApi implements ServingApi {

    static final String MODEL = "half_plus_two";

    final ConcurrentLinkedQueue<ModelSpec> specs = new ConcurrentLinkedQueue<>();
    final CountDownLatch slowStarted = new CountDownLatch(1);
    private final CountDownLatch slowRelease = new CountDownLatch(1);

    private static final SignatureDef HALF_PLUS_TWO = buildHalfPlusTwoSignature();

    static SignatureDef halfPlusTwoSignature() {
        return HALF_PLUS_TWO;
    }

    private static SignatureDef buildHalfPlusTwoSignature() {
        TensorInfo x = TensorInfo.newBuilder().setName("x:0").setDtype(DataType.DT_FLOAT)
                .setTensorShape(TestTensors.shapeOf(-1, 1)).build();
        TensorInfo y = TensorInfo.newBuilder().setName("y:0").setDtype(DataType.DT_FLOAT)
                .setTensorShape(TestTensors.shapeOf(-1, 1)).build();
        return SignatureDef.newBuilder().putInputs("x", x).putOutputs("y", y)
                .setMethodName("tensorflow/serving/predict").build();
    }

    /** Predict calls announced by the front end ({@link #expectPredict}) and not handed over yet. */
    final AtomicInteger expectedPredicts = new AtomicInteger();
    /** The model of every announced Predict call, in order. */
    final List<String> expectedModels = new CopyOnWriteArrayList<>();

    @Override
    public ExpectedCall expectPredict(String model) {
        expectedModels.add(model);
        expectedPredicts.incrementAndGet();
        AtomicBoolean open = new AtomicBoolean(true);
        return () -> {
            if (open.getAndSet(false)) {
                expectedPredicts.decrementAndGet();
            }
        };
    }

    void releaseSlow() {
        slowRelease.countDown();
    }

    @Override
    public CompletableFuture<PredictResult> predictAsync(ModelSpec spec, Set<String> outputFilter,
            Function<SignatureDef, Map<String, TensorProto>> inputDecoder, Duration timeout) {
        ServableId id = resolve(spec);
        String signature = spec.signatureName().isEmpty() ? "serving_default" : spec.signatureName();
        if (!signature.equals("serving_default")) {
            throw ServingException.invalidArgument("Serving signature name: \"" + signature + "\" not found in signature def");
        }
        Map<String, TensorProto> inputs = inputDecoder.apply(halfPlusTwoSignature());
        TensorProto x = inputs.get("x");
        float[] values = TestTensors.floats(x);
        float[] y = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            y[i] = 0.5f * values[i] + 2f;
        }
        return CompletableFuture.completedFuture(
                new PredictResult(id, signature, Map.of("y", TestTensors.floatTensor(TestTensors.shape(x), y))));
    }

    @Override
    public ClassifyResult classify(ModelSpec spec, ExampleBatch input) {
        ServableId id = resolve(spec);
        List<List<Classification>> results = new ArrayList<>();
        for (Example example : input.examples()) {
            results.add(List.of(new Classification("", halfPlusTwo(example))));
        }
        return new ClassifyResult(id, spec.signatureName(), results);
    }

    @Override
    public RegressResult regress(ModelSpec spec, ExampleBatch input) {
        ServableId id = resolve(spec);
        List<Float> results = new ArrayList<>();
        for (Example example : input.examples()) {
            results.add(halfPlusTwo(example));
        }
        return new RegressResult(id, spec.signatureName(), results);
    }

    @Override
    public ModelMetadata metadata(ModelSpec spec) {
        return new ModelMetadata(resolve(spec), Map.of("serving_default", halfPlusTwoSignature()));
    }

    @Override
    public List<ServableState> status(ModelSpec spec) {
        ServableId id = resolve(spec);
        Instant now = Instant.now();
        if (spec.version().isPresent() || spec.label().isPresent()) {
            return List.of(new ServableState(id, ManagerState.AVAILABLE, Status.OK, now));
        }
        return List.of(
                new ServableState(new ServableId(MODEL, 123), ManagerState.END, Status.OK, now),
                new ServableState(id, ManagerState.AVAILABLE, Status.OK, now));
    }

    private ServableId resolve(ModelSpec spec) {
        specs.add(spec);
        String name = spec.name();
        if (name.startsWith("error-")) {
            Code code = Code.valueOf(name.substring("error-".length()));
            throw new ServingException(code, "failure " + code + " \"quoted\"\nsecond line");
        }
        if (name.equals("crash")) {
            throw new IllegalStateException("secret internal detail");
        }
        if (name.equals("slow")) {
            slowStarted.countDown();
            try {
                slowRelease.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new ServableId("slow", 1);
        }
        if (!name.equals(MODEL)) {
            throw ServingException.notFound("Servable not found for request: Latest(" + name + ")");
        }
        if (spec.label().isPresent()) {
            if (!spec.label().get().equals("stable")) {
                throw ServingException.invalidArgument("Unrecognized servable version label: " + spec.label().get());
            }
            return new ServableId(MODEL, 123);
        }
        long version = spec.version().orElse(124);
        if (version != 123 && version != 124) {
            throw ServingException.notFound("Servable not found for request: Specific(" + name + ", " + version + ")");
        }
        return new ServableId(MODEL, version);
    }

    private static float halfPlusTwo(Example example) {
        Feature x = example.getFeatures().getFeatureOrThrow("x");
        float value = x.hasFloatList() ? x.getFloatList().getValue(0) : x.getInt64List().getValue(0);
        return 0.5f * value + 2f;
    }
}
