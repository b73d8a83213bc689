package dev.servedeck.core.rest;

import dev.servedeck.core.ModelSpec;
import dev.servedeck.core.security.ApiOperation;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Optional;
import java.util.OptionalLong;

/** What the router made of a request line: a call to run, or an answer to give straight away. */
sealed interface RouteMatch {

    /** The API operation the request asks for, which decides the scope its token needs. */
    ApiOperation operation();

    /** A REST call on a model, with the version or label the path named. */
    record Call(RestMethod method, String model, OptionalLong version, Optional<String> label) implements RouteMatch {

        ModelSpec spec(String signatureName) {
            return new ModelSpec(model, version, label, signatureName);
        }

        @Override
        public ApiOperation operation() {
            return method.operation();
        }
    }

    /**
     * An Open Inference Protocol (KServe v2) call.
     *
     * @param model the model, empty for the server's calls
     * @param version the version as the path wrote it, empty for none
     */
    record OpenInferenceCall(OpenInferenceMethod method, String model, String version) implements RouteMatch {

        @Override
        public ApiOperation operation() {
            return method.operation();
        }
    }

    /** A monitoring path: the metrics scrape or the health check. */
    record Monitoring(Kind kind) implements RouteMatch {

        enum Kind {
            METRICS(ApiOperation.METRICS),
            HEALTH(ApiOperation.HEALTH);

            private final ApiOperation operation;

            Kind(ApiOperation operation) {
                this.operation = operation;
            }

            ApiOperation operation() {
                return operation;
            }
        }

        @Override
        public ApiOperation operation() {
            return kind.operation();
        }
    }

    /**
     * A request no call matches.
     *
     * @param allow the methods the path does accept (for 405's Allow header), or null
     */
    record Rejection(HttpResponseStatus status, String message, String allow) implements RouteMatch {

        @Override
        public ApiOperation operation() {
            return ApiOperation.UNKNOWN;
        }
    }
}
