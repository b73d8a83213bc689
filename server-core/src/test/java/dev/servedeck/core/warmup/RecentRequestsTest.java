package dev.servedeck.core.warmup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.servedeck.core.ClassifyResult;
import dev.servedeck.core.ModelMetadata;
import dev.servedeck.core.ModelSpec;
import dev.servedeck.core.PredictResult;
import dev.servedeck.core.RegressResult;
import dev.servedeck.core.ServingApi;
import dev.servedeck.core.servable.ExampleBatch;
import dev.servedeck.core.servable.ServableId;
import dev.servedeck.core.servable.ServableState;
import dev.servedeck.core.status.ServingException;
import dev.servedeck.core.testing.WarmupFixtures;
import dev.servedeck.proto.apis.PredictionLog;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorProto;

/** The recorder's bounds and what it keeps, through the ServingApi view a front end calls. */
class RecentRequestsTest {

    private final AnsweringApi core = new AnsweringApi();

    @Test
    void recordsNothingUntilSwitchedOn() {
        RecentRequests recent = new RecentRequests();
        ServingApi api = recent.recordingFrom(core);

        api.predict(ModelSpec.latest("m"), Set.of(), signature -> Map.of("x", WarmupFixtures.floats(1f)));

        assertThat(recent.count("m")).isZero();
        assertThat(recent.recording()).isFalse();
    }

    @Test
    void keepsSuccessfulPredictClassifyAndRegressCallsAsTfServingPredictionLogs() {
        RecentRequests recent = new RecentRequests();
        recent.setRecording(true);
        ServingApi api = recent.recordingFrom(core);
        ExampleBatch withContext = new ExampleBatch(List.of(WarmupFixtures.example(1f)),
                Optional.of(WarmupFixtures.example(9f)));

        api.predict(ModelSpec.latest("m"), Set.of("y"), signature -> Map.of("x", WarmupFixtures.floats(1f, 2f)));
        api.classify(ModelSpec.latest("m").withSignature("classify_x_to_y"), withContext);
        api.regress(ModelSpec.latest("m").withSignature("regress_x_to_y"),
                ExampleBatch.of(List.of(WarmupFixtures.example(3f))));

        List<PredictionLog> logs = recent.predictionLogs("m");
        assertThat(logs).extracting(PredictionLog::getLogTypeCase).containsExactly(
                PredictionLog.LogTypeCase.PREDICT_LOG, PredictionLog.LogTypeCase.CLASSIFY_LOG,
                PredictionLog.LogTypeCase.REGRESS_LOG);
        var predict = logs.get(0).getPredictLog().getRequest();
        assertThat(predict.getModelSpec().getName()).isEqualTo("m");
        // The signature that answered, resolved by the core: a replay must not depend on a default.
        assertThat(predict.getModelSpec().getSignatureName()).isEqualTo("serving_default");
        assertThat(predict.getModelSpec().hasVersion()).isFalse();
        assertThat(predict.getInputsMap()).containsEntry("x", WarmupFixtures.floats(1f, 2f));
        assertThat(predict.getOutputFilterList()).containsExactly("y");
        var classify = logs.get(1).getClassifyLog().getRequest();
        assertThat(classify.getModelSpec().getSignatureName()).isEqualTo("classify_x_to_y");
        assertThat(classify.getInput().getExampleListWithContext().getContext()).isEqualTo(WarmupFixtures.example(9f));
        assertThat(logs.get(2).getRegressLog().getRequest().getInput().getExampleList().getExamplesList())
                .containsExactly(WarmupFixtures.example(3f));
    }

    @Test
    void failedCallsAreNotKept() {
        RecentRequests recent = new RecentRequests();
        recent.setRecording(true);
        ServingApi api = recent.recordingFrom(core);
        core.failing = true;

        assertThatThrownBy(() -> api.predict(ModelSpec.latest("m"), Set.of(),
                signature -> Map.of("x", WarmupFixtures.floats(1f)))).isInstanceOf(ServingException.class);
        assertThatThrownBy(() -> api.regress(ModelSpec.latest("m"), ExampleBatch.of(List.of())))
                .isInstanceOf(ServingException.class);

        assertThat(recent.count("m")).isZero();
    }

    @Test
    void keepsTheLastRequestsOfEachModel() {
        RecentRequests recent = new RecentRequests(3, 1 << 20, 8);
        recent.setRecording(true);
        ServingApi api = recent.recordingFrom(core);

        for (int i = 0; i < 5; i++) {
            float x = i;
            api.predict(ModelSpec.latest("m"), Set.of(), signature -> Map.of("x", WarmupFixtures.floats(x)));
        }
        api.predict(ModelSpec.latest("other"), Set.of(), signature -> Map.of("x", WarmupFixtures.floats(7f)));

        assertThat(recent.predictionLogs("m")).extracting(log ->
                log.getPredictLog().getRequest().getInputsMap().get("x").getFloatVal(0)).containsExactly(2f, 3f, 4f);
        assertThat(recent.count("other")).isEqualTo(1);
    }

    @Test
    void keepsAtMostTheByteBoundPerModelAndNoRequestLargerThanIt() {
        TensorProto kilobyte = WarmupFixtures.floats(new float[250]);
        long size = kilobyte.getSerializedSize();
        RecentRequests recent = new RecentRequests(100, 3 * size, 8);
        recent.setRecording(true);
        ServingApi api = recent.recordingFrom(core);

        for (int i = 0; i < 5; i++) {
            api.predict(ModelSpec.latest("m"), Set.of(), signature -> Map.of("x", kilobyte));
        }
        assertThat(recent.count("m")).isEqualTo(3);

        TensorProto tooLarge = WarmupFixtures.floats(new float[1000]);
        api.predict(ModelSpec.latest("big"), Set.of(), signature -> Map.of("x", tooLarge));
        assertThat(recent.count("big")).isZero();
    }

    @Test
    void keepsAtMostTheModelBoundDroppingTheLeastRecentlyRecorded() {
        RecentRequests recent = new RecentRequests(10, 1 << 20, 2);
        recent.setRecording(true);
        ServingApi api = recent.recordingFrom(core);

        for (String model : List.of("a", "b", "a", "c")) {
            api.regress(ModelSpec.latest(model), ExampleBatch.of(List.of(WarmupFixtures.example(1f))));
        }

        assertThat(recent.count("a")).isEqualTo(2);
        assertThat(recent.count("b")).isZero();
        assertThat(recent.count("c")).isEqualTo(1);
    }

    @Test
    void switchingOffOrForgettingDropsWhatWasKept() {
        RecentRequests recent = new RecentRequests();
        recent.setRecording(true);
        ServingApi api = recent.recordingFrom(core);
        api.regress(ModelSpec.latest("a"), ExampleBatch.of(List.of(WarmupFixtures.example(1f))));
        api.regress(ModelSpec.latest("b"), ExampleBatch.of(List.of(WarmupFixtures.example(1f))));

        recent.forget("a");
        assertThat(recent.count("a")).isZero();
        assertThat(recent.count("b")).isEqualTo(1);

        recent.setRecording(false);
        assertThat(recent.count("b")).isZero();
    }

    /** Answers every call as version 1 with the default signature resolved; fails every call when told to. */
    private static final class AnsweringApi implements ServingApi {

        volatile boolean failing;

        @Override
        public CompletableFuture<PredictResult> predictAsync(ModelSpec spec, Set<String> outputFilter,
                Function<SignatureDef, Map<String, TensorProto>> inputDecoder, Duration timeout) {
            inputDecoder.apply(SignatureDef.getDefaultInstance());
            if (failing) {
                return CompletableFuture.failedFuture(ServingException.invalidArgument("refused"));
            }
            return CompletableFuture.completedFuture(new PredictResult(new ServableId(spec.name(), 1),
                    signature(spec), Map.of()));
        }

        @Override
        public ClassifyResult classify(ModelSpec spec, ExampleBatch input) {
            refuseIfFailing();
            return new ClassifyResult(new ServableId(spec.name(), 1), signature(spec), List.of());
        }

        @Override
        public RegressResult regress(ModelSpec spec, ExampleBatch input) {
            refuseIfFailing();
            return new RegressResult(new ServableId(spec.name(), 1), signature(spec), List.of());
        }

        @Override
        public ModelMetadata metadata(ModelSpec spec) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<ServableState> status(ModelSpec spec) {
            throw new UnsupportedOperationException();
        }

        private void refuseIfFailing() {
            if (failing) {
                throw ServingException.invalidArgument("refused");
            }
        }

        private static String signature(ModelSpec spec) {
            return spec.signatureName().isEmpty() ? "serving_default" : spec.signatureName();
        }
    }
}
