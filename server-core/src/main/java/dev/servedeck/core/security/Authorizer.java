package dev.servedeck.core.security;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The one rule for who may do what: a request's {@code Authorization} value (REST header, gRPC metadata)
 * against the tokens of {@code --auth_tokens_file} and the scope its {@link ApiOperation} needs. Both front ends
 * ask it; neither decides on its own. Without a token file every operation is allowed (TF Serving's behaviour),
 * and the front ends do not even ask ({@link #enabled()}).
 */
public final class Authorizer implements AutoCloseable {

    /** RFC 6750's scheme, matched case-insensitively as HTTP auth schemes are. */
    private static final String BEARER = "Bearer ";

    private static final Authorizer DISABLED = new Authorizer(null, Optional.empty());

    private final Supplier<TokenTable> tokens;
    private final Optional<TokenFileWatcher> watcher;

    private Authorizer(Supplier<TokenTable> tokens, Optional<TokenFileWatcher> watcher) {
        this.tokens = tokens;
        this.watcher = watcher;
    }

    /** Allows everything: no token file. */
    public static Authorizer disabled() {
        return DISABLED;
    }

    /**
     * Requires the tokens of {@code file}, re-read every {@code checkInterval} when it changed.
     *
     * @throws dev.servedeck.core.status.ServingException INVALID_ARGUMENT when the file cannot be read or parsed
     */
    public static Authorizer fromTokenFile(Path file, Duration checkInterval) {
        TokenFileWatcher watcher = new TokenFileWatcher(file, checkInterval);
        return new Authorizer(watcher::tokens, Optional.of(watcher));
    }

    /** From the options: a token file when one is set, else {@link #disabled()}. */
    public static Authorizer from(AuthOptions options) {
        return options.tokensFile().map(file -> fromTokenFile(file, options.tokensFileCheckInterval()))
                .orElse(DISABLED);
    }

    /** Over fixed tokens, for tests. */
    static Authorizer of(TokenTable table) {
        return new Authorizer(() -> table, Optional.empty());
    }

    /** Whether tokens are required at all. */
    public boolean enabled() {
        return tokens != null;
    }

    /**
     * Decides one request.
     *
     * @param authorization the {@code Authorization} header (gRPC: {@code authorization} metadata) value, or null
     */
    public AccessDecision authorize(ApiOperation operation, String authorization) {
        if (tokens == null || operation.open()) {
            return AccessDecision.ALLOWED;
        }
        String token = bearerToken(authorization);
        if (token == null) {
            return new AccessDecision(AccessDecision.Outcome.NO_TOKEN, "Authentication required: send a bearer token "
                    + "('authorization: Bearer TOKEN')", operation.requiredScope());
        }
        Set<Scope> scopes = tokens.get().scopesOf(token);
        if (scopes.isEmpty()) {
            return new AccessDecision(AccessDecision.Outcome.UNKNOWN_TOKEN, "Authentication failed: the bearer token "
                    + "is not valid", operation.requiredScope());
        }
        Optional<Scope> needed = operation.requiredScope();
        if (needed.isPresent() && !grants(scopes, needed.get())) {
            return new AccessDecision(AccessDecision.Outcome.MISSING_SCOPE, "Permission denied: "
                    + operation.displayName() + " needs a token with the '" + needed.get().fileName() + "' scope",
                    needed);
        }
        return AccessDecision.ALLOWED;
    }

    /** Whether one of a token's scopes allows what {@code needed} allows (checked directly first: the usual case). */
    private static boolean grants(Set<Scope> scopes, Scope needed) {
        if (scopes.contains(needed)) {
            return true;
        }
        for (Scope scope : scopes) {
            if (scope.grants(needed)) {
                return true;
            }
        }
        return false;
    }

    /** The token of a {@code Bearer} credential; null when there is none or the scheme is another. */
    static String bearerToken(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return null;
        }
        String token = authorization.substring(BEARER.length()).strip();
        return token.isEmpty() ? null : token;
    }

    /** Stops watching the token file. */
    @Override
    public void close() {
        watcher.ifPresent(TokenFileWatcher::close);
    }
}
