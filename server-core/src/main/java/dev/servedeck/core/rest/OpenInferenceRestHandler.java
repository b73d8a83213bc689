package dev.servedeck.core.rest;

import com.google.protobuf.ByteString;
import dev.servedeck.core.ExpectedCall;
import dev.servedeck.core.ServerHealth;
import dev.servedeck.core.ServingApi;
import dev.servedeck.core.VersionStatistics;
import dev.servedeck.core.oip.InferOutput;
import dev.servedeck.core.oip.InferResponse;
import dev.servedeck.core.oip.OpenInference;
import dev.servedeck.core.oip.RepositoryEntry;
import dev.servedeck.core.status.ServingException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one Open Inference Protocol REST call through {@link OpenInference} and renders the answer, on a request
 * executor thread like TF Serving's calls. Failures are {@code {"error": "..."}} with the same status mapping as
 * TF Serving's REST API; probes answer 200 for true and 400 for false, as the protocol's health API says.
 */
final class OpenInferenceRestHandler {

    /** The binary tensor extension's header: how many bytes of the body (request or answer) are JSON. */
    static final String INFERENCE_HEADER_CONTENT_LENGTH = "Inference-Header-Content-Length";

    private static final Logger LOG = LoggerFactory.getLogger(OpenInferenceRestHandler.class);
    private static final String INTERNAL_ERROR_MESSAGE = "Internal server error while processing the request";
    private static final String OCTET_STREAM = "application/octet-stream";

    private final OpenInference protocol;
    private final JsonResponses responses;
    private final OpenInferenceJsonReader reader;
    private final RepositoryRequestJsonReader repositoryReader;
    private final OpenInferenceJsonWriter writer = new OpenInferenceJsonWriter();

    OpenInferenceRestHandler(OpenInference protocol, JsonResponses responses, OpenInferenceJsonReader reader,
            RepositoryRequestJsonReader repositoryReader) {
        this.protocol = protocol;
        this.responses = responses;
        this.reader = reader;
        this.repositoryReader = repositoryReader;
    }

    /** An inference queued for a worker counts as on its way to batching (see {@link ServingApi#expectPredict}). */
    ExpectedCall expect(RouteMatch.OpenInferenceCall call) {
        return call.method() == OpenInferenceMethod.INFER ? protocol.expect(call.model()) : ExpectedCall.NONE;
    }

    /**
     * Runs the call. The body is read before this method returns, so the caller may release it then.
     *
     * @param headerLength the request's Inference-Header-Content-Length, or null
     * @return the answer, never a failed future
     */
    CompletableFuture<RestResponse> handle(RouteMatch.OpenInferenceCall call, JsonBody body, String headerLength,
            ByteBufAllocator alloc, Duration timeout) {
        try {
            return switch (call.method()) {
                case SERVER_LIVE -> done(probe("live", true, alloc));
                case SERVER_READY -> done(serverReady(alloc));
                case SERVER_METADATA -> done(responses.render(HttpResponseStatus.OK, alloc,
                        g -> writer.writeServerMetadata(g, protocol.serverMetadata())));
                case MODEL_READY -> done(modelReady(call, alloc));
                case MODEL_METADATA -> done(responses.render(HttpResponseStatus.OK, alloc,
                        g -> writer.writeModelMetadata(g, protocol.modelMetadata(call.model(), call.version()))));
                case INFER -> infer(call, body, headerLength, alloc, timeout);
                case REPOSITORY_INDEX -> {
                    List<RepositoryEntry> index = protocol.repository().index(repositoryReader.readyOnly(body));
                    yield done(responses.render(HttpResponseStatus.OK, alloc, g -> writer.writeRepositoryIndex(g, index)));
                }
                case REPOSITORY_LOAD -> {
                    protocol.repository().load(call.model(), repositoryReader.parameters(body));
                    yield done(emptyObject(alloc));
                }
                case MODEL_STATISTICS -> {
                    List<VersionStatistics> statistics = protocol.statistics().read(call.model(), call.version());
                    yield done(responses.render(HttpResponseStatus.OK, alloc,
                            g -> writer.writeStatistics(g, statistics)));
                }
                case REPOSITORY_UNLOAD -> {
                    protocol.repository().unload(call.model(), repositoryReader.parameters(body));
                    yield done(emptyObject(alloc));
                }
            };
        } catch (RuntimeException e) {
            return done(failure(call, e, alloc));
        } catch (Error e) {
            LOG.error("REST v2 {} on model {} failed with {}", call.method(), call.model(), e.getClass().getName(), e);
            return done(failure(call, ServingException.unexpected("REST v2 " + call.method(), e), alloc));
        }
    }

    private CompletableFuture<RestResponse> infer(RouteMatch.OpenInferenceCall call, JsonBody body, String headerLength,
            ByteBufAllocator alloc, Duration timeout) {
        int jsonLength = jsonLength(headerLength, body.length());
        OpenInferenceRequestJson request = reader.read(call.model(), call.version(), body.slice(0, jsonLength),
                ByteString.copyFrom(body.bytes(), body.offset() + jsonLength, body.length() - jsonLength));
        return protocol.inferAsync(request.request(), timeout)
                .thenApply(response -> inference(response, request, alloc))
                .exceptionally(error -> failure(call, ServingApi.unwrap(error), alloc));
    }

    /** The JSON's length: all of the body, or what Inference-Header-Content-Length says. */
    private static int jsonLength(String header, int bodyLength) {
        if (header == null) {
            return bodyLength;
        }
        try {
            int length = Integer.parseInt(header.trim());
            if (length >= 0 && length <= bodyLength) {
                return length;
            }
        } catch (NumberFormatException e) {
            // Answered below, as for a length outside the body.
        }
        throw ServingException.invalidArgument(INFERENCE_HEADER_CONTENT_LENGTH + " must be a number of bytes between 0 "
                + "and the body's length (" + bodyLength + "), not '" + header + "'");
    }

    /** JSON alone, or JSON then the binary outputs' bytes in output order, the header saying where JSON ends. */
    private RestResponse inference(InferResponse response, OpenInferenceRequestJson request, ByteBufAllocator alloc) {
        boolean anyBinary = response.outputs().stream().anyMatch(output -> request.binary(output.name()));
        if (!anyBinary) {
            return responses.render(HttpResponseStatus.OK, alloc,
                    g -> writer.writeInference(g, response, request::binary));
        }
        ByteBuf buffer = alloc.buffer();
        boolean written = false;
        try {
            responses.write(buffer, g -> writer.writeInference(g, response, request::binary));
            int jsonBytes = buffer.readableBytes();
            try (ByteBufOutputStream out = new ByteBufOutputStream(buffer)) {
                for (InferOutput output : response.outputs()) {
                    if (request.binary(output.name())) {
                        output.raw().writeTo(out);
                    }
                }
            }
            written = true;
            return new RestResponse(HttpResponseStatus.OK, buffer, null, OCTET_STREAM, null,
                    Map.of(INFERENCE_HEADER_CONTENT_LENGTH, Integer.toString(jsonBytes)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (!written) {
                buffer.release();
            }
        }
    }

    private RestResponse serverReady(ByteBufAllocator alloc) {
        ServerHealth health = protocol.ready();
        if (!health.ready()) {
            LOG.debug("v2 readiness: not ready: {}", health.reason());
        }
        return probe("ready", health.ready(), alloc);
    }

    private RestResponse modelReady(RouteMatch.OpenInferenceCall call, ByteBufAllocator alloc) {
        boolean ready = protocol.modelReady(call.model(), call.version());
        return responses.render(ready ? HttpResponseStatus.OK : HttpResponseStatus.BAD_REQUEST, alloc, g -> {
            g.writeStartObject();
            g.writeStringField("name", call.model());
            g.writeBooleanField("ready", ready);
            g.writeEndObject();
        });
    }

    /** A repository load's or unload's success: 200 with an empty object (the extension gives no body). */
    private RestResponse emptyObject(ByteBufAllocator alloc) {
        return responses.render(HttpResponseStatus.OK, alloc, g -> {
            g.writeStartObject();
            g.writeEndObject();
        });
    }

    /** {@code {"live": true}}: 200 for true, 400 for false. */
    private RestResponse probe(String field, boolean value, ByteBufAllocator alloc) {
        return responses.render(value ? HttpResponseStatus.OK : HttpResponseStatus.BAD_REQUEST, alloc, g -> {
            g.writeStartObject();
            g.writeBooleanField(field, value);
            g.writeEndObject();
        });
    }

    private RestResponse failure(RouteMatch.OpenInferenceCall call, RuntimeException error, ByteBufAllocator alloc) {
        if (error instanceof ServingException e) {
            LOG.debug("REST v2 {} on model {} failed: {} {}", call.method(), call.model(), e.code(), e.getMessage());
            return responses.error(HttpStatusMapping.of(e.code()), e.getMessage(), alloc);
        }
        LOG.error("REST v2 {} on model {} failed unexpectedly", call.method(), call.model(), error);
        return responses.error(HttpResponseStatus.INTERNAL_SERVER_ERROR, INTERNAL_ERROR_MESSAGE, alloc);
    }

    private static CompletableFuture<RestResponse> done(RestResponse response) {
        return CompletableFuture.completedFuture(response);
    }
}
