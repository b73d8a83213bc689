package dev.servedeck.core.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servedeck.core.security.AccessDecision.Outcome;
import dev.servedeck.core.status.Code;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** The one table of who may do what, decided without a front end. */
class AuthorizerTest {

    private static final String PREDICTOR = "predict-token-0123456789";
    private static final String ADMIN = "admin-token-0123456789";
    private static final String SCRAPER = "metrics-token-0123456789";
    private static final String WATCHER = "monitor-token-0123456789";

    private final Authorizer authorizer = Authorizer.of(TokenTable.builder()
            .add(PREDICTOR, Set.of(Scope.PREDICT))
            .add(ADMIN, Set.of(Scope.ADMIN))
            .add(SCRAPER, Set.of(Scope.METRICS))
            .add(WATCHER, Set.of(Scope.MONITOR))
            .build());

    @ParameterizedTest
    @CsvSource({
            // operation,         token,     outcome
            "PREDICT,              PREDICTOR, ALLOWED",
            "CLASSIFY,             PREDICTOR, ALLOWED",
            "REGRESS,              PREDICTOR, ALLOWED",
            "MULTI_INFERENCE,      PREDICTOR, ALLOWED",
            "GET_MODEL_METADATA,   PREDICTOR, ALLOWED",
            "GET_MODEL_STATUS,     PREDICTOR, ALLOWED",
            "HANDLE_RELOAD_CONFIG, PREDICTOR, MISSING_SCOPE",
            "METRICS,              PREDICTOR, MISSING_SCOPE",
            "PREDICT,              ADMIN,     MISSING_SCOPE",
            "HANDLE_RELOAD_CONFIG, ADMIN,     ALLOWED",
            "METRICS,              ADMIN,     MISSING_SCOPE",
            "PREDICT,              SCRAPER,   MISSING_SCOPE",
            "METRICS,              SCRAPER,   ALLOWED",
            "UNKNOWN,              SCRAPER,   ALLOWED",
            "UNKNOWN,              ,          NO_TOKEN",
            "PREDICT,              ,          NO_TOKEN",
            "HANDLE_RELOAD_CONFIG, OTHER,     UNKNOWN_TOKEN",
            "METRICS,              OTHER,     UNKNOWN_TOKEN",
            "HEALTH,               ,          ALLOWED",
            "HEALTH,               OTHER,     ALLOWED",
            "REFLECTION,           ,          ALLOWED",
            "CORS_PREFLIGHT,       ,          ALLOWED",
            // The admin API: reads need 'monitor', which 'admin' includes; changes need 'admin'.
            "ADMIN_LIST_MODELS,         WATCHER,   ALLOWED",
            "ADMIN_STREAM_STATISTICS,   WATCHER,   ALLOWED",
            "ADMIN_LIST_MODELS,         ADMIN,     ALLOWED",
            "ADMIN_LIST_MODELS,         PREDICTOR, MISSING_SCOPE",
            "ADMIN_LIST_MODELS,         SCRAPER,   MISSING_SCOPE",
            "ADMIN_ADD_MODEL,           WATCHER,   MISSING_SCOPE",
            "ADMIN_ADD_MODEL,           ADMIN,     ALLOWED",
            "HANDLE_RELOAD_CONFIG,      WATCHER,   MISSING_SCOPE",
            "PREDICT,                   WATCHER,   MISSING_SCOPE",
            "ADMIN_STREAM_EVENTS,       ,          NO_TOKEN",
            // The Open Inference Protocol's model repository extension: 'admin' only, its index too.
            "REPOSITORY_INDEX,          ADMIN,     ALLOWED",
            "REPOSITORY_INDEX,          WATCHER,   MISSING_SCOPE",
            "REPOSITORY_INDEX,          PREDICTOR, MISSING_SCOPE",
            "REPOSITORY_MODEL_LOAD,     ADMIN,     ALLOWED",
            "REPOSITORY_MODEL_LOAD,     PREDICTOR, MISSING_SCOPE",
            "REPOSITORY_MODEL_UNLOAD,   ADMIN,     ALLOWED",
            "REPOSITORY_MODEL_UNLOAD,   WATCHER,   MISSING_SCOPE",
    })
    void decides(ApiOperation operation, String who, Outcome outcome) {
        String header = who == null ? null : "Bearer " + switch (who) {
            case "PREDICTOR" -> PREDICTOR;
            case "ADMIN" -> ADMIN;
            case "SCRAPER" -> SCRAPER;
            case "WATCHER" -> WATCHER;
            default -> "not-a-token-of-this-server";
        };

        assertThat(authorizer.authorize(operation, header).outcome()).isEqualTo(outcome);
    }

    @Test
    void refusalsSayWhatIsMissingAndMapToTheirCodes() {
        AccessDecision none = authorizer.authorize(ApiOperation.PREDICT, null);
        AccessDecision unknown = authorizer.authorize(ApiOperation.PREDICT, "Bearer not-a-token-of-this-server");
        AccessDecision scope = authorizer.authorize(ApiOperation.HANDLE_RELOAD_CONFIG, "Bearer " + PREDICTOR);

        assertThat(none.code()).isEqualTo(Code.UNAUTHENTICATED);
        assertThat(none.message()).contains("Bearer");
        assertThat(unknown.code()).isEqualTo(Code.UNAUTHENTICATED);
        assertThat(unknown.message()).isEqualTo("Authentication failed: the bearer token is not valid");
        assertThat(scope.code()).isEqualTo(Code.PERMISSION_DENIED);
        assertThat(scope.message()).isEqualTo(
                "Permission denied: HandleReloadConfigRequest needs a token with the 'admin' scope");
        assertThat(scope.requiredScope()).contains(Scope.ADMIN);
        assertThat(authorizer.authorize(ApiOperation.PREDICT, "Bearer " + PREDICTOR).code()).isEqualTo(Code.OK);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "Bearer predict-token-0123456789     | true",
            "bearer predict-token-0123456789     | true",
            "BEARER   predict-token-0123456789   | true",
            "Basic cHJlZGljdC10b2tlbg==          | false",
            "Bearer                              | false",
            "predict-token-0123456789            | false",
            "Bearerpredict-token-0123456789      | false",
    })
    void readsTheBearerSchemeCaseInsensitively(String header, boolean allowed) {
        AccessDecision decision = authorizer.authorize(ApiOperation.PREDICT, header.strip());

        assertThat(decision.allowed()).isEqualTo(allowed);
        if (!allowed) {
            assertThat(decision.outcome()).isIn(Outcome.NO_TOKEN, Outcome.UNKNOWN_TOKEN);
        }
    }

    @ParameterizedTest
    @EnumSource(ApiOperation.class)
    void withoutATokenFileEverythingIsAllowed(ApiOperation operation) {
        assertThat(Authorizer.disabled().enabled()).isFalse();
        assertThat(Authorizer.disabled().authorize(operation, null).allowed()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(ApiOperation.class)
    void everyOperationIsOpenOrNeedsAToken(ApiOperation operation) {
        boolean open = operation.open();
        Optional<Scope> scope = operation.requiredScope();

        assertThat(open && scope.isPresent()).as("open operations need no scope").isFalse();
        assertThat(open || scope.isPresent() || operation == ApiOperation.UNKNOWN)
                .as("only UNKNOWN takes any token").isTrue();
    }
}
