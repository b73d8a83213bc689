package dev.servedeck.core.rest;

import dev.servedeck.core.security.AccessDecision;
import dev.servedeck.core.security.ApiOperation;
import dev.servedeck.core.security.Authorizer;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code Authorization: Bearer TOKEN} on REST: routes the request line to its API operation and lets the
 * {@link Authorizer} decide. Refusals are 401 with {@code WWW-Authenticate: Bearer} (no or an unknown token)
 * or 403 (a token without the scope), with RFC 6750's error attributes. The token is never logged.
 */
final class BearerTokenCheck implements RequestCheck {

    private static final Logger LOG = LoggerFactory.getLogger(BearerTokenCheck.class);
    private static final String REALM = "Bearer realm=\"ServeDeck\"";

    private final Authorizer authorizer;
    private final RestRouter router;
    private final boolean cors;

    BearerTokenCheck(Authorizer authorizer, RestRouter router, boolean cors) {
        this.authorizer = authorizer;
        this.router = router;
        this.cors = cors;
    }

    @Override
    public RefusedRequest.Refusal check(HttpRequest head) {
        String authorization = head.headers().get(HttpHeaderNames.AUTHORIZATION);
        ApiOperation operation = cheapOperationOf(head);
        AccessDecision decision;
        if (operation != null) {
            decision = authorizer.authorize(operation, authorization);
        } else {
            // A model path (each needs 'predict') or no path at all (any token): a token with 'predict' passes
            // either way, and no token or an unknown one fails either way. Only a token without 'predict' needs
            // the request line routed (a regular expression, as long again as the check), to answer 403 or 404.
            decision = authorizer.authorize(ApiOperation.PREDICT, authorization);
            if (decision.outcome() == AccessDecision.Outcome.MISSING_SCOPE) {
                operation = routedOperationOf(head);
                decision = authorizer.authorize(operation, authorization);
            }
        }
        if (decision.allowed()) {
            return null;
        }
        LOG.debug("REST {} {} refused: {}", head.method(), operation == null ? "model path" : operation,
                decision.outcome());
        return new RefusedRequest.Refusal(HttpStatusMapping.of(decision.code()), decision.message(),
                challenge(decision));
    }

    /**
     * The operations told apart without guessing: a CORS preflight, the metrics and health paths, the Open Inference
     * Protocol's paths; else null.
     */
    private ApiOperation cheapOperationOf(HttpRequest head) {
        if (cors && head.method().equals(HttpMethod.OPTIONS)) {
            return ApiOperation.CORS_PREFLIGHT;
        }
        RouteMatch.Monitoring.Kind monitoring = router.monitoringGet(head.method(), head.uri());
        if (monitoring != null) {
            return monitoring.operation();
        }
        // The protocol's paths mix open probes with predict calls: route them, rather than assume 'predict'.
        return router.isOpenInference(head.method(), head.uri()) ? routedOperationOf(head) : null;
    }

    /** What the router makes of the request line, as the dispatcher will route it. */
    ApiOperation routedOperationOf(HttpRequest head) {
        if (cors && head.method().equals(HttpMethod.OPTIONS)) {
            return ApiOperation.CORS_PREFLIGHT;
        }
        try {
            return router.route(head.method(), head.uri()).operation();
        } catch (RuntimeException e) {
            return ApiOperation.UNKNOWN;
        }
    }

    private static String challenge(AccessDecision decision) {
        return switch (decision.outcome()) {
            case ALLOWED, NO_TOKEN -> REALM;
            case UNKNOWN_TOKEN -> REALM + ", error=\"invalid_token\"";
            case MISSING_SCOPE -> REALM + ", error=\"insufficient_scope\", scope=\""
                    + decision.requiredScope().map(scope -> scope.fileName()).orElse("") + "\"";
        };
    }
}
