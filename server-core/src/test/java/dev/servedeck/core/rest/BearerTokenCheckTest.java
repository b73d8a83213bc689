package dev.servedeck.core.rest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servedeck.core.MetricsExposition;
import dev.servedeck.core.ServerHealth;
import dev.servedeck.core.security.AccessDecision;
import dev.servedeck.core.security.Authorizer;
import dev.servedeck.core.security.Scope;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The REST token check routes a request line only when it must (a token without 'predict'); this holds it to
 * the answer full routing gives, for every request line, method and kind of token.
 */
class BearerTokenCheckTest {

    private static final String PREDICTOR = "predict-token-0123456789";
    private static final String ADMIN = "admin-token-0123456789";
    private static final String SCRAPER = "metrics-token-0123456789";
    private static final String BOTH = "predict-metrics-token-0123456789";
    private static final List<String> URIS = List.of("/v1/models/m:predict", "/v1/models/m/versions/1:classify",
            "/v1/models/m/labels/stable:regress", "/v1/models/m", "/v1/models/m/metadata", "/V1/MODELS/M",
            "/v1/models", "/v1/models/%zz:predict", "/v1/health", "/V1/Health", "/metrics", "/metrics?x=1",
            "/METRICS", "/nowhere", "/", "http://evil.example/v1/models/m:predict");
    private static final List<HttpMethod> METHODS = List.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.PUT,
            HttpMethod.OPTIONS);

    @TempDir
    Path dir;

    @Test
    void decidesAsFullRoutingDoes() throws Exception {
        Path file = Files.writeString(dir.resolve("tokens"), PREDICTOR + " predict\n" + ADMIN + " admin\n"
                + SCRAPER + " metrics\n" + BOTH + " predict,metrics\n");
        MonitoringRoutes routes = new MonitoringRoutes(Optional.of("/metrics"), Optional.of(new NoMetrics()),
                Optional.of(() -> ServerHealth.READY));
        List<String> headers = new ArrayList<>(Arrays.asList(null, "Bearer guessed-token-0123456789",
                "Basic abc", "Bearer " + PREDICTOR, "Bearer " + ADMIN, "Bearer " + SCRAPER, "Bearer " + BOTH));
        int compared = 0;
        try (Authorizer authorizer = Authorizer.fromTokenFile(file, Duration.ofHours(1))) {
            for (boolean cors : List.of(false, true)) {
                BearerTokenCheck check = new BearerTokenCheck(authorizer, new RestRouter(routes), cors);
                for (HttpMethod method : METHODS) {
                    for (String uri : URIS) {
                        for (String header : headers) {
                            HttpRequest head = new DefaultHttpRequest(HttpVersion.HTTP_1_1, method, uri);
                            if (header != null) {
                                head.headers().set("Authorization", header);
                            }
                            AccessDecision expected = authorizer.authorize(check.routedOperationOf(head), header);
                            RefusedRequest.Refusal actual = check.check(head);
                            String what = method + " " + uri + " " + header + " cors " + cors;
                            assertThat(actual == null).as(what).isEqualTo(expected.allowed());
                            if (actual != null) {
                                assertThat(actual.status()).as(what).isEqualTo(HttpStatusMapping.of(expected.code()));
                                assertThat(actual.message()).as(what).isEqualTo(expected.message());
                            }
                            compared++;
                        }
                    }
                }
            }
        }
        assertThat(compared).isEqualTo(2 * METHODS.size() * URIS.size() * headers.size());
    }

    /** What the shortcut rests on: no REST model route needs more than 'predict'. */
    @ParameterizedTest
    @EnumSource(RestMethod.class)
    void everyModelRouteNeedsThePredictScope(RestMethod method) {
        assertThat(method.operation().requiredScope()).contains(Scope.PREDICT);
    }

    private static final class NoMetrics implements MetricsExposition {
        @Override
        public String contentType(String acceptHeader) {
            return "text/plain";
        }

        @Override
        public void write(java.io.OutputStream out, String acceptHeader) {
        }
    }
}
