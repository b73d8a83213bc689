package dev.servedeck.bench;

import dev.servedeck.core.grpc.GrpcLoadClient;
import dev.servedeck.proto.apis.PredictRequest;
import io.grpc.Status;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Drives nghttp2's {@code h2load} as a gRPC load generator: a C client like wrk, so that gRPC and REST are
 * measured with load generators of the same weight on the same two cores. It posts one serialized
 * PredictRequest, framed as gRPC frames it, on every stream; its per-request log gives the percentiles.
 *
 * <p>h2load knows HTTP/2, not gRPC: a call that fails with a gRPC status still ends in HTTP 200. Such an
 * answer carries no message, only trailers, so each run checks its DATA bytes against what the successful
 * answers carry ({@code responseMessageBytes} per call, measured with grpc-java before the run) and counts
 * the shortfall as failed calls.
 */
final class H2loadRunner {

    /** Time for h2load to connect and print its summary beyond the run itself. */
    private static final Duration OVERHEAD = Duration.ofSeconds(30);
    /** The gRPC message prefix: a compressed flag byte and a 4-byte big-endian length. */
    private static final int GRPC_FRAME_HEADER = 5;
    private static final String PREDICT_PATH = "/tensorflow.serving.PredictionService/Predict";

    private static final Pattern FINISHED = Pattern.compile("finished in ([\\d.]+)(us|ms|s), ([\\d.]+) req/s");
    private static final Pattern REQUESTS = Pattern.compile(
            "requests: (\\d+) total, \\d+ started, (\\d+) done, (\\d+) succeeded, (\\d+) failed, (\\d+) errored");
    private static final Pattern DATA = Pattern.compile("\\((\\d+)\\) data");

    private final Path dir;

    H2loadRunner(Path dir) throws IOException {
        this.dir = Files.createDirectories(dir);
    }

    /**
     * Sends {@code request} for {@code duration} with {@code level.connections()} streams in flight: one
     * connection up to 8 streams, two connections (one per server event loop, as wrk's spread) beyond.
     */
    GrpcLoadClient.Result predict(int port, PredictRequest request, int responseMessageBytes, LoadLevel level,
            Duration duration) throws IOException, InterruptedException {
        return predict("http://127.0.0.1:" + port, request, responseMessageBytes, level, duration);
    }

    /** Against {@code baseUrl}: {@code https://...} speaks TLS with ALPN h2 (h2load does not verify the certificate). */
    GrpcLoadClient.Result predict(String baseUrl, PredictRequest request, int responseMessageBytes, LoadLevel level,
            Duration duration) throws IOException, InterruptedException {
        return predict(baseUrl, Map.of(), request, responseMessageBytes, level, duration);
    }

    /** Against {@code baseUrl}, every call carrying {@code headers} too (a bearer token). */
    GrpcLoadClient.Result predict(String baseUrl, Map<String, String> headers, PredictRequest request,
            int responseMessageBytes, LoadLevel level, Duration duration) throws IOException, InterruptedException {
        return call(baseUrl, headers, PREDICT_PATH, request.getModelSpec().getName() + "-predict",
                request.toByteArray(), responseMessageBytes, level, duration);
    }

    /**
     * Any unary gRPC method: {@code message} (serialized) posted to {@code methodPath}
     * ({@code /package.Service/Method}) on every stream.
     *
     * @param name names the run's files
     */
    GrpcLoadClient.Result call(String baseUrl, Map<String, String> headers, String methodPath, String name,
            byte[] message, int responseMessageBytes, LoadLevel level, Duration duration)
            throws IOException, InterruptedException {
        Path body = dir.resolve(name + ".grpc");
        Files.write(body, framed(message));
        Path log = dir.resolve(name + "-" + level.label() + ".log");
        Files.deleteIfExists(log); // h2load appends
        int connections = level.connections() > 8 ? 2 : 1;
        List<String> command = new ArrayList<>(List.of("h2load",
                "-t", "1", "-c", Integer.toString(connections),
                "-m", Integer.toString(level.connections() / connections),
                "-D", Long.toString(Math.max(1, duration.toSeconds())),
                "--data=" + body,
                "-H", "content-type: application/grpc", "-H", "te: trailers",
                "--log-file=" + log));
        // HTTP/2 header names are lower case (gRPC metadata).
        headers.forEach((header, value) -> command.addAll(List.of("-H", header.toLowerCase(Locale.ROOT) + ": " + value)));
        command.add(baseUrl + methodPath);
        String output = CommandOutput.runChecked(command, duration.plus(OVERHEAD));
        return parse(output, readLatencies(log), GRPC_FRAME_HEADER + responseMessageBytes);
    }

    static byte[] framed(byte[] message) {
        return ByteBuffer.allocate(GRPC_FRAME_HEADER + message.length)
                .put((byte) 0).putInt(message.length).put(message).array();
    }

    static GrpcLoadClient.Result parse(String output, long[] latencyMicros, int bytesPerAnswer) {
        Matcher finished = find(FINISHED, output);
        Matcher requests = find(REQUESTS, output);
        Matcher data = find(DATA, output);
        double seconds = Double.parseDouble(finished.group(1)) * switch (finished.group(2)) {
            case "us" -> 1e-6;
            case "ms" -> 1e-3;
            default -> 1.0;
        };
        double rate = Double.parseDouble(finished.group(3));
        long done = Long.parseLong(requests.group(2));
        long succeeded = Long.parseLong(requests.group(3));
        long httpFailures = Long.parseLong(requests.group(4)) + Long.parseLong(requests.group(5));
        long answered = Long.parseLong(data.group(1)) / bytesPerAnswer;
        long grpcFailures = Math.max(0, succeeded - answered);
        long failures = httpFailures + grpcFailures;
        Map<Status.Code, Long> byCode = failures == 0 ? Map.of() : Map.of(Status.Code.UNKNOWN, failures);
        // h2load's rate counts every finished stream; only answered calls count here, as in grpc-java's client.
        double callsPerSecond = done == 0 ? 0 : rate * (done - failures) / done;
        Arrays.sort(latencyMicros);
        return new GrpcLoadClient.Result(done, failures, byCode, Duration.ofNanos((long) (seconds * 1e9)),
                callsPerSecond, percentile(latencyMicros, 0.50), percentile(latencyMicros, 0.99));
    }

    /** h2load's log: one line per request, start time (µs), HTTP status, duration (µs), tab-separated. */
    private static long[] readLatencies(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        List<Long> values = new ArrayList<>(lines.size());
        for (String line : lines) {
            String[] fields = line.split("\t");
            if (fields.length == 3) {
                values.add(Long.parseLong(fields[2].strip()));
            }
        }
        return values.stream().mapToLong(Long::longValue).toArray();
    }

    private static Duration percentile(long[] sortedMicros, double quantile) {
        if (sortedMicros.length == 0) {
            return Duration.ZERO;
        }
        int index = (int) Math.min(sortedMicros.length - 1, Math.ceil(quantile * sortedMicros.length) - 1);
        return Duration.ofNanos(sortedMicros[Math.max(0, index)] * 1_000);
    }

    private static Matcher find(Pattern pattern, String output) {
        Matcher matcher = pattern.matcher(output);
        if (!matcher.find()) {
            throw new IllegalStateException("h2load printed no line matching " + pattern + ":\n" + output);
        }
        return matcher;
    }
}
