package dev.servedeck.core.rest;

import com.fasterxml.jackson.core.JsonFactory;
import dev.servedeck.core.ClassifyResult;
import dev.servedeck.core.ExpectedCall;
import dev.servedeck.core.ModelMetadata;
import dev.servedeck.core.PredictResult;
import dev.servedeck.core.RegressResult;
import dev.servedeck.core.ServingApi;
import dev.servedeck.core.servable.ServableState;
import dev.servedeck.core.status.ServingException;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one REST call against the core and renders the answer (TF Serving's HttpRestApiHandler). Called on a
 * request executor thread, never on an event loop: the core may block. Predict does not hold that thread
 * while the request waits for a batch: its answer is rendered when the core's future completes (on a batch
 * thread). Every outcome becomes a response: ServingExceptions with their mapped status and message,
 * anything unexpected as a generic 500 whose details stay in the server log.
 */
final class RestApiHandler {

    private static final Logger LOG = LoggerFactory.getLogger(RestApiHandler.class);
    private static final String INTERNAL_ERROR_MESSAGE = "Internal server error while processing the request";

    private final ServingApi api;
    private final JsonResponses responses;
    private final JsonTensorReader tensorReader;
    private final JsonTensorWriter tensorWriter = new JsonTensorWriter();
    private final JsonExampleReader exampleReader;
    private final JsonResultWriter resultWriter = new JsonResultWriter();
    private final JsonModelWriter modelWriter = new JsonModelWriter();

    RestApiHandler(ServingApi api, JsonFactory json) {
        this.api = api;
        this.responses = new JsonResponses(json);
        this.tensorReader = new JsonTensorReader(json);
        this.exampleReader = new JsonExampleReader(json);
    }

    /** A Predict call queued for a worker counts as on its way to batching (see {@link ServingApi#expectPredict}). */
    ExpectedCall expect(RouteMatch.Call call) {
        return call.method() == RestMethod.PREDICT ? api.expectPredict(call.model()) : ExpectedCall.NONE;
    }

    /**
     * Runs the call. The body is read before this method returns, so the caller may release it then.
     *
     * @param timeout what is left of the REST timeout, the deadline of a request queued for a batch
     *     ({@link Duration#ZERO}: none)
     * @return the answer, never a failed future
     */
    CompletableFuture<RestResponse> handle(RouteMatch.Call call, JsonBody body, ByteBufAllocator alloc, Duration timeout) {
        CompletableFuture<RestResponse> response;
        try {
            response = switch (call.method()) {
                case PREDICT -> predict(call, body, alloc, timeout);
                case CLASSIFY -> CompletableFuture.completedFuture(classify(call, body, alloc));
                case REGRESS -> CompletableFuture.completedFuture(regress(call, body, alloc));
                case STATUS -> CompletableFuture.completedFuture(status(call, alloc));
                case METADATA -> CompletableFuture.completedFuture(metadata(call, alloc));
            };
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(failure(call, e, alloc));
        } catch (Error e) {
            // Reading or writing the JSON ran out of memory or stack: still an answer, never a dropped connection.
            LOG.error("REST {} on model {} failed with {}", call.method(), call.model(), e.getClass().getName(), e);
            return CompletableFuture.completedFuture(
                    failure(call, ServingException.unexpected("REST " + call.method(), e), alloc));
        }
        return response.exceptionally(error -> failure(call, ServingApi.unwrap(error), alloc));
    }

    private RestResponse failure(RouteMatch.Call call, RuntimeException error, ByteBufAllocator alloc) {
        if (error instanceof ServingException e) {
            LOG.debug("REST {} on model {} failed: {} {}", call.method(), call.model(), e.code(), e.getMessage());
            return error(HttpStatusMapping.of(e.code()), e.getMessage(), alloc);
        }
        LOG.error("REST {} on model {} failed unexpectedly", call.method(), call.model(), error);
        return error(HttpResponseStatus.INTERNAL_SERVER_ERROR, INTERNAL_ERROR_MESSAGE, alloc);
    }

    /** {@code {"error": "message"}}, as TF Serving answers every failure. */
    RestResponse error(HttpResponseStatus status, String message, ByteBufAllocator alloc) {
        return responses.error(status, message, alloc);
    }

    private CompletableFuture<RestResponse> predict(RouteMatch.Call call, JsonBody body, ByteBufAllocator alloc,
            Duration timeout) {
        PredictRequestJson request = tensorReader.scan(body);
        CompletableFuture<PredictResult> result = api.predictAsync(call.spec(request.signatureName()), Set.of(),
                signature -> tensorReader.readInputs(request, signature), timeout);
        return result.thenApply(answer ->
                render(HttpResponseStatus.OK, alloc, g -> tensorWriter.write(g, request.format(), answer.outputs())));
    }

    private RestResponse classify(RouteMatch.Call call, JsonBody body, ByteBufAllocator alloc) {
        ExampleRequestJson request = exampleReader.read(body, "classify");
        ClassifyResult result = api.classify(call.spec(request.signatureName()), request.examples());
        return render(HttpResponseStatus.OK, alloc, g -> resultWriter.write(g, result));
    }

    private RestResponse regress(RouteMatch.Call call, JsonBody body, ByteBufAllocator alloc) {
        ExampleRequestJson request = exampleReader.read(body, "regress");
        RegressResult result = api.regress(call.spec(request.signatureName()), request.examples());
        return render(HttpResponseStatus.OK, alloc, g -> resultWriter.write(g, result));
    }

    private RestResponse status(RouteMatch.Call call, ByteBufAllocator alloc) {
        List<ServableState> states = api.status(call.spec(""));
        return render(HttpResponseStatus.OK, alloc, g -> modelWriter.writeStatus(g, states));
    }

    private RestResponse metadata(RouteMatch.Call call, ByteBufAllocator alloc) {
        ModelMetadata metadata = api.metadata(call.spec(""));
        return render(HttpResponseStatus.OK, alloc, g -> modelWriter.writeMetadata(g, metadata));
    }

    private RestResponse render(HttpResponseStatus status, ByteBufAllocator alloc, JsonResponses.BodyWriter writer) {
        return responses.render(status, alloc, writer);
    }
}
