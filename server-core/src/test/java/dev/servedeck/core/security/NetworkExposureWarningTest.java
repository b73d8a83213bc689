package dev.servedeck.core.security;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import dev.servedeck.core.testing.Await;
import dev.servedeck.core.testing.LogCapture;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The warning about an API reachable from the network without tokens, caught by a log appender. */
class NetworkExposureWarningTest {

    private static final Authorizer WITH_TOKENS = Authorizer.of(TokenTable.builder()
            .add("some-token-0123456789", Set.of(Scope.PREDICT)).build());

    @Test
    void anyInterfaceWithoutTokensWarnsAtOnceAndAgainEachInterval() throws Exception {
        Map<String, InetSocketAddress> bound = new LinkedHashMap<>();
        bound.put("the REST API", new InetSocketAddress("0.0.0.0", 8501));
        bound.put("the gRPC API", new InetSocketAddress("127.0.0.1", 8500));
        try (LogCapture log = LogCapture.of(NetworkExposureWarning.class)) {
            Optional<NetworkExposureWarning> warning = NetworkExposureWarning.startIfExposed(bound,
                    Authorizer.disabled(), Duration.ofMillis(50));
            try {
                assertThat(warning).isPresent();
                assertThat(log.events()).isNotEmpty().first().satisfies(event -> {
                    assertThat(event.getLevel()).isEqualTo(Level.WARN);
                    assertThat(event.getFormattedMessage()).startsWith("SECURITY WARNING: the REST API on all interfaces "
                            + "(port 8501) is reachable from the network without authentication (no --auth_tokens_file)")
                            .contains("--auth_tokens_file").doesNotContain("gRPC API on");
                });
                Await.until(() -> log.events().size() >= 3, Duration.ofSeconds(10));
                assertThat(log.messages()).allMatch(message -> message.equals(log.messages().get(0)));
            } finally {
                warning.ifPresent(NetworkExposureWarning::close);
            }
        }
    }

    @Test
    void namesEveryExposedApi() {
        Map<String, InetSocketAddress> bound = Map.of(
                "the REST API", new InetSocketAddress("0.0.0.0", 8501),
                "the gRPC API", new InetSocketAddress("10.1.2.3", 8500));
        try (LogCapture log = LogCapture.of(NetworkExposureWarning.class)) {
            NetworkExposureWarning.startIfExposed(bound, Authorizer.disabled(), Duration.ofHours(1))
                    .orElseThrow().close();

            assertThat(log.messages()).singleElement().asString()
                    .contains("the REST API on all interfaces (port 8501) and the gRPC API on 10.1.2.3:8500 are reachable")
                    .endsWith("Repeated every 1 h.");
        }
    }

    @Test
    void loopbackOrTokensAreQuiet() {
        try (LogCapture log = LogCapture.of(NetworkExposureWarning.class)) {
            assertThat(NetworkExposureWarning.startIfExposed(Map.of("the REST API",
                    new InetSocketAddress("127.0.0.1", 8501), "the gRPC API", new InetSocketAddress("::1", 8500)),
                    Authorizer.disabled(), Duration.ofMillis(10))).isEmpty();
            assertThat(NetworkExposureWarning.startIfExposed(Map.of("the REST API",
                    new InetSocketAddress("0.0.0.0", 8501)), WITH_TOKENS, Duration.ofMillis(10))).isEmpty();
            assertThat(log.events()).isEmpty();
        }
    }
}
