package dev.servedeck.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A server under test running in its own JVM, its output in a log file. Closing it stops it (SIGTERM, then
 * SIGKILL); a shutdown hook does the same if the benchmark itself is interrupted, so no server outlives it.
 */
final class ChildProcess implements AutoCloseable {

    private static final Duration GRACE = Duration.ofSeconds(20);
    private static final Duration READY_POLL = Duration.ofMillis(250);

    private final String name;
    private final Process process;
    private final Path log;
    private final Thread killOnExit;

    private ChildProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.killOnExit = new Thread(process::destroyForcibly, "stop-" + name);
        Runtime.getRuntime().addShutdownHook(killOnExit);
    }

    static ChildProcess start(String name, List<String> command, Map<String, String> environment, Path log)
            throws IOException {
        Files.createDirectories(log.getParent());
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        builder.environment().putAll(environment);
        System.out.println("Starting " + name + " (log: " + log + ")");
        return new ChildProcess(name, builder.start(), log);
    }

    long pid() {
        return process.pid();
    }

    /** A check the server passes once it serves; polled until it does, the process dies, or time runs out. */
    interface ReadinessCheck {
        boolean ready() throws InterruptedException;
    }

    void awaitReady(ReadinessCheck check, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with code " + process.exitValue() + ":\n" + logTail());
            }
            boolean ready;
            try {
                ready = check.ready();
            } catch (RuntimeException brokenServer) {
                throw new IllegalStateException(brokenServer.getMessage() + "\n" + name + " log:\n" + logTail(),
                        brokenServer);
            }
            if (ready) {
                return;
            }
            Thread.sleep(READY_POLL.toMillis());
        }
        throw new IllegalStateException(name + " not ready after " + timeout + ":\n" + logTail());
    }

    /** The last lines of the log, for error messages. */
    String logTail() throws IOException {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    /** Never throws: a benchmark that failed half-way must still stop its servers. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                System.out.println(name + " ignored SIGTERM for " + GRACE.toSeconds() + " s: killing it");
                process.destroyForcibly().waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(killOnExit);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook is running or ran; the process is gone either way
        }
    }
}
