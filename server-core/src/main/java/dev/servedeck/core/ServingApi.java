package dev.servedeck.core;

import dev.servedeck.core.servable.ExampleBatch;
import dev.servedeck.core.servable.ServableState;
import dev.servedeck.core.status.ServingException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorProto;

/**
 * What a front end (REST, gRPC, console) may ask of the serving core. Every method resolves the model
 * spec once and holds the chosen version for the whole call, so a version swap never fails a request.
 * Failures are {@link ServingException}s carrying TF Serving's status codes.
 */
public interface ServingApi {

    /**
     * TF Serving's Predict, without blocking the caller while the request waits for a batch: the future
     * completes (often on a batch thread) with the result or with a {@link ServingException}. Failures found
     * before the request is queued (unknown model, bad input, full batch queue) come as an already failed
     * future. The version stays loaded until the future completes.
     *
     * @param inputDecoder turns the request body into input tensors, given the signature the call resolved
     *     to (REST needs the signature's dtypes to read JSON; gRPC ignores it). Runs on the caller's thread
     *     before this method returns, so the caller may release the request body afterwards.
     * @param timeout how long the request may still wait before it runs (what is left of the REST timeout or
     *     the gRPC deadline); a request still queued for a batch then fails with DEADLINE_EXCEEDED without
     *     running. {@link Duration#ZERO} means no deadline.
     */
    CompletableFuture<PredictResult> predictAsync(ModelSpec spec, Set<String> outputFilter,
            Function<SignatureDef, Map<String, TensorProto>> inputDecoder, Duration timeout);

    /**
     * A front end has accepted a Predict call for {@code model} and queued it for a thread that will call
     * {@link #predictAsync}. Until the returned handle is closed (when that thread picks the call up, or when the
     * call is dropped), batching counts it as on its way, so the adaptive batch timeout holds the model's partial
     * batches for it rather than running them a request short. Never blocks; without batching it counts nothing.
     */
    default ExpectedCall expectPredict(String model) {
        return ExpectedCall.NONE;
    }

    /** {@link #predictAsync(ModelSpec, Set, Function, Duration)} without a deadline. */
    default CompletableFuture<PredictResult> predictAsync(ModelSpec spec, Set<String> outputFilter,
            Function<SignatureDef, Map<String, TensorProto>> inputDecoder) {
        return predictAsync(spec, outputFilter, inputDecoder, Duration.ZERO);
    }

    /**
     * TF Serving's Predict, waiting for the answer on the caller's thread (for callers that have a thread to
     * spare, such as tests and the console; front ends use {@link #predictAsync}).
     *
     * @throws ServingException as {@link #predictAsync} reports it
     */
    default PredictResult predict(ModelSpec spec, Set<String> outputFilter,
            Function<SignatureDef, Map<String, TensorProto>> inputDecoder) {
        try {
            return predictAsync(spec, outputFilter, inputDecoder).join();
        } catch (CompletionException e) {
            throw unwrap(e);
        }
    }

    ClassifyResult classify(ModelSpec spec, ExampleBatch input);

    RegressResult regress(ModelSpec spec, ExampleBatch input);

    ModelMetadata metadata(ModelSpec spec);

    /**
     * TF Serving's GetModelStatus: the state of every version of the model the server knows of (or of
     * the one version or label the spec names), ordered by version.
     */
    List<ServableState> status(ModelSpec spec);

    /**
     * The failure a future completed with, as thrown by the call itself. Never throws: an {@link Error} becomes
     * INTERNAL, because callers run this in the future's completion, where a throw would leave the request
     * without an answer.
     */
    static RuntimeException unwrap(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof RuntimeException runtime) {
            return runtime;
        }
        return ServingException.unexpected("Predict", cause);
    }
}
