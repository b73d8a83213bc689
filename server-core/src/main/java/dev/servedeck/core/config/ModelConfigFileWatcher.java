package dev.servedeck.core.config;

import dev.servedeck.core.status.ServingException;
import dev.servedeck.proto.config.ModelServerConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-reads {@code --model_config_file} every {@code --model_config_file_poll_wait_seconds} and applies it
 * when its text changed. A file that does not parse, or a config the core refuses, is logged and the
 * running config stays in force; the same broken text is not reported again until it changes.
 */
public final class ModelConfigFileWatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ModelConfigFileWatcher.class);

    private final Path file;
    private final Consumer<ModelServerConfig> apply;
    private final ScheduledExecutorService poller;
    private String lastText;

    /**
     * Starts watching. The file's current text counts as already applied (the server started from it).
     *
     * @param apply applies a parsed config; may throw {@link ServingException} to refuse it
     */
    public ModelConfigFileWatcher(Path file, Duration interval, Consumer<ModelServerConfig> apply) {
        this.file = file;
        this.lastText = readOrNull(file);
        this.apply = apply;
        this.poller = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "model-config-file-poller");
            thread.setDaemon(true); // never keeps the JVM alive on its own
            return thread;
        });
        long millis = Math.max(1, interval.toMillis());
        poller.scheduleWithFixedDelay(this::checkOnce, millis, millis, TimeUnit.MILLISECONDS);
    }

    /** Reads the file once and applies it if its text changed. Runs on the poller thread (or a test's). */
    synchronized void checkOnce() {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            LOG.warn("Cannot read model config file {}; keeping the current config: {}", file, e.getMessage());
            return;
        }
        if (text.equals(lastText)) {
            return;
        }
        lastText = text;
        try {
            ModelServerConfig config = ModelServerConfigFile.parse(text, file.toString());
            LOG.info("Model config file {} changed; applying it", file);
            apply.accept(config);
        } catch (ServingException e) {
            LOG.error("Model config file {} not applied; keeping the current config: {}", file, e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("Model config file {} not applied; keeping the current config", file, e);
        }
    }

    private static String readOrNull(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public void close() {
        poller.shutdownNow();
    }
}
