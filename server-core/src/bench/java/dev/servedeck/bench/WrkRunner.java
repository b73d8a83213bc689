package dev.servedeck.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Drives {@code wrk} against 127.0.0.1: a generated Lua script turns its GETs into JSON POSTs, and
 * {@code --latency} makes it print the percentiles that {@link WrkResult} reads.
 */
final class WrkRunner {

    /** Time for wrk to start its threads and print its summary beyond the run itself. */
    private static final Duration WRK_OVERHEAD = Duration.ofSeconds(30);

    private final Path scriptDir;

    WrkRunner(Path scriptDir) throws IOException {
        this.scriptDir = Files.createDirectories(scriptDir);
    }

    /** Runs for {@code duration}. */
    WrkResult run(int port, Workload workload, LoadLevel level, Duration duration)
            throws IOException, InterruptedException {
        return run("http://127.0.0.1:" + port, workload, level, duration);
    }

    /** Against {@code baseUrl}, e.g. {@code https://127.0.0.1:8501} (wrk speaks TLS, without verifying). */
    WrkResult run(String baseUrl, Workload workload, LoadLevel level, Duration duration)
            throws IOException, InterruptedException {
        return run(baseUrl, Map.of(), workload, level, duration);
    }

    /** Against {@code baseUrl}, every request carrying {@code headers} too (a bearer token). */
    WrkResult run(String baseUrl, Map<String, String> headers, Workload workload, LoadLevel level, Duration duration)
            throws IOException, InterruptedException {
        return execute(baseUrl, level, duration, postScript(workload, headers, ""));
    }

    /**
     * Sends about {@code requests} requests: each thread stops after its share of answers. wrk still waits
     * out the whole {@code cap}, so its requests/s for such a run mean nothing; the count is exact.
     */
    WrkResult runRequests(int port, Workload workload, LoadLevel level, long requests, Duration cap)
            throws IOException, InterruptedException {
        long perThread = Math.max(1, (requests + level.threads() - 1) / level.threads());
        // A response() hook costs wrk a little per answer; only the request-counted runs pay it.
        String stopAfter = """
                local answered = 0
                function response(status, headers, body)
                  answered = answered + 1
                  if answered >= %d then wrk.thread:stop() end
                end
                """.formatted(perThread);
        return execute("http://127.0.0.1:" + port, level, cap, postScript(workload, Map.of(), stopAfter));
    }

    private WrkResult execute(String baseUrl, LoadLevel level, Duration duration, Path script)
            throws IOException, InterruptedException {
        List<String> command = List.of("wrk",
                "-t" + level.threads(), "-c" + level.connections(),
                "-d" + Math.max(1, duration.toSeconds()) + "s",
                "--latency", "-s", script.toString(),
                baseUrl + "/");
        String output = CommandOutput.runChecked(command, duration.plus(WRK_OVERHEAD));
        return WrkResult.parse(output);
    }

    private Path postScript(Workload workload, Map<String, String> headers, String extraLua) throws IOException {
        Path body = scriptDir.resolve(workload.model() + "-body.json");
        Files.write(body, workload.body());
        // The body is read from a file so that no JSON has to be escaped into Lua source.
        String lua = """
                local file = assert(io.open("%s", "rb"))
                wrk.method = "POST"
                wrk.path = "%s"
                wrk.body = file:read("*a")
                file:close()
                wrk.headers["Content-Type"] = "application/json"
                %s%s""".formatted(luaString(body.toAbsolutePath().toString()), luaString(workload.path()),
                luaHeaders(withWorkloadHeaders(workload, headers)), extraLua);
        Path script = scriptDir.resolve(workload.model() + (headers.isEmpty() ? "" : "-headers")
                + (extraLua.isEmpty() ? "" : "-counted") + ".lua");
        Files.writeString(script, lua, StandardCharsets.UTF_8);
        return script;
    }

    private static Map<String, String> withWorkloadHeaders(Workload workload, Map<String, String> headers) {
        if (workload.headers().isEmpty()) {
            return headers;
        }
        Map<String, String> all = new java.util.LinkedHashMap<>(headers);
        all.putAll(workload.headers());
        return all;
    }

    /** wrk sends its headers table with every request: set once, no per-request Lua. */
    private static String luaHeaders(Map<String, String> headers) {
        StringBuilder lua = new StringBuilder();
        headers.forEach((name, value) -> lua.append("wrk.headers[\"").append(luaString(name)).append("\"] = \"")
                .append(luaString(value)).append("\"\n"));
        return lua.toString();
    }

    private static String luaString(String text) {
        return text.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
