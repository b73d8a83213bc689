package dev.servedeck.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.servedeck.core.tensorflow.demo.DemoModels;
import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The container image without a Docker engine: {@code assemble-layout.sh} (the script the Dockerfile runs)
 * builds the image's {@code /opt/servedeck} in a temporary folder, and the server starts from it through the
 * Dockerfile's ENTRYPOINT with the image's environment, TensorFlow Serving's {@code MODEL_NAME} /
 * {@code MODEL_BASE_PATH} pointing at a generated SavedModel, and the Kubernetes Deployment's flags and
 * ConfigMap files. Real process, real HTTP and gRPC, SIGTERM at the end.
 */
class ContainerLayoutTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MODEL = "half_plus_two";

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final KubernetesManifests manifests = KubernetesManifests.load(PackagingFiles.kubernetesDir());

    @TempDir
    Path temp;

    @Test
    void serverStartsFromTheImageLayoutServesAndDrainsOnSigterm() throws Exception {
        Path serverTarget = PackagingFiles.serverTarget();
        Assumptions.assumeTrue(Files.isRegularFile(serverTarget.resolve("servedeck-server.jar")),
                "no " + serverTarget.resolve("servedeck-server.jar") + ": server-core is packaged in the package "
                        + "phase; run ./mvnw verify (or package) rather than test");
        Path root = temp.resolve("image");
        Path app = assemble(root, serverTarget);
        Map<String, FileState> layoutBefore = snapshot(app);

        Path models = temp.resolve("models");
        DemoModels.writeHalfPlusTwo(models.resolve(MODEL), 1);
        List<String> args = deploymentArgs(temp.resolve("etc-servedeck"));

        DockerfileInstructions image = DockerfileInstructions.read(PackagingFiles.containerDir().resolve("Dockerfile"))
                .finalStage();
        String entrypoint = DockerfileInstructions.execForm(image.last("ENTRYPOINT")).get(0);
        List<String> command = new ArrayList<>(List.of(root.resolve(entrypoint.substring(1)).toString()));
        command.addAll(args);
        int restPort = freePort();
        int grpcPort = freePort();
        Path log = temp.resolve("server.log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(name -> name.startsWith("MODEL_") || name.startsWith("SERVEDECK_")
                || name.equals("JAVA_OPTS"));
        env.putAll(image.env()); // the image's ENV ...
        env.put("JAVA_HOME", System.getProperty("java.home")); // ... on this machine's JVM
        env.putAll(Map.of( // ... and what `docker run -e ...` and the Deployment set
                "MODEL_NAME", MODEL,
                "MODEL_BASE_PATH", models.toString(),
                "SERVEDECK_REST_API_PORT", String.valueOf(restPort),
                "SERVEDECK_GRPC_PORT", String.valueOf(grpcPort),
                "JAVA_OPTS", manifests.serverEnv("JAVA_OPTS").orElseThrow()));

        long started = System.nanoTime();
        Process server = builder.start();
        try {
            String readiness = probePath("readinessProbe");
            awaitOk(server, log, restPort, readiness);
            System.out.printf("Server from the image layout ready in %d ms%n",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));

            // The Deployment's other probes answer too.
            assertThat(get(restPort, probePath("livenessProbe")).statusCode()).isEqualTo(200);
            assertThat(get(restPort, probePath("startupProbe")).statusCode()).isEqualTo(200);
            JsonNode status = JSON.readTree(get(restPort, "/v1/models/" + MODEL).body());
            assertThat(status.path("model_version_status").get(0).path("state").asText()).isEqualTo("AVAILABLE");

            HttpResponse<String> predicted = post(restPort, "/v1/models/" + MODEL + ":predict",
                    "{\"instances\":[[1.0],[2.0],[5.0]]}");
            assertThat(predicted.statusCode()).as(predicted.body()).isEqualTo(200);
            assertThat(JSON.readTree(predicted.body())).isEqualTo(JSON.readTree("{\"predictions\":[[2.5],[3.0],[4.5]]}"));

            assertThat(grpcHealth(grpcPort, MODEL)).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
            assertMetricsScrapedWhereTheManifestsSay(restPort);

            // Bound to all interfaces, as a container must be; TensorFlow loaded from the layout's native/.
            String output = Files.readString(log, StandardCharsets.UTF_8);
            assertThat(output).contains("Exporting HTTP/REST API at 0.0.0.0:" + restPort)
                    .contains("Running gRPC ModelServer at 0.0.0.0:" + grpcPort);
            // Models only from under MODEL_BASE_PATH; and, with no token file, the warning that says so.
            assertThat(output).contains("Model base paths limited to " + models.toRealPath()
                    + " (--model_base_path_allowlist)").contains("SECURITY WARNING: ");
            assertThat(tensorflowLibrariesMappedBy(server.pid()))
                    .isNotEmpty()
                    .allSatisfy(library -> assertThat(library).startsWith(app.resolve("native").toRealPath()));
        } finally {
            server.destroy(); // SIGTERM, as `docker stop` and the kubelet send it
        }
        assertThat(server.waitFor(60, TimeUnit.SECONDS)).as("exited after SIGTERM").isTrue();
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(server.exitValue()).as(output).isZero();
        assertThat(output).contains("Received SIGTERM").contains("Server stopped");
        // The server wrote nothing into the image (which Kubernetes mounts read-only).
        assertThat(snapshot(app)).isEqualTo(layoutBefore);
    }

    /** Runs the layout script as the Dockerfile does and checks what it made. */
    private Path assemble(Path root, Path serverTarget) throws Exception {
        Path script = PackagingFiles.containerDir().resolve("assemble-layout.sh");
        long started = System.nanoTime();
        ExternalCommand.Result result = ExternalCommand.run(PackagingFiles.containerDir(),
                Map.of("JAVA_HOME", System.getProperty("java.home"), "TMPDIR", temp.toString()), Duration.ofMinutes(5),
                List.of("bash", script.toString(), root.toString(), serverTarget.toString()));
        assertThat(result.exitCode()).as(result.output()).isZero();
        Path app = root.resolve("opt/servedeck");
        long bytes = 0;
        for (FileState file : snapshot(app).values()) {
            bytes += file.size();
        }
        System.out.printf("assemble-layout.sh: %d ms, %d MB in %s%n",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), bytes >> 20, app);

        assertThat(result.stdout()).contains("native libraries from " + app.resolve("native").toRealPath());
        assertThat(app.resolve("servedeck-server.jar")).isRegularFile();
        // Every library, but the jar of TensorFlow's natives: they are in native/ (its licence too).
        Set<String> built = fileNames(serverTarget.resolve("lib"));
        Set<String> copied = fileNames(app.resolve("lib"));
        assertThat(built).containsAll(copied);
        Set<String> dropped = new TreeSet<>(built);
        dropped.removeAll(copied);
        assertThat(dropped).singleElement().asString().matches("tensorflow-core-native-[^-]+-.+\\.jar");
        assertThat(app.resolve("native/libtensorflow_cc.so.2")).isRegularFile();
        assertThat(app.resolve("native/libjnitensorflow.so")).isRegularFile();
        assertThat(app.resolve("native/LICENSE")).isRegularFile();
        for (String script2 : List.of("bin/servedeck-entrypoint", "bin/servedeck-check-natives")) {
            assertThat(Files.isExecutable(app.resolve(script2))).as(script2).isTrue();
        }
        // Readable by the image's non-root user, writable by no one but root.
        try (Stream<Path> files = Files.walk(app)) {
            for (Path file : files.filter(f -> !Files.isSymbolicLink(f)).toList()) {
                Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
                assertThat(permissions).as("%s", file).contains(PosixFilePermission.OTHERS_READ)
                        .doesNotContain(PosixFilePermission.OTHERS_WRITE, PosixFilePermission.GROUP_WRITE);
            }
        }
        // The scratch cache JavaCPP unpacked into is gone.
        try (Stream<Path> left = Files.list(temp)) {
            assertThat(left.map(p -> p.getFileName().toString())).noneMatch(name -> name.startsWith("servedeck-natives"));
        }
        return app;
    }

    /**
     * The Deployment's flags, with the ConfigMap's files written to {@code configDir} standing in for its mount
     * path. The model config flags are left out: this run serves MODEL_NAME / MODEL_BASE_PATH, as `docker run`.
     */
    private List<String> deploymentArgs(Path configDir) throws IOException {
        Files.createDirectories(configDir);
        manifests.configMap().path("data").fields().forEachRemaining(file -> {
            try {
                Files.writeString(configDir.resolve(file.getKey()), file.getValue().asText());
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });
        String mount = manifests.configMountPath() + "/";
        List<String> args = new ArrayList<>();
        for (String arg : manifests.serverArgs()) {
            if (!arg.startsWith("--model_config_file")) {
                args.add(arg.replace(mount, configDir + "/"));
            }
        }
        assertThat(args).anySatisfy(arg -> assertThat(arg).startsWith("--batching_parameters_file=" + configDir))
                .anySatisfy(arg -> assertThat(arg).startsWith("--monitoring_config_file=" + configDir));
        return args;
    }

    /** Prometheus (annotations, ServiceMonitor) and prometheus-adapter (request rate) read these. */
    private void assertMetricsScrapedWhereTheManifestsSay(int restPort) throws Exception {
        JsonNode annotations = manifests.deployment().path("spec").path("template").path("metadata").path("annotations");
        HttpResponse<String> scraped = get(restPort, annotations.path("prometheus.io/path").asText());
        assertThat(scraped.statusCode()).isEqualTo(200);
        List<String> lines = scraped.body().lines().toList();
        assertThat(lines).anySatisfy(line -> assertThat(line).startsWith(":tensorflow:serving:request_count{")
                .contains("model_name=\"" + MODEL + "\"").contains("status=\"OK\""));
        // --enable_batching and the ConfigMap's batching file are in force.
        assertThat(lines).anySatisfy(line -> assertThat(line)
                .startsWith(":tensorflow:serving:batching_session:processed_batch_size"));
    }

    private String probePath(String probe) {
        return manifests.serverContainer().path(probe).path("httpGet").path("path").asText();
    }

    private void awaitOk(Process server, Path log, int port, String path) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            if (!server.isAlive()) {
                throw new AssertionError("server exited with " + server.exitValue() + ": "
                        + Files.readString(log, StandardCharsets.UTF_8));
            }
            try {
                if (get(port, path).statusCode() == 200) {
                    return;
                }
            } catch (IOException notListeningYet) {
                // the server listens once its models have loaded
            }
            Thread.sleep(200);
        }
        throw new AssertionError("not ready: " + Files.readString(log, StandardCharsets.UTF_8));
    }

    private HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(int port, String path, String json) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HealthCheckResponse.ServingStatus grpcHealth(int port, String service) throws InterruptedException {
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        try {
            return HealthGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .check(HealthCheckRequest.newBuilder().setService(service).build()).getStatus();
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    /** The TensorFlow shared libraries in a process's memory map (Linux). */
    private static List<Path> tensorflowLibrariesMappedBy(long pid) throws IOException {
        return Files.readAllLines(Path.of("/proc", String.valueOf(pid), "maps")).stream()
                .filter(line -> line.contains("/") && line.contains("tensorflow") && line.contains(".so"))
                .map(line -> Path.of(line.substring(line.indexOf('/'))))
                .distinct()
                .toList();
    }

    private record FileState(long size, long modifiedMillis) {
    }

    /** Every file and folder under {@code dir} (links not followed) with its size and modification time. */
    private static Map<String, FileState> snapshot(Path dir) throws IOException {
        Map<String, FileState> states = new TreeMap<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.toList()) {
                BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class,
                        LinkOption.NOFOLLOW_LINKS);
                states.put(dir.relativize(file).toString(),
                        new FileState(attributes.isDirectory() ? 0 : attributes.size(),
                                attributes.lastModifiedTime().toMillis()));
            }
        }
        return states;
    }

    private static Set<String> fileNames(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
