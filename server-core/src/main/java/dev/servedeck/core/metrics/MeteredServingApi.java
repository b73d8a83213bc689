package dev.servedeck.core.metrics;

import dev.servedeck.core.ClassifyResult;
import dev.servedeck.core.ExampleResult;
import dev.servedeck.core.ExpectedCall;
import dev.servedeck.core.ModelMetadata;
import dev.servedeck.core.ModelSpec;
import dev.servedeck.core.PredictResult;
import dev.servedeck.core.RegressResult;
import dev.servedeck.core.ServingApi;
import dev.servedeck.core.requestlog.Payloads;
import dev.servedeck.core.requestlog.RequestLog;
import dev.servedeck.core.requestlog.RequestLogEntry;
import dev.servedeck.core.servable.ExampleBatch;
import dev.servedeck.core.servable.Servable;
import dev.servedeck.core.servable.ServableState;
import dev.servedeck.core.status.Code;
import dev.servedeck.core.status.ServingException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorProto;

/**
 * The serving core as one front end sees it, with every inference call measured: one instance per front
 * end, created with its entrypoint label ({@code REST}, {@code GRPC}), so both front ends are counted alike
 * without either knowing about metrics. Each finished Predict, Classify or Regress becomes one
 * {@link CompletedRequest} for the Prometheus metrics and the live statistics, and, when sampled, one
 * request log entry. Metadata and status calls pass through unmeasured, as in TF Serving.
 */
final class MeteredServingApi implements ServingApi {

    private final ServingApi core;
    private final String entrypoint;
    private final Consumer<CompletedRequest> recorder;
    private final Optional<RequestLog> requestLog;
    private final LongSupplier nanoTime;
    private final Clock clock;
    private final FailedCallLabels failedCallLabels;

    MeteredServingApi(ServingApi core, String entrypoint, Consumer<CompletedRequest> recorder,
            Optional<RequestLog> requestLog, LongSupplier nanoTime, Clock clock) {
        this.core = core;
        this.entrypoint = entrypoint;
        this.recorder = recorder;
        this.requestLog = requestLog;
        this.nanoTime = nanoTime;
        this.clock = clock;
        this.failedCallLabels = new FailedCallLabels(core);
    }

    @Override
    public ExpectedCall expectPredict(String model) {
        return core.expectPredict(model);
    }

    /** Measured from the call until the answer is complete, including any wait for a batch. */
    @Override
    public CompletableFuture<PredictResult> predictAsync(ModelSpec spec, Set<String> outputFilter,
            Function<SignatureDef, Map<String, TensorProto>> inputDecoder, Duration timeout) {
        long start = nanoTime.getAsLong();
        RequestLog log = sampledLog(spec);
        DecodedInputs decoded = log == null ? null : new DecodedInputs(inputDecoder);
        CompletableFuture<PredictResult> pending;
        try {
            pending = core.predictAsync(spec, outputFilter, decoded == null ? inputDecoder : decoded, timeout);
        } catch (RuntimeException e) {
            pending = CompletableFuture.failedFuture(e);
        }
        return pending.whenComplete((result, error) -> {
            if (error != null) {
                predictFailed(spec, ServingApi.unwrap(error), start, log, decoded);
            } else {
                predictSucceeded(spec, result, start, log, decoded);
            }
        });
    }

    private void predictSucceeded(ModelSpec spec, PredictResult result, long start, RequestLog log,
            DecodedInputs decoded) {
        long nanos = nanoTime.getAsLong() - start;
        recorder.accept(new CompletedRequest(spec.name(), result.servedBy().version(), result.signatureName(),
                "Predict", entrypoint, Code.OK, nanos, rowsOf(result.outputs()), 0));
        if (log != null) {
            log(log, spec, OptionalLong.of(result.servedBy().version()), result.signatureName(), "Predict", Code.OK,
                    start, Payloads.sizeOf(decoded.inputs), Payloads.sizeOf(result.outputs()),
                    log.includeBodies() ? Payloads.json(decoded.inputs) : null,
                    log.includeBodies() ? Payloads.json(result.outputs()) : null);
        }
    }

    private void predictFailed(ModelSpec spec, RuntimeException e, long start, RequestLog log,
            DecodedInputs decoded) {
        Code code = failed(spec, "Predict", e, start);
        if (log != null) {
            Map<String, TensorProto> inputs = decoded.inputs == null ? Map.of() : decoded.inputs;
            log(log, spec, OptionalLong.empty(), signature(spec), "Predict", code, start,
                    Payloads.sizeOf(inputs), 0, log.includeBodies() ? Payloads.json(inputs) : null, null);
        }
    }

    @Override
    public ClassifyResult classify(ModelSpec spec, ExampleBatch input) {
        return measureExamples(spec, "Classify", input, () -> core.classify(spec, input),
                result -> Payloads.sizeOfClassifications(result.results()),
                result -> Payloads.jsonOfClassifications(result.results()));
    }

    @Override
    public RegressResult regress(ModelSpec spec, ExampleBatch input) {
        return measureExamples(spec, "Regress", input, () -> core.regress(spec, input),
                result -> Payloads.sizeOfRegressions(result.results()),
                result -> Payloads.jsonOfRegressions(result.results()));
    }

    /** Classify and Regress: time the call, record it (examples count as rows), log it when sampled. */
    private <R extends ExampleResult> R measureExamples(ModelSpec spec, String api, ExampleBatch input,
            Supplier<R> call, ToLongFunction<R> responseBytes, Function<R, String> responseJson) {
        long start = nanoTime.getAsLong();
        RequestLog log = sampledLog(spec);
        R result;
        try {
            result = call.get();
        } catch (RuntimeException e) {
            Code code = failed(spec, api, e, start);
            if (log != null) {
                log(log, spec, OptionalLong.empty(), signature(spec), api, code, start, Payloads.sizeOf(input), 0,
                        log.includeBodies() ? Payloads.json(input) : null, null);
            }
            throw e;
        }
        int examples = input.examples().size();
        recorder.accept(new CompletedRequest(spec.name(), result.servedBy().version(), result.signatureName(), api,
                entrypoint, Code.OK, nanoTime.getAsLong() - start, examples, examples));
        if (log != null) {
            log(log, spec, OptionalLong.of(result.servedBy().version()), result.signatureName(), api, Code.OK,
                    start, Payloads.sizeOf(input), responseBytes.applyAsLong(result),
                    log.includeBodies() ? Payloads.json(input) : null,
                    log.includeBodies() ? responseJson.apply(result) : null);
        }
        return result;
    }

    @Override
    public ModelMetadata metadata(ModelSpec spec) {
        return core.metadata(spec);
    }

    @Override
    public List<ServableState> status(ModelSpec spec) {
        return core.status(spec);
    }

    private RequestLog sampledLog(ModelSpec spec) {
        return requestLog.isPresent() && requestLog.get().sample(spec.name()) ? requestLog.get() : null;
    }

    /**
     * Records a failed call under {@link FailedCallLabels bounded labels}; unexpected exceptions count as INTERNAL,
     * as the front ends answer them.
     */
    private Code failed(ModelSpec spec, String api, RuntimeException e, long start) {
        Code code = e instanceof ServingException serving ? serving.code() : Code.INTERNAL;
        long nanos = nanoTime.getAsLong() - start;
        FailedCallLabels.Labels labels = failedCallLabels.of(spec);
        recorder.accept(new CompletedRequest(labels.model(), labels.version(), labels.signature(), api, entrypoint,
                code, nanos, 0, 0));
        return code;
    }

    private void log(RequestLog log, ModelSpec spec, OptionalLong version, String signature, String api, Code code,
            long start, long requestBytes, long responseBytes, String requestBody, String responseBody) {
        log.offer(new RequestLogEntry(clock.instant(), spec.name(), version, signature, api, entrypoint, code,
                (nanoTime.getAsLong() - start) / 1_000, requestBytes, responseBytes, Optional.ofNullable(requestBody),
                Optional.ofNullable(responseBody)));
    }

    private static String signature(ModelSpec spec) {
        return spec.signatureName().isEmpty() ? Servable.DEFAULT_SIGNATURE : spec.signatureName();
    }

    /** The batch size of a Predict answer: the first dimension of an output (1 for scalars). */
    private static long rowsOf(Map<String, TensorProto> outputs) {
        for (TensorProto output : outputs.values()) {
            if (output.getTensorShape().getDimCount() > 0) {
                return Math.max(0, output.getTensorShape().getDim(0).getSize());
            }
            return 1;
        }
        return 0;
    }

    /** Keeps the decoded inputs of a sampled Predict call for its request log entry. */
    private static final class DecodedInputs implements Function<SignatureDef, Map<String, TensorProto>> {

        private final Function<SignatureDef, Map<String, TensorProto>> decoder;
        private Map<String, TensorProto> inputs;

        DecodedInputs(Function<SignatureDef, Map<String, TensorProto>> decoder) {
            this.decoder = decoder;
        }

        @Override
        public Map<String, TensorProto> apply(SignatureDef signature) {
            inputs = decoder.apply(signature);
            return inputs;
        }
    }
}
