package dev.servedeck.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a short external command and collects what it printed (stdout and stderr merged). */
final class CommandOutput {

    /** Generous for apt-get on a slow mirror; anything longer is stuck, not slow. */
    private static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);

    private CommandOutput() {
    }

    /** The command's output, whatever its exit code (see {@link #succeeds}). */
    static String run(List<String> command) throws IOException, InterruptedException {
        return execute(command, DEFAULT_TIMEOUT).output();
    }

    /** The command's output; fails unless it exits 0 within {@code timeout}. */
    static String runChecked(List<String> command, Duration timeout) throws IOException, InterruptedException {
        Outcome outcome = execute(command, timeout);
        if (outcome.exitCode() != 0) {
            throw new IOException("Exit code " + outcome.exitCode() + " from " + String.join(" ", command) + ":\n"
                    + outcome.output());
        }
        return outcome.output();
    }

    static boolean succeeds(List<String> command) throws IOException, InterruptedException {
        return execute(command, DEFAULT_TIMEOUT).exitCode() == 0;
    }

    private record Outcome(int exitCode, String output) {
    }

    private static Outcome execute(List<String> command, Duration timeout) throws IOException, InterruptedException {
        // Output goes to a file, not a pipe: a pipe nobody drains can block the child, and a file lets
        // waitFor's timeout hold even when the child never closes its output.
        Path log = Files.createTempFile("servedeck-bench-command-", ".log");
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .start();
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IOException("Timed out after " + timeout + ": " + String.join(" ", command));
            }
            return new Outcome(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } finally {
            process.destroyForcibly();
            Files.deleteIfExists(log);
        }
    }
}
