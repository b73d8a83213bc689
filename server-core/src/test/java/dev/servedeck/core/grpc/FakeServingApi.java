package dev.servedeck.core.grpc;

import dev.servedeck.core.ClassifyResult;
import dev.servedeck.core.ExpectedCall;
import dev.servedeck.core.ModelMetadata;
import dev.servedeck.core.ModelSpec;
import dev.servedeck.core.PredictResult;
import dev.servedeck.core.RegressResult;
import dev.servedeck.core.ServingApi;
import dev.servedeck.core.servable.ExampleBatch;
import dev.servedeck.core.servable.ServableId;
import dev.servedeck.core.servable.ServableState;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorProto;

/** A ServingApi whose predict does what the test says (throw, block, answer); the rest is unused. */
final class FakeServingApi implements ServingApi {

    static final PredictResult EMPTY_ANSWER = new PredictResult(new ServableId("fake", 1), "serving_default", Map.of());

    private final Supplier<PredictResult> predict;
    /** When set, predict's future completes with this failure (as a batch's does, on another thread). */
    private final Throwable asyncFailure;

    FakeServingApi(Supplier<PredictResult> predict) {
        this(predict, null);
    }

    private FakeServingApi(Supplier<PredictResult> predict, Throwable asyncFailure) {
        this.predict = predict;
        this.asyncFailure = asyncFailure;
    }

    /** Predict's future fails with {@code failure}, an Error included. */
    static FakeServingApi failingLater(Throwable failure) {
        return new FakeServingApi(() -> EMPTY_ANSWER, failure);
    }

    static FakeServingApi throwing(RuntimeException failure) {
        return new FakeServingApi(() -> {
            throw failure;
        });
    }

    /** Predict calls announced by the front end ({@link #expectPredict}) and not handed over yet. */
    final AtomicInteger expectedPredicts = new AtomicInteger();

    @Override
    public ExpectedCall expectPredict(String model) {
        expectedPredicts.incrementAndGet();
        AtomicBoolean open = new AtomicBoolean(true);
        return () -> {
            if (open.getAndSet(false)) {
                expectedPredicts.decrementAndGet();
            }
        };
    }

    /** Answers (or throws, or blocks) on the calling thread, as an unbatched core does. */
    @Override
    public CompletableFuture<PredictResult> predictAsync(ModelSpec spec, Set<String> outputFilter,
            Function<SignatureDef, Map<String, TensorProto>> inputDecoder, Duration timeout) {
        if (asyncFailure != null) {
            return CompletableFuture.failedFuture(asyncFailure);
        }
        return CompletableFuture.completedFuture(predict.get());
    }

    @Override
    public ClassifyResult classify(ModelSpec spec, ExampleBatch input) {
        throw new UnsupportedOperationException("classify");
    }

    @Override
    public RegressResult regress(ModelSpec spec, ExampleBatch input) {
        throw new UnsupportedOperationException("regress");
    }

    @Override
    public ModelMetadata metadata(ModelSpec spec) {
        throw new UnsupportedOperationException("metadata");
    }

    @Override
    public List<ServableState> status(ModelSpec spec) {
        throw new UnsupportedOperationException("status");
    }
}
