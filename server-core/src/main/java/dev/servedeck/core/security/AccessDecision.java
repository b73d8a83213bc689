package dev.servedeck.core.security;

import dev.servedeck.core.status.Code;
import java.util.Optional;

/**
 * What {@link Authorizer} decided about one request: allowed, or refused with a reason a front end turns into
 * 401 / UNAUTHENTICATED (no valid token) or 403 / PERMISSION_DENIED (a valid token without the scope).
 *
 * @param outcome why
 * @param message for the client, in TF Serving's {@code {"error": ...}} or the gRPC status; never holds a token
 * @param requiredScope the scope the operation needs, when it needs one
 */
public record AccessDecision(Outcome outcome, String message, Optional<Scope> requiredScope) {

    /** Why a request was allowed or refused. */
    public enum Outcome {
        ALLOWED,
        /** No {@code Authorization: Bearer ...} at all (or another scheme). */
        NO_TOKEN,
        /** A bearer token the token file does not hold. */
        UNKNOWN_TOKEN,
        /** A known token without the scope the operation needs. */
        MISSING_SCOPE
    }

    static final AccessDecision ALLOWED = new AccessDecision(Outcome.ALLOWED, "", Optional.empty());

    public boolean allowed() {
        return outcome == Outcome.ALLOWED;
    }

    /** The status code to answer a refusal with (UNAUTHENTICATED or PERMISSION_DENIED); OK when allowed. */
    public Code code() {
        return switch (outcome) {
            case ALLOWED -> Code.OK;
            case NO_TOKEN, UNKNOWN_TOKEN -> Code.UNAUTHENTICATED;
            case MISSING_SCOPE -> Code.PERMISSION_DENIED;
        };
    }
}
