package dev.servedeck.core.grpc;

import dev.servedeck.core.security.AccessDecision;
import dev.servedeck.core.security.ApiOperation;
import dev.servedeck.core.security.Authorizer;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code authorization: Bearer TOKEN} metadata on gRPC: maps the method to its API operation and lets the
 * {@link Authorizer} decide. A refused call ends with UNAUTHENTICATED (no or an unknown token) or
 * PERMISSION_DENIED (a token without the scope) before the service sees it. Health and reflection are open.
 * The token is never logged.
 */
final class BearerTokenInterceptor implements ServerInterceptor {

    private static final Logger LOG = LoggerFactory.getLogger(BearerTokenInterceptor.class);
    static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    private final Authorizer authorizer;

    BearerTokenInterceptor(Authorizer authorizer) {
        this.authorizer = authorizer;
    }

    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
            ServerCallHandler<Q, A> next) {
        ApiOperation operation = GrpcOperations.of(call.getMethodDescriptor());
        AccessDecision decision = authorizer.authorize(operation, operation.open() ? null : headers.get(AUTHORIZATION));
        if (decision.allowed()) {
            return next.startCall(call, headers);
        }
        LOG.debug("gRPC {} refused: {}", call.getMethodDescriptor().getFullMethodName(), decision.outcome());
        call.close(Status.fromCodeValue(decision.code().number()).withDescription(decision.message()), new Metadata());
        return new ServerCall.Listener<>() {
        };
    }
}
