package dev.servedeck.core.testing;

import dev.servedeck.core.main.ServerMain;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The headless server in a JVM of its own, as an operator runs it (ServerMain with tensorflow_model_server flags,
 * the production logback configuration), on free REST and gRPC ports of 127.0.0.1. For tests that must see the
 * process itself: that it survives what a client sends, its resident memory.
 */
public final class ServerProcess implements AutoCloseable {

    private final Process process;
    private final Path log;
    private final int restPort;
    private final int grpcPort;

    private ServerProcess(Process process, Path log, int restPort, int grpcPort) {
        this.process = process;
        this.log = log;
        this.restPort = restPort;
        this.grpcPort = grpcPort;
    }

    /**
     * Starts the server and waits until {@code readyPath} answers 200 on its REST port.
     *
     * @param jvmOptions options for the server's JVM (heap size, out-of-memory behaviour)
     * @param flags server flags besides the ports
     */
    public static ServerProcess start(Path log, List<String> jvmOptions, List<String> flags, String readyPath)
            throws IOException, InterruptedException {
        return start(log, jvmOptions, flags, readyPath, Map.of());
    }

    /** As {@link #start(Path, List, List, String)}, with these environment variables set for the server. */
    public static ServerProcess start(Path log, List<String> jvmOptions, List<String> flags, String readyPath,
            Map<String, String> environment) throws IOException, InterruptedException {
        ServerProcess server = launch(log, jvmOptions, flags, environment);
        server.awaitReady(readyPath);
        return server;
    }

    /**
     * Starts the server and waits until its log holds {@code readyLine}: for a server whose REST port a plain-text
     * client without a token cannot ask (TLS, tokens).
     */
    public static ServerProcess startAwaitingLog(Path log, List<String> jvmOptions, List<String> flags,
            String readyLine) throws IOException, InterruptedException {
        ServerProcess server = launch(log, jvmOptions, flags, Map.of());
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (!server.log().contains(readyLine)) {
            if (!server.process.isAlive()) {
                throw new AssertionError("server exited with " + server.process.exitValue() + ": " + server.log());
            }
            if (System.nanoTime() > deadline) {
                server.close();
                throw new AssertionError("server not ready: " + server.log());
            }
            Thread.sleep(200);
        }
        return server;
    }

    private static ServerProcess launch(Path log, List<String> jvmOptions, List<String> flags,
            Map<String, String> environment) throws IOException {
        int restPort = freePort();
        int grpcPort = freePort();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"),
                "-Dlogback.configurationFile=servedeck-server-logback.xml", ServerMain.class.getName(),
                "--rest_api_port=" + restPort, "--port=" + grpcPort));
        command.addAll(flags);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().remove("MODEL_NAME");
        builder.environment().put("TF_CPP_MIN_LOG_LEVEL", "1");
        builder.environment().putAll(environment);
        return new ServerProcess(builder.start(), log, restPort, grpcPort);
    }

    private void awaitReady(String path) throws InterruptedException {
        HttpJsonClient client = new HttpJsonClient(restPort);
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("server exited with " + process.exitValue() + ": " + log());
            }
            try {
                if (client.get(path).status() == 200) {
                    return;
                }
            } catch (RuntimeException notYetListening) {
                // the server loads its models before it listens
            }
            Thread.sleep(200);
        }
        throw new AssertionError("server not ready: " + log());
    }

    public int restPort() {
        return restPort;
    }

    public int grpcPort() {
        return grpcPort;
    }

    /** The server process's id (for reading its CPU time). */
    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The process's resident memory now (VmRSS in /proc/PID/status), in bytes. */
    public long residentBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("no VmRSS for process " + process.pid());
    }

    /** Everything the server has logged so far. */
    public String log() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    /** SIGTERM, as an orchestrator stops it; the exit code, or -1 when it had to be killed. */
    public int stop() throws InterruptedException {
        process.destroy();
        if (process.waitFor(60, TimeUnit.SECONDS)) {
            return process.exitValue();
        }
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        return -1;
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            stop();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
