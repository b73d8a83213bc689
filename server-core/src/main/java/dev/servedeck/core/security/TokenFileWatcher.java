package dev.servedeck.core.security;

import dev.servedeck.core.status.ServingException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tokens of {@code --auth_tokens_file}, re-read when the file changes, so tokens are added and revoked
 * without a restart. The file is read whole every interval and compared with the text in force: this also sees
 * a Kubernetes Secret's atomic symlink swap and an edit within the same second, which a modification time
 * would miss, and a token file is a few hundred bytes. A file that cannot be read or parsed at a reload is
 * logged (once per distinct text) and the tokens in force stay; at start it is an error.
 */
final class TokenFileWatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TokenFileWatcher.class);

    private final Path file;
    private final ScheduledExecutorService poller;
    private volatile TokenTable tokens;
    private String textInForce;
    private String lastRefusedText;

    /**
     * Reads the file and starts watching it.
     *
     * @throws ServingException INVALID_ARGUMENT when the file cannot be read or parsed
     */
    TokenFileWatcher(Path file, Duration interval) {
        this.file = file;
        this.textInForce = TokenFile.readText(file);
        this.tokens = TokenFile.parse(textInForce, file.toString());
        LOG.info("Bearer tokens required: {} token(s) from {}, re-read when it changes", tokens.size(), file);
        this.poller = DaemonTimer.named("auth-tokens-file-poller");
        long millis = Math.max(1, interval.toMillis());
        poller.scheduleWithFixedDelay(this::checkOnce, millis, millis, TimeUnit.MILLISECONDS);
    }

    /** The tokens in force. */
    TokenTable tokens() {
        return tokens;
    }

    /** Reads the file once and swaps its tokens in if its text changed and parses. */
    synchronized void checkOnce() {
        String text;
        try {
            text = TokenFile.readText(file);
        } catch (ServingException e) {
            refused(null, e);
            return;
        }
        if (text.equals(textInForce)) {
            return;
        }
        try {
            TokenTable next = TokenFile.parse(text, file.toString());
            int before = tokens.size();
            tokens = next;
            textInForce = text;
            lastRefusedText = null;
            LOG.info("Token file {} changed: {} token(s) now in force (were {})", file, next.size(), before);
        } catch (ServingException e) {
            refused(text, e);
        } catch (RuntimeException e) {
            LOG.error("Token file {} not applied; keeping the {} token(s) in force", file, tokens.size(), e);
        }
    }

    /** Logs a refused reload once per distinct text (null: the file could not be read). */
    private void refused(String text, ServingException e) {
        String key = text == null ? "\0unreadable\0" + e.getMessage() : text;
        if (key.equals(lastRefusedText)) {
            return;
        }
        lastRefusedText = key;
        LOG.error("{}; keeping the {} token(s) in force", e.getMessage(), tokens.size());
    }

    @Override
    public void close() {
        poller.shutdownNow();
    }
}
