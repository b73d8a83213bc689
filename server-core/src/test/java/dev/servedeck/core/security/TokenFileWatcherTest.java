package dev.servedeck.core.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import dev.servedeck.core.status.ServingException;
import dev.servedeck.core.testing.LogCapture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reloads driven by hand ({@link TokenFileWatcher#checkOnce()}): the poller itself runs once an hour here. */
class TokenFileWatcherTest {

    private static final String FIRST = "first-token-0123456789";
    private static final String SECOND = "second-token-0123456789";
    private static final Duration NEVER_BY_ITSELF = Duration.ofHours(1);

    @TempDir
    Path dir;

    @Test
    void aChangedFileReplacesTheTokens() throws Exception {
        Path file = Files.writeString(dir.resolve("tokens"), FIRST + " predict\n");
        try (TokenFileWatcher watcher = new TokenFileWatcher(file, NEVER_BY_ITSELF)) {
            assertThat(watcher.tokens().scopesOf(FIRST)).containsExactly(Scope.PREDICT);

            Files.writeString(file, FIRST + " predict,admin\n" + SECOND + " metrics\n");
            watcher.checkOnce();
            assertThat(watcher.tokens().scopesOf(FIRST)).containsExactlyInAnyOrder(Scope.PREDICT, Scope.ADMIN);
            assertThat(watcher.tokens().scopesOf(SECOND)).containsExactly(Scope.METRICS);

            Files.writeString(file, SECOND + " metrics\n");
            watcher.checkOnce();
            assertThat(watcher.tokens().scopesOf(FIRST)).isEmpty();
            assertThat(watcher.tokens().size()).isEqualTo(1);
        }
    }

    @Test
    void aBrokenFileAtReloadIsLoggedOnceAndTheTokensInForceStay() throws Exception {
        Path file = Files.writeString(dir.resolve("tokens"), FIRST + " predict\n");
        try (TokenFileWatcher watcher = new TokenFileWatcher(file, NEVER_BY_ITSELF);
                LogCapture log = LogCapture.of(TokenFileWatcher.class)) {
            Files.writeString(file, SECOND + " predict,superuser\n");
            watcher.checkOnce();
            watcher.checkOnce();
            Files.delete(file);
            watcher.checkOnce();
            watcher.checkOnce();

            assertThat(watcher.tokens().scopesOf(FIRST)).containsExactly(Scope.PREDICT);
            assertThat(watcher.tokens().scopesOf(SECOND)).isEmpty();
            assertThat(log.events()).hasSize(2).allSatisfy(event -> {
                assertThat(event.getLevel()).isEqualTo(Level.ERROR);
                assertThat(event.getFormattedMessage()).contains(file.toString())
                        .endsWith("keeping the 1 token(s) in force")
                        .doesNotContain(FIRST).doesNotContain(SECOND);
            });
            assertThat(log.messages().get(0)).contains("line 1: unknown scope 'superuser'");

            Files.writeString(file, SECOND + " predict\n");
            watcher.checkOnce();
            assertThat(watcher.tokens().scopesOf(SECOND)).containsExactly(Scope.PREDICT);
            assertThat(log.messages().get(2)).isEqualTo("Token file " + file + " changed: 1 token(s) now in force "
                    + "(were 1)");
        }
    }

    @Test
    void aBrokenFileAtStartIsAnError() throws Exception {
        Path file = Files.writeString(dir.resolve("tokens"), "short predict\n");

        assertThatThrownBy(() -> new TokenFileWatcher(file, NEVER_BY_ITSELF))
                .isInstanceOf(ServingException.class)
                .hasMessageStartingWith("Invalid token file " + file + ": line 1: the token has 5 characters");
        assertThatThrownBy(() -> new TokenFileWatcher(dir.resolve("missing"), NEVER_BY_ITSELF))
                .isInstanceOf(ServingException.class)
                .hasMessageStartingWith("Cannot read the token file " + dir.resolve("missing"));
    }

    @Test
    void thePollerPicksUpAChangeByItself() throws Exception {
        Path file = Files.writeString(dir.resolve("tokens"), FIRST + " predict\n");
        try (Authorizer authorizer = Authorizer.fromTokenFile(file, Duration.ofMillis(20))) {
            Files.writeString(file, SECOND + " predict\n");
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!authorizer.authorize(ApiOperation.PREDICT, "Bearer " + SECOND).allowed()) {
                assertThat(System.nanoTime()).as("the new token is in force within 10 s").isLessThan(deadline);
                Thread.sleep(10);
            }
            assertThat(authorizer.authorize(ApiOperation.PREDICT, "Bearer " + FIRST).allowed()).isFalse();
        }
    }
}
