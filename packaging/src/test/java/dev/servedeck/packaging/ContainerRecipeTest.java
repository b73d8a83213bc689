package dev.servedeck.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.servedeck.core.rest.MonitoringRoutes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The container recipe without a Docker engine: the Dockerfile and the layout scripts pass their linters
 * (dockerfilelint and dockerfile-utils from npm, shellcheck from Debian; .ci/run installs them), and the
 * Dockerfile agrees with the entry point, the server's health path and the Kubernetes manifests.
 * ContainerLayoutTest runs the layout itself.
 */
class ContainerRecipeTest {

    private static final Duration LINT_TIMEOUT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dockerfile = PackagingFiles.containerDir().resolve("Dockerfile");

    @TempDir
    Path temp;

    @Test
    void dockerfilePassesDockerfilelint() throws Exception {
        Path linter = tool("dockerfilelint");
        // Reads .dockerfilelintrc beside the Dockerfile.
        ExternalCommand.Result result = run(List.of(linter.toString(), "--json", dockerfile.toString()));
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(JSON.readTree(result.stdout()).path("totalIssues").asInt(-1)).as(result.output()).isZero();
    }

    @Test
    void dockerfilePassesDockerfileUtilsLint() throws Exception {
        Path linter = tool("dockerfile-utils");
        ExternalCommand.Result result = run(List.of(linter.toString(), "lint", dockerfile.toString()));
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).isBlank();
    }

    @Test
    void layoutScriptsPassShellcheck() throws Exception {
        Path shellcheck = tool("shellcheck");
        List<String> command = new ArrayList<>(List.of(shellcheck.toString(), "--severity=style"));
        try (Stream<Path> scripts = Files.list(PackagingFiles.containerDir())) {
            List<String> names = scripts.filter(p -> p.toString().endsWith(".sh")).map(Path::toString).sorted().toList();
            assertThat(names).hasSizeGreaterThanOrEqualTo(3);
            command.addAll(names);
        }
        ExternalCommand.Result result = run(command);
        assertThat(result.exitCode()).as(result.output()).isZero();
    }

    /** The linters above really look: they reject a Dockerfile with known mistakes. */
    @Test
    void lintersRejectABrokenDockerfile() throws Exception {
        Path dockerfilelint = tool("dockerfilelint");
        Path dockerfileUtils = tool("dockerfile-utils");
        Path broken = temp.resolve("Dockerfile");
        Files.writeString(broken, String.join("\n", "FROM eclipse-temurin:latest", "RUN sudo apt-get install curl",
                "EXPOSE 8501/htp", "HEALTHCHECK --intervall=5s CMD true", ""));
        ExternalCommand.Result first = run(List.of(dockerfilelint.toString(), "--json", broken.toString()));
        assertThat(first.exitCode()).as(first.output()).isNotZero();
        List<String> titles = new ArrayList<>();
        JSON.readTree(first.stdout()).path("files").get(0).path("issues")
                .forEach(issue -> titles.add(issue.path("title").asText()));
        assertThat(titles).contains("Base Image Latest Tag", "Use Of sudo Is Not Allowed", "Invalid Port Exposed");
        ExternalCommand.Result second = run(List.of(dockerfileUtils.toString(), "lint", broken.toString()));
        assertThat(second.exitCode()).as(second.output()).isNotZero();
        assertThat(second.output()).contains("Unknown flag: intervall").contains("Invalid proto: htp");
    }

    @Test
    void imageFollowsTfServingConventions() throws IOException {
        DockerfileInstructions image = DockerfileInstructions.read(dockerfile).finalStage();
        Map<String, String> env = image.env();
        assertThat(env).containsEntry("MODEL_NAME", "model").containsEntry("MODEL_BASE_PATH", "/models");
        Set<Integer> exposed = image.all("EXPOSE").stream().flatMap(e -> Arrays.stream(e.split("\\s+")))
                .map(port -> Integer.parseInt(port.replace("/tcp", ""))).collect(Collectors.toCollection(TreeSet::new));
        assertThat(exposed).containsExactly(8500, 8501);
        // The entry point's ports and bind address come from these variables.
        assertThat(env).containsEntry("SERVEDECK_GRPC_PORT", "8500").containsEntry("SERVEDECK_REST_API_PORT", "8501")
                .containsEntry("SERVEDECK_HOST", "0.0.0.0");
        assertThat(image.all("RUN")).anySatisfy(run -> assertThat(run).contains("mkdir -p /models"));
    }

    @Test
    void imageRunsAsNonRootWithExecFormEntrypoint() throws IOException {
        DockerfileInstructions image = DockerfileInstructions.read(dockerfile).finalStage();
        String user = image.last("USER");
        assertThat(user).matches("[1-9][0-9]*:[1-9][0-9]*"); // numeric, so Kubernetes can check runAsNonRoot
        List<String> entrypoint = DockerfileInstructions.execForm(image.last("ENTRYPOINT"));
        assertThat(entrypoint).containsExactly("/opt/servedeck/bin/servedeck-entrypoint");
        assertThat(image.all("CMD")).isEmpty();
        // The layout comes from the script the tests run, and is copied as a whole.
        DockerfileInstructions all = DockerfileInstructions.read(dockerfile);
        assertThat(DockerfileInstructions.execForm(all.all("RUN").get(0)))
                .containsExactly("bash", "/build/packaging/container/assemble-layout.sh", "/");
        assertThat(image.all("COPY")).contains("--from=layout /opt/servedeck /opt/servedeck");
        // The image's user proves the natives load without writing (servedeck-check-natives after USER).
        List<DockerfileInstructions.Instruction> steps = image.instructions();
        int userAt = indexOf(steps, "USER", user);
        int checkAt = indexOf(steps, "RUN", "[\"/opt/servedeck/bin/servedeck-check-natives\"]");
        assertThat(checkAt).isGreaterThan(userAt);
    }

    @Test
    void healthCheckAsksTheServersHealthPathOnTheRestPort() throws IOException {
        String healthcheck = DockerfileInstructions.read(dockerfile).finalStage().last("HEALTHCHECK");
        assertThat(healthcheck).contains("--start-period=")
                .contains("http://127.0.0.1:${SERVEDECK_REST_API_PORT}" + MonitoringRoutes.HEALTH_PATH);
        // curl -f: an HTTP 503 (loading, draining) is a failed check.
        assertThat(healthcheck).contains("CMD curl -fsS");
    }

    @Test
    void buildContextKeepsOnlyWhatTheImageCopies() throws IOException {
        List<String> ignore = Files.readAllLines(PackagingFiles.containerDir().resolve("Dockerfile.dockerignore"))
                .stream().filter(line -> !line.isBlank() && !line.startsWith("#")).toList();
        assertThat(ignore).containsExactly("*", "!server-core/target/servedeck-server.jar", "!server-core/target/lib/",
                "!packaging/container/");
        List<String> sources = DockerfileInstructions.read(dockerfile).all("COPY").stream()
                .filter(copy -> !copy.startsWith("--from")).map(copy -> copy.split("\\s+")[0]).toList();
        assertThat(sources).containsExactly("server-core/target/servedeck-server.jar", "server-core/target/lib/",
                "packaging/container/");
    }

    private static int indexOf(List<DockerfileInstructions.Instruction> steps, String keyword, String arguments) {
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i).keyword().equals(keyword) && steps.get(i).arguments().equals(arguments)) {
                return i;
            }
        }
        throw new AssertionError("no " + keyword + " " + arguments);
    }

    /** The tool on PATH; skipped without it, except on CI, which installs it (.ci/run). */
    private static Path tool(String name) {
        Optional<Path> found = ExternalCommand.onPath(name);
        if (found.isEmpty() && ExternalCommand.onCi()) {
            fail(name + " is not installed, but CI must lint: see .ci/run");
        }
        Assumptions.assumeTrue(found.isPresent(), name + " not on PATH: skipped (install: see .ci/run)");
        return found.get();
    }

    private static ExternalCommand.Result run(List<String> command) throws Exception {
        return ExternalCommand.run(PackagingFiles.containerDir(), Map.of(), LINT_TIMEOUT, command);
    }
}
