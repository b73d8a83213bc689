package dev.servedeck.bench;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.servedeck.core.grpc.GrpcLoadClient;
import dev.servedeck.proto.apis.PredictRequest;
import dev.servedeck.proto.apis.PredictionServiceGrpc;
import dev.servedeck.proto.inference.GRPCInferenceServiceGrpc;
import dev.servedeck.proto.inference.ModelInferRequest;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The Open Inference Protocol against TF Serving's API on one ServeDeck process (issue 20): the same model and the
 * same row at c64, over REST (wrk: v1 {@code :predict} JSON against v2 {@code /infer} JSON, and v2 with binary
 * tensors both ways) and gRPC (h2load:
 * {@code Predict} with {@code tensor_content} against {@code ModelInfer} with {@code raw_input_contents}), for
 * half_plus_two (where the protocol's own cost weighs most) and the MLP. The four kinds are measured in turns,
 * {@value #ROUNDS} rounds with the order alternated (v1 first, then v2 first), so that the shared machine's drift
 * falls on both alike; the table gives the median of the rounds.
 */
final class V2ProtocolSuite {

    static final int ROUNDS = 4;
    /** Unmeasured gRPC runs per kind before the rounds (REST warms up until steady, as the other suites do). */
    private static final int GRPC_WARM_UP_RUNS = 3;
    private static final String MODEL_INFER_PATH = "/" + GRPCInferenceServiceGrpc.SERVICE_NAME + "/ModelInfer";
    private static final String PREDICT_PATH = "/tensorflow.serving.PredictionService/Predict";

    /** One measured run. */
    record Run(double perSecond, double p50Micros, double p99Micros, long failures) {
    }

    /** One model and API: TF Serving's dialect against the protocol's, every round of each. */
    record Row(String model, String api, List<Run> tfServing, List<Run> v2) {

        double tfServingRate() {
            return median(tfServing);
        }

        double v2Rate() {
            return median(v2);
        }

        private static double median(List<Run> runs) {
            double[] rates = runs.stream().mapToDouble(Run::perSecond).sorted().toArray();
            int middle = rates.length / 2;
            return rates.length % 2 == 1 ? rates[middle] : (rates[middle - 1] + rates[middle]) / 2;
        }
    }

    private final WrkRunner wrk;
    private final H2loadRunner h2load;
    private final BenchmarkSettings settings;
    private final Warnings warnings;
    private final RestWarmUp restWarmUp;

    V2ProtocolSuite(WrkRunner wrk, BenchmarkSettings settings, SteadyWarmUp steady, Warnings warnings)
            throws IOException {
        this.wrk = wrk;
        this.restWarmUp = new RestWarmUp(wrk, steady, warnings);
        this.h2load = new H2loadRunner(settings.outputDir().resolve("h2load-v2"));
        this.settings = settings;
        this.warnings = warnings;
    }

    List<Row> run(Path serverConfig) throws IOException, InterruptedException {
        List<Row> rows = new ArrayList<>();
        try (RunningServer server = RunningServer.startServeDeck(settings, serverConfig, "servedeck-v2")) {
            rows.addAll(measure(server, Workload.halfPlusTwo(), "x", new float[] {1.0f},
                    GrpcPredictRequests.halfPlusTwo()));
            rows.addAll(measure(server, Workload.mlp(), "images", Workload.mlpInstance(), GrpcPredictRequests.mlp()));
        }
        return rows;
    }

    /** One model: {@code v1Rest} and {@code predict} carry the same row as the v2 requests made here. */
    private List<Row> measure(RunningServer server, Workload v1Rest, String input, float[] row, PredictRequest predict)
            throws IOException, InterruptedException {
        String model = v1Rest.model();
        Workload v2Rest = Workload.openInference(model, input, row);
        Workload v2Binary = Workload.openInferenceBinary(model, input, row);
        requireOk(server, v2Rest);
        requireOk(server, v2Binary);
        ModelInferRequest infer = modelInfer(model, input, row);
        int predictBytes;
        int inferBytes;
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.grpcPort()).usePlaintext().build();
        try {
            predictBytes = PredictionServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
                    .predict(predict).getSerializedSize();
            inferBytes = GRPCInferenceServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
                    .modelInfer(infer).getSerializedSize();
        } finally {
            channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
        List<Run> restV1 = new ArrayList<>();
        List<Run> restV2 = new ArrayList<>();
        List<Run> restBinary = new ArrayList<>();
        List<Run> grpcV1 = new ArrayList<>();
        List<Run> grpcV2 = new ArrayList<>();
        // Unmeasured: the JIT and TensorFlow's first runs fall here.
        restWarmUp.run(server, "ServeDeck " + model + " v1 and v2 REST", List.of(v1Rest, v2Rest, v2Binary));
        for (int run = 1; run <= GRPC_WARM_UP_RUNS; run++) {
            grpc(server, PREDICT_PATH, model + "-predict", predict.toByteArray(), predictBytes,
                    model + " Predict warm-up " + run, false);
            grpc(server, MODEL_INFER_PATH, model + "-infer", infer.toByteArray(), inferBytes,
                    model + " ModelInfer warm-up " + run, false);
        }
        for (int round = 1; round <= ROUNDS; round++) {
            boolean v1First = round % 2 == 1;
            for (int turn = 0; turn < 2; turn++) {
                boolean v1 = (turn == 0) == v1First;
                if (v1) {
                    restV1.add(rest(server, v1Rest, model + " v1 REST round " + round, true));
                    grpcV1.add(grpc(server, PREDICT_PATH, model + "-predict", predict.toByteArray(), predictBytes,
                            model + " Predict round " + round, true));
                } else {
                    restV2.add(rest(server, v2Rest, model + " v2 REST round " + round, true));
                    restBinary.add(rest(server, v2Binary, model + " v2 REST binary round " + round, true));
                    grpcV2.add(grpc(server, MODEL_INFER_PATH, model + "-infer", infer.toByteArray(), inferBytes,
                            model + " ModelInfer round " + round, true));
                }
            }
        }
        return List.of(new Row(model, "REST JSON", restV1, restV2),
                new Row(model, "REST: v1 JSON, v2 binary tensors", restV1, restBinary),
                new Row(model, "gRPC", grpcV1, grpcV2));
    }

    private Run rest(RunningServer server, Workload workload, String label, boolean measured)
            throws IOException, InterruptedException {
        WrkResult result = wrk.run(server.restUrl(), Map.of(), workload, LoadLevel.C64,
                measured ? settings.measurement() : settings.warmUp());
        long failures = result.non2xx() + result.socketErrors();
        if (failures > 0) {
            warnings.warn(label + ": " + failures + " failed requests of " + result.requests());
        }
        System.out.printf("%-36s c64 %8s req/s    p50 %10s  p99 %10s%n", label, Format.rate(result.requestsPerSecond()),
                Format.micros(result.p50Micros()), Format.micros(result.p99Micros()));
        return new Run(result.requestsPerSecond(), result.p50Micros(), result.p99Micros(), failures);
    }

    private Run grpc(RunningServer server, String method, String name, byte[] message, int answerBytes, String label,
            boolean measured) throws IOException, InterruptedException {
        GrpcLoadClient.Result result = h2load.call(server.grpcUrl(), Map.of(), method, name, message, answerBytes,
                LoadLevel.C64, measured ? settings.measurement() : settings.warmUp());
        if (result.failures() > 0) {
            warnings.warn(label + ": " + result.failures() + " failed calls of " + result.calls());
        }
        double p50 = result.p50().toNanos() / 1_000.0;
        double p99 = result.p99().toNanos() / 1_000.0;
        System.out.printf("%-36s c64 %8s calls/s  p50 %10s  p99 %10s%n", label, Format.rate(result.callsPerSecond()),
                Format.micros(p50), Format.micros(p99));
        return new Run(result.callsPerSecond(), p50, p99, result.failures());
    }

    /** A v2 request that fails would measure error answers: it must answer 200 first. */
    private static void requireOk(RunningServer server, Workload workload) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.restUrl() + workload.path()))
                .POST(HttpRequest.BodyPublishers.ofByteArray(workload.body()));
        workload.headers().forEach(request::header);
        HttpResponse<String> answer = HttpClient.newHttpClient().send(request.build(),
                HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 200) {
            throw new IllegalStateException("v2 infer on " + workload.model() + " answered " + answer.statusCode()
                    + ": " + answer.body());
        }
    }

    /** What protocol clients (tritonclient, KServe's) send by default: the row as raw little-endian bytes. */
    private static ModelInferRequest modelInfer(String model, String input, float[] row) {
        ByteBuffer bytes = ByteBuffer.allocate(row.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (float value : row) {
            bytes.putFloat(value);
        }
        ByteString raw = UnsafeByteOperations.unsafeWrap(bytes.array());
        return ModelInferRequest.newBuilder()
                .setModelName(model)
                .addInputs(ModelInferRequest.InferInputTensor.newBuilder().setName(input).setDatatype("FP32")
                        .addShape(1).addShape(row.length))
                .addRawInputContents(raw)
                .build();
    }

    /** The rows as a Markdown table: median of the rounds, then each round. */
    static String markdown(List<Row> rows) {
        StringBuilder table = new StringBuilder("""
                | Model | API | TF Serving's (median; rounds) | Open Inference Protocol (median; rounds) | v2 / TF Serving |
                | --- | --- | --- | --- | --- |
                """);
        for (Row row : rows) {
            table.append("| ").append(row.model()).append(" | ").append(row.api()).append(" | ")
                    .append(rates(row.tfServing(), row.tfServingRate())).append(" | ")
                    .append(rates(row.v2(), row.v2Rate())).append(" | ")
                    .append(String.format("%+.1f%%", 100 * (row.v2Rate() / row.tfServingRate() - 1))).append(" |\n");
        }
        return table.toString();
    }

    private static String rates(List<Run> runs, double median) {
        StringBuilder text = new StringBuilder(Format.rate(median) + "/s;");
        for (Run run : runs) {
            text.append(' ').append(Format.rate(run.perSecond()));
        }
        return text.toString();
    }
}
