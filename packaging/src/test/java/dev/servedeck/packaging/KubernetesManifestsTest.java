package dev.servedeck.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.JsonNode;
import dev.servedeck.core.batching.BatchScheduler;
import dev.servedeck.core.batching.BatchingOptions;
import dev.servedeck.core.batching.BatchingParametersFile;
import dev.servedeck.core.config.ModelServerConfigFile;
import dev.servedeck.core.config.SslConfigFile;
import dev.servedeck.core.config.MonitoringConfigFile;
import dev.servedeck.core.grpc.ChannelArguments;
import dev.servedeck.core.grpc.GrpcServer;
import dev.servedeck.core.main.ServerCommand;
import dev.servedeck.core.rest.MonitoringRoutes;
import dev.servedeck.core.rest.RestServer;
import dev.servedeck.core.security.ModelBasePathAllowlist;
import dev.servedeck.proto.config.ModelConfig;
import dev.servedeck.proto.config.ModelServerConfig;
import dev.servedeck.proto.config.SSLConfig;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
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
import picocli.CommandLine;

/**
 * The Kubernetes manifests, parsed and cross-checked: against each other (selectors, ports, names), against
 * the server (its flag parser, its config file parsers, its health path, its drain timeouts) and against the
 * image (user, ports). With kubectl on PATH, also through kubectl offline: kustomize build, and Kubernetes'
 * typed decoding of the Deployment and Service (a misspelt field would be dropped).
 */
class KubernetesManifestsTest {

    private static final String BASE = KubernetesManifests.BASE;

    private static final Duration KUBECTL_TIMEOUT = Duration.ofSeconds(60);

    private final KubernetesManifests manifests = KubernetesManifests.load(PackagingFiles.kubernetesDir());

    @Test
    void everyManifestParsesAndNamesItsKind() {
        assertThat(manifests.all()).hasSizeGreaterThanOrEqualTo(10);
        for (KubernetesManifests.Manifest m : manifests.all()) {
            assertThat(m.node().path("apiVersion").asText()).as("apiVersion in %s", m.file()).isNotEmpty();
            assertThat(m.kind()).as("kind in %s", m.file()).isNotEmpty();
            if (!m.kind().equals("Kustomization") && !m.kind().equals("Component")) {
                assertThat(m.name()).as("metadata.name in %s", m.file()).isNotEmpty();
            }
        }
        Set<String> kinds = manifests.all().stream().map(KubernetesManifests.Manifest::kind).collect(Collectors.toSet());
        assertThat(kinds).contains("Deployment", "Service", "HorizontalPodAutoscaler", "ConfigMap",
                "PersistentVolumeClaim", "PodDisruptionBudget", "ServiceMonitor", "Kustomization", "NetworkPolicy",
                "Component");
    }

    @Test
    void theBaseListsEveryManifestOfItsFolderAndTheTopLevelAppliesTheBase() throws Exception {
        List<String> topLevel = new ArrayList<>();
        manifests.in("kustomization.yaml", "Kustomization").path("resources").forEach(r -> topLevel.add(r.asText()));
        assertThat(topLevel).containsExactly("base");
        JsonNode kustomization = manifests.in(BASE + "kustomization.yaml", "Kustomization");
        Set<String> listed = new TreeSet<>();
        kustomization.path("resources").forEach(r -> listed.add(r.asText()));
        Set<String> files;
        try (Stream<Path> list = Files.list(manifests.dir().resolve(BASE))) {
            files = list.map(p -> p.getFileName().toString())
                    .filter(name -> name.endsWith(".yaml") && !name.equals("kustomization.yaml"))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        assertThat(listed).isEqualTo(files);
        assertThat(kustomization.path("images").get(0).path("name").asText())
                .isEqualTo(imageName(manifests.serverContainer().path("image").asText()));
    }

    @Test
    void configMapFilesParseWithTheServersOwnParsers() {
        ModelServerConfig models = ModelServerConfigFile.parse(manifests.configFile("models.config"), "models.config");
        assertThat(models.getModelConfigList().getConfigList()).isNotEmpty();
        BatchingOptions batching = BatchingParametersFile.parse(manifests.configFile("batching.config"), "batching.config");
        assertThat(batching.maxBatchSize()).isEqualTo(32);
        assertThat(batching.numBatchThreads()).isEqualTo(2);
        var monitoring = MonitoringConfigFile.parse(manifests.configFile("monitoring.config"), "monitoring.config");
        assertThat(MonitoringConfigFile.prometheusPath(monitoring)).isPresent();
    }

    @Test
    void serverArgsParseWithTheServersFlagsAndNameMountedConfigMapFiles() {
        List<String> args = manifests.serverArgs();
        // The image's entry point adds its defaults before them; together they must still parse.
        List<String> asLaunched = new ArrayList<>(List.of("--port=8500", "--rest_api_port=8501",
                "--grpc_host=0.0.0.0", "--rest_api_host=0.0.0.0"));
        asLaunched.addAll(args);
        assertThatCode(() -> new CommandLine(new ServerCommand()).parseArgs(asLaunched.toArray(String[]::new)))
                .doesNotThrowAnyException();

        Map<String, String> flags = manifests.serverFlags();
        String mount = manifests.configMountPath();
        for (String flag : List.of("--model_config_file", "--batching_parameters_file", "--monitoring_config_file")) {
            Path file = Path.of(flags.get(flag));
            assertThat(file.getParent()).as(flag).isEqualTo(Path.of(mount));
            assertThat(manifests.configMap().path("data").has(file.getFileName().toString()))
                    .as("%s names a key of the ConfigMap", flag).isTrue();
        }
        assertThat(flags).as("the batching file counts only with --enable_batching").containsKey("--enable_batching");
        assertThat(ChannelArguments.parse(flags.get("--grpc_channel_arguments")))
                .containsKeys("grpc.max_connection_age_ms", "grpc.max_connection_age_grace_ms");
    }

    @Test
    void modelsVolumeHoldsEveryConfiguredBasePath() {
        String claim = manifests.in(BASE + "models-pvc.yaml", "PersistentVolumeClaim").path("metadata").path("name").asText();
        String volume = null;
        for (JsonNode v : manifests.podSpec().path("volumes")) {
            if (v.path("persistentVolumeClaim").path("claimName").asText().equals(claim)) {
                volume = v.path("name").asText();
                assertThat(v.path("persistentVolumeClaim").path("readOnly").asBoolean()).isTrue();
            }
        }
        assertThat(volume).as("a volume of claim %s", claim).isNotNull();
        String mountPath = null;
        for (JsonNode mount : manifests.serverContainer().path("volumeMounts")) {
            if (mount.path("name").asText().equals(volume)) {
                mountPath = mount.path("mountPath").asText();
            }
        }
        assertThat(mountPath).isEqualTo("/models"); // TF Serving's convention, MODEL_BASE_PATH in the image
        for (ModelConfig model : models().getModelConfigList().getConfigList()) {
            assertThat(model.getBasePath()).isEqualTo(mountPath + "/" + model.getName());
        }
    }

    @Test
    void modelsLoadOnlyFromTheModelsVolume() {
        String allowlist = manifests.serverEnv("SERVEDECK_MODEL_BASE_PATH_ALLOWLIST").orElseThrow();
        assertThat(allowlist).isEqualTo("/models");
        // Judged by the server's own rule: every model of the ConfigMap is inside.
        assertThatCode(() -> ModelBasePathAllowlist.parse(allowlist).check(models())).doesNotThrowAnyException();
        assertThat(manifests.serverFlags()).as("the image's entry point passes it").doesNotContainKey(
                "--model_base_path_allowlist");
    }

    @Test
    void probesAskTheServersStatusAndHealthPathsOnItsRestPort() {
        JsonNode container = manifests.serverContainer();
        int restPort = manifests.containerPort("http").orElseThrow();
        assertThat(restPort).isEqualTo(8501);
        assertThat(manifests.containerPort("grpc")).contains(8500);
        Set<String> modelStatusPaths = models().getModelConfigList().getConfigList().stream()
                .map(model -> "/v1/models/" + model.getName()).collect(Collectors.toSet());
        for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
            JsonNode get = container.path(probe).path("httpGet");
            assertThat(manifests.resolvePort(get.path("port"))).as("%s port", probe).isEqualTo(restPort);
            assertThat(container.path(probe).path("periodSeconds").asInt()).as(probe).isPositive();
        }
        assertThat(container.path("readinessProbe").path("httpGet").path("path").asText())
                .isEqualTo(MonitoringRoutes.HEALTH_PATH);
        assertThat(container.path("livenessProbe").path("httpGet").path("path").asText()).isIn(modelStatusPaths);
        assertThat(container.path("startupProbe").path("httpGet").path("path").asText()).isIn(modelStatusPaths);
        // A slow first load gets minutes before the liveness probe may restart the pod.
        JsonNode startup = container.path("startupProbe");
        assertThat(startup.path("periodSeconds").asInt() * startup.path("failureThreshold").asInt())
                .isGreaterThanOrEqualTo(300);
    }

    @Test
    void gracePeriodCoversPreStopAndTheServersDrain() {
        JsonNode preStop = manifests.serverContainer().path("lifecycle").path("preStop").path("exec").path("command");
        assertThat(preStop.get(0).asText()).isEqualTo("sleep");
        long preStopSeconds = preStop.get(1).asLong();
        long drainSeconds = GrpcServer.DEFAULT_GRACE.plus(RestServer.DEFAULT_GRACE)
                .plus(BatchScheduler.DEFAULT_DRAIN_TIMEOUT).toSeconds();
        long grace = manifests.podSpec().path("terminationGracePeriodSeconds").asLong();
        assertThat(grace).as("terminationGracePeriodSeconds").isGreaterThanOrEqualTo(preStopSeconds + drainSeconds + 10);
    }

    @Test
    void podRunsAsTheImagesNonRootUserWithAReadOnlyRoot() throws Exception {
        JsonNode pod = manifests.podSpec().path("securityContext");
        assertThat(pod.path("runAsNonRoot").asBoolean()).isTrue();
        String imageUser = DockerfileInstructions.read(PackagingFiles.containerDir().resolve("Dockerfile"))
                .finalStage().last("USER");
        assertThat(pod.path("runAsUser").asText() + ":" + pod.path("runAsGroup").asText()).isEqualTo(imageUser);
        JsonNode container = manifests.serverContainer().path("securityContext");
        assertThat(container.path("readOnlyRootFilesystem").asBoolean()).isTrue();
        assertThat(container.path("allowPrivilegeEscalation").asBoolean(true)).isFalse();
        assertThat(container.path("capabilities").path("drop").get(0).asText()).isEqualTo("ALL");
        // The read-only root needs a writable /tmp (Netty unpacks its epoll library there).
        assertThat(mountPaths()).contains("/tmp");
        assertThat(manifests.podSpec().path("automountServiceAccountToken").asBoolean(true)).isFalse();
    }

    @Test
    void resourcesHaveRequestsWithinLimits() {
        JsonNode resources = manifests.serverContainer().path("resources");
        for (String resource : List.of("cpu", "memory")) {
            BigDecimal request = quantity(resources.path("requests").path(resource).asText());
            BigDecimal limit = quantity(resources.path("limits").path(resource).asText());
            assertThat(request).as("%s request", resource).isPositive();
            assertThat(request).as("%s request <= limit", resource).isLessThanOrEqualTo(limit);
        }
        // The batching threads fit the CPU limit.
        int threads = BatchingParametersFile.parse(manifests.configFile("batching.config"), "batching.config")
                .numBatchThreads();
        assertThat(BigDecimal.valueOf(threads)).isLessThanOrEqualTo(quantity(resources.path("limits").path("cpu").asText()));
        assertThat(manifests.serverEnv("JAVA_OPTS")).hasValueSatisfying(opts -> assertThat(opts).contains("MaxRAMPercentage"));
    }

    @Test
    void servicesSelectThePodsAndTargetItsNamedPorts() {
        Map<String, String> podLabels = labels(manifests.deployment().path("spec").path("template").path("metadata"));
        assertThat(podLabels).containsAllEntriesOf(
                stringMap(manifests.deployment().path("spec").path("selector").path("matchLabels")));
        assertThat(manifests.deployment().path("spec").has("replicas")).as("the autoscaler owns replicas").isFalse();

        JsonNode service = manifests.in(BASE + "service.yaml", "Service");
        assertThat(podLabels).containsAllEntriesOf(stringMap(service.path("spec").path("selector")));
        Map<String, Integer> ports = new HashMap<>();
        for (JsonNode port : service.path("spec").path("ports")) {
            ports.put(port.path("name").asText(), port.path("port").asInt());
            assertThat(manifests.resolvePort(port.path("targetPort"))).isEqualTo(port.path("port").asInt());
        }
        assertThat(ports).containsExactlyInAnyOrderEntriesOf(Map.of("grpc", 8500, "http", 8501));

        JsonNode headless = manifests.in(BASE + "service-headless.yaml", "Service");
        assertThat(headless.path("spec").path("clusterIP").asText()).isEqualTo("None");
        assertThat(podLabels).containsAllEntriesOf(stringMap(headless.path("spec").path("selector")));
        assertThat(headless.path("spec").path("ports")).hasSize(1);
        assertThat(manifests.resolvePort(headless.path("spec").path("ports").get(0).path("targetPort"))).isEqualTo(8500);

        JsonNode pdb = manifests.in(BASE + "pdb.yaml", "PodDisruptionBudget");
        assertThat(podLabels).containsAllEntriesOf(stringMap(pdb.path("spec").path("selector").path("matchLabels")));
    }

    @Test
    void autoscalersTargetTheDeployment() {
        String deployment = manifests.deployment().path("metadata").path("name").asText();
        for (String file : List.of(BASE + "hpa.yaml", "optional/hpa-request-rate.yaml")) {
            JsonNode hpa = manifests.in(file, "HorizontalPodAutoscaler");
            assertThat(hpa.path("apiVersion").asText()).isEqualTo("autoscaling/v2");
            JsonNode target = hpa.path("spec").path("scaleTargetRef");
            assertThat(target.path("apiVersion").asText()).isEqualTo("apps/v1");
            assertThat(target.path("kind").asText()).isEqualTo("Deployment");
            assertThat(target.path("name").asText()).isEqualTo(deployment);
            int min = hpa.path("spec").path("minReplicas").asInt();
            assertThat(min).isGreaterThanOrEqualTo(2);
            assertThat(hpa.path("spec").path("maxReplicas").asInt()).isGreaterThan(min);
        }
        JsonNode cpu = manifests.in(BASE + "hpa.yaml", "HorizontalPodAutoscaler").path("spec").path("metrics").get(0);
        assertThat(cpu.path("resource").path("name").asText()).isEqualTo("cpu");
        assertThat(cpu.path("resource").path("target").path("type").asText()).isEqualTo("Utilization");
        // Utilization is measured against the request: there must be one.
        assertThat(manifests.serverContainer().path("resources").path("requests").has("cpu")).isTrue();
    }

    @Test
    void requestRateAutoscalingUsesTheMetricTheAdapterPublishes() {
        JsonNode rule = KubernetesManifests.readAll(manifests.dir().resolve("optional/prometheus-adapter-values.yaml"))
                .get(0).path("rules").path("custom").get(0);
        // TF Serving's counter, which the server exposes under this exact name (ContainerLayoutTest scrapes it).
        assertThat(rule.path("seriesQuery").asText()).contains("\":tensorflow:serving:request_count\"");
        assertThat(rule.path("metricsQuery").asText()).contains("rate(<<.Series>>");
        String published = rule.path("name").path("as").asText();
        JsonNode pods = manifests.in("optional/hpa-request-rate.yaml", "HorizontalPodAutoscaler")
                .path("spec").path("metrics").get(0).path("pods");
        assertThat(pods.path("metric").path("name").asText()).isEqualTo(published);
    }

    @Test
    void prometheusScrapesTheMonitoringConfigsPathOnTheRestPort() {
        String path = MonitoringConfigFile.prometheusPath(MonitoringConfigFile.parse(
                manifests.configFile("monitoring.config"), "monitoring.config")).orElseThrow();
        JsonNode annotations = manifests.deployment().path("spec").path("template").path("metadata").path("annotations");
        assertThat(annotations.path("prometheus.io/scrape").asText()).isEqualTo("true");
        assertThat(annotations.path("prometheus.io/port").asText())
                .isEqualTo(String.valueOf(manifests.containerPort("http").orElseThrow()));
        assertThat(annotations.path("prometheus.io/path").asText()).isEqualTo(path);

        JsonNode monitor = manifests.in("optional/servicemonitor.yaml", "ServiceMonitor");
        JsonNode service = manifests.in(BASE + "service.yaml", "Service");
        assertThat(labels(service.path("metadata")))
                .containsAllEntriesOf(stringMap(monitor.path("spec").path("selector").path("matchLabels")));
        JsonNode endpoint = monitor.path("spec").path("endpoints").get(0);
        assertThat(endpoint.path("path").asText()).isEqualTo(path);
        List<String> servicePorts = new ArrayList<>();
        service.path("spec").path("ports").forEach(p -> servicePorts.add(p.path("name").asText()));
        assertThat(endpoint.path("port").asText()).isIn(servicePorts);
    }

    @Test
    void theNetworkPolicyAdmitsOnlyThisNamespacesPodsAndOnlyToTheServersTwoPorts() {
        JsonNode policy = manifests.in(BASE + "networkpolicy.yaml", "NetworkPolicy");
        Map<String, String> podLabels = labels(manifests.deployment().path("spec").path("template").path("metadata"));
        assertThat(podLabels).containsAllEntriesOf(stringMap(policy.path("spec").path("podSelector").path("matchLabels")));
        assertThat(policy.path("spec").path("policyTypes")).extracting(JsonNode::asText).containsExactly("Ingress");
        JsonNode rules = policy.path("spec").path("ingress");
        assertThat(rules).hasSize(1);
        JsonNode from = rules.get(0).path("from");
        assertThat(from).as("one peer: every pod of the namespace").hasSize(1);
        assertThat(from.get(0).fieldNames()).toIterable().containsExactly("podSelector");
        assertThat(from.get(0).path("podSelector").size()).as("an empty selector: all pods of this namespace").isZero();
        Set<Integer> ports = new TreeSet<>();
        rules.get(0).path("ports").forEach(port -> ports.add(manifests.resolvePort(port.path("port"))));
        assertThat(ports).containsExactly(8500, 8501);

        JsonNode prometheus = manifests.in("optional/networkpolicy-prometheus.yaml", "NetworkPolicy");
        assertThat(podLabels).containsAllEntriesOf(
                stringMap(prometheus.path("spec").path("podSelector").path("matchLabels")));
        JsonNode scrape = prometheus.path("spec").path("ingress").get(0);
        assertThat(manifests.resolvePort(scrape.path("ports").get(0).path("port"))).isEqualTo(8501);
        assertThat(scrape.path("ports")).hasSize(1);
        assertThat(scrape.path("from").get(0).fieldNames()).toIterable().containsExactly("namespaceSelector");
    }

    /** The flags the secure variant adds; the other parts implement them (see docs/security-bounds.md). */
    private static final Set<String> SECURITY_FLAGS = Set.of("--auth_tokens_file", "--ssl_config_file");

    @Test
    void theSecureVariantRunsWithTokensFromASecretAndProbesThatNeedNoToken() throws Exception {
        JsonNode deployment = renderedDeployment(manifests.dir().resolve("secure"));
        Map<String, String> flags = KubernetesManifests.serverFlags(deployment);
        assertThat(flags).containsKey("--auth_tokens_file").doesNotContainKey("--ssl_config_file");
        assertSecretFile(deployment, flags.get("--auth_tokens_file"), "servedeck-auth-tokens");
        assertParsesAsLaunched(deployment);
        JsonNode container = KubernetesManifests.serverContainer(deployment);
        // Model status needs a token once tokens are on; health does not.
        assertThat(container.path("readinessProbe").path("httpGet").path("path").asText())
                .isEqualTo(MonitoringRoutes.HEALTH_PATH);
        assertThat(container.path("startupProbe").path("httpGet").path("path").asText())
                .isEqualTo(MonitoringRoutes.HEALTH_PATH);
        assertThat(container.path("livenessProbe").has("httpGet")).isFalse();
        assertThat(manifests.resolvePort(container.path("livenessProbe").path("tcpSocket").path("port"))).isEqualTo(8501);
        // Everything else is the base's.
        assertThat(KubernetesManifests.serverArgs(deployment)).containsAll(manifests.serverArgs());
    }

    @Test
    void theTlsComponentServesTheCertificateSecretThroughTheSslConfigAndProbesOverHttps(@TempDir Path temp)
            throws Exception {
        // As an operator's own overlay enables it: the base, the tokens and TLS.
        Path dir = Files.createDirectories(temp.resolve("overlay")).toRealPath();
        Path manifestsDir = manifests.dir().toRealPath();
        Files.writeString(dir.resolve("kustomization.yaml"), """
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                resources:
                  - %s
                components:
                  - %s
                  - %s
                """.formatted(dir.relativize(manifestsDir.resolve("base")),
                dir.relativize(manifestsDir.resolve("secure/auth-tokens")),
                dir.relativize(manifestsDir.resolve("secure/tls"))));
        List<JsonNode> rendered = rendered(dir);
        JsonNode deployment = only(rendered, "Deployment");
        Map<String, String> flags = KubernetesManifests.serverFlags(deployment);
        assertSecretFile(deployment, flags.get("--auth_tokens_file"), "servedeck-auth-tokens");
        assertParsesAsLaunched(deployment);

        // The SSL config and the certificate Secret are projected into the folder the flag names.
        Path sslConfig = Path.of(flags.get("--ssl_config_file"));
        JsonNode sources = projectedVolumeMountedAt(deployment, sslConfig.getParent()).path("sources");
        List<String> secrets = new ArrayList<>();
        String configMap = null;
        for (JsonNode source : sources) {
            if (source.has("secret")) {
                secrets.add(source.path("secret").path("name").asText());
            }
            if (source.path("configMap").path("items").findValuesAsText("path").contains(sslConfig.getFileName()
                    .toString())) {
                configMap = source.path("configMap").path("name").asText();
            }
        }
        assertThat(secrets).containsExactly("servedeck-tls");
        assertThat(configMap).as("a ConfigMap projecting %s", sslConfig.getFileName()).isNotNull();
        String configMapName = configMap;
        JsonNode generated = rendered.stream().filter(d -> d.path("kind").asText().equals("ConfigMap")
                && d.path("metadata").path("name").asText().equals(configMapName)).findFirst().orElseThrow();
        // The server's own parser reads it, and its files are those of a kubernetes.io/tls Secret beside it.
        SSLConfig parsed = SslConfigFile.parse(generated.path("data").path("ssl.config").asText(), "ssl.config");
        Set<String> tlsSecretKeys = Set.of("tls.crt", "tls.key", "ca.crt");
        assertThat(tlsSecretKeys).contains(parsed.getServerKeyFile(), parsed.getServerCertFile());
        assertThat(parsed.getClientVerify()).as("mutual TLS only when the operator adds it").isFalse();

        JsonNode container = KubernetesManifests.serverContainer(deployment);
        for (String probe : List.of("startupProbe", "readinessProbe")) {
            assertThat(container.path(probe).path("httpGet").path("scheme").asText()).as(probe).isEqualTo("HTTPS");
        }
        assertThat(deployment.path("spec").path("template").path("metadata").path("annotations")
                .path("prometheus.io/scrape").asText()).as("plain-HTTP scraping off").isEqualTo("false");
        // The secure variant names the component, commented out until asked for.
        assertThat(Files.readString(manifests.dir().resolve("secure/kustomization.yaml"))).contains("# - tls");
    }

    private static JsonNode projectedVolumeMountedAt(JsonNode deployment, Path folder) {
        String volume = null;
        for (JsonNode mount : KubernetesManifests.serverContainer(deployment).path("volumeMounts")) {
            if (Path.of(mount.path("mountPath").asText()).equals(folder)) {
                assertThat(mount.path("readOnly").asBoolean()).isTrue();
                volume = mount.path("name").asText();
            }
        }
        assertThat(volume).as("a volume mounted at %s", folder).isNotNull();
        for (JsonNode v : KubernetesManifests.podSpec(deployment).path("volumes")) {
            if (v.path("name").asText().equals(volume)) {
                assertThat(v.path("projected").path("defaultMode").asInt() & 0007).as("not readable by others").isZero();
                return v.path("projected");
            }
        }
        throw new AssertionError("no volume " + volume);
    }

    /** Every object kubectl renders from a kustomization folder, offline. */
    private static List<JsonNode> rendered(Path kustomization) throws Exception {
        ExternalCommand.Result built = ExternalCommand.run(kustomization, Map.of(), KUBECTL_TIMEOUT,
                List.of(kubectl().toString(), "kustomize", kustomization.toString()));
        assertThat(built.exitCode()).as(built.stderr()).isZero();
        List<JsonNode> documents = KubernetesManifests.readAll(built.stdout());
        assertThat(documents).extracting(d -> d.path("kind").asText()).contains("NetworkPolicy");
        return documents;
    }

    private static JsonNode only(List<JsonNode> documents, String kind) {
        List<JsonNode> found = documents.stream().filter(d -> d.path("kind").asText().equals(kind)).toList();
        assertThat(found).as(kind).hasSize(1);
        return found.get(0);
    }

    /** The Deployment kubectl renders from a kustomization folder, offline. */
    private static JsonNode renderedDeployment(Path kustomization) throws Exception {
        return only(rendered(kustomization), "Deployment");
    }

    /** The file a flag names is the key of a Secret, mounted read-only where the flag looks. */
    private static void assertSecretFile(JsonNode deployment, String file, String secret) {
        assertThat(file).as("a file from Secret %s", secret).isNotNull();
        Path path = Path.of(file);
        String volume = null;
        for (JsonNode v : KubernetesManifests.podSpec(deployment).path("volumes")) {
            if (v.path("secret").path("secretName").asText().equals(secret)) {
                volume = v.path("name").asText();
                assertThat(v.path("secret").path("items")).extracting(item -> item.path("path").asText())
                        .contains(path.getFileName().toString());
                assertThat(v.path("secret").path("defaultMode").asInt() & 0007).as("not readable by others").isZero();
            }
        }
        assertThat(volume).as("a volume of Secret %s", secret).isNotNull();
        boolean mounted = false;
        for (JsonNode mount : KubernetesManifests.serverContainer(deployment).path("volumeMounts")) {
            if (mount.path("name").asText().equals(volume)) {
                assertThat(Path.of(mount.path("mountPath").asText())).isEqualTo(path.getParent());
                assertThat(mount.path("readOnly").asBoolean()).isTrue();
                mounted = true;
            }
        }
        assertThat(mounted).as("volume %s mounted in the server container", volume).isTrue();
    }

    /**
     * The rendered flags, after the image's entry point's own, parse with the server's flag parser. A security flag
     * this build's parser does not know yet (another part of the issue brings it) is left out of the parse.
     */
    private static void assertParsesAsLaunched(JsonNode deployment) {
        CommandLine parser = ServerCommand.commandLine(new ServerCommand());
        List<String> asLaunched = new ArrayList<>(List.of("--port=8500", "--rest_api_port=8501",
                "--grpc_host=0.0.0.0", "--rest_api_host=0.0.0.0"));
        for (String arg : KubernetesManifests.serverArgs(deployment)) {
            String flag = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            if (parser.getCommandSpec().findOption(flag) != null || !SECURITY_FLAGS.contains(flag)) {
                asLaunched.add(arg);
            }
        }
        assertThatCode(() -> ServerCommand.commandLine(new ServerCommand()).parseArgs(asLaunched.toArray(String[]::new)))
                .doesNotThrowAnyException();
    }

    @Test
    void kubectlBuildsTheKustomizationOffline() throws Exception {
        Path kubectl = kubectl();
        ExternalCommand.Result built = ExternalCommand.run(manifests.dir(), Map.of(), KUBECTL_TIMEOUT,
                List.of(kubectl.toString(), "kustomize", manifests.dir().toString()));
        assertThat(built.exitCode()).as(built.stderr()).isZero();
        Set<String> rendered = new TreeSet<>();
        for (JsonNode document : KubernetesManifests.readAll(built.stdout())) {
            rendered.add(document.path("kind").asText() + "/" + document.path("metadata").path("name").asText());
        }
        Set<String> expected = new TreeSet<>();
        manifests.in(BASE + "kustomization.yaml", "Kustomization").path("resources").forEach(file -> {
            for (JsonNode document : KubernetesManifests.readAll(manifests.dir().resolve(BASE + file.asText()))) {
                expected.add(document.path("kind").asText() + "/" + document.path("metadata").path("name").asText());
            }
        });
        assertThat(rendered).isEqualTo(expected);
    }

    /** Kubernetes' own decoder drops fields it does not know: every field written must come back. */
    @Test
    void deploymentAndServiceSurviveKubernetesTypedDecoding() throws Exception {
        Path kubectl = kubectl();
        JsonNode deployment = manifests.deployment();
        ExternalCommand.Result decoded = ExternalCommand.run(manifests.dir(), Map.of(), KUBECTL_TIMEOUT,
                List.of(kubectl.toString(), "set", "env", "--local", "-o", "json", "-f", BASE + "deployment.yaml",
                        "SERVEDECK_DECODED=1"));
        assertThat(decoded.exitCode()).as(decoded.stderr()).isZero();
        assertFieldsKept(deployment, KubernetesManifests.YAML.readTree(decoded.stdout()));

        JsonNode service = manifests.in(BASE + "service.yaml", "Service");
        List<String> command = new ArrayList<>(List.of(kubectl.toString(), "set", "selector", "--local", "-o", "json",
                "-f", BASE + "service.yaml"));
        command.add(stringMap(service.path("spec").path("selector")).entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).sorted().collect(Collectors.joining(",")));
        decoded = ExternalCommand.run(manifests.dir(), Map.of(), KUBECTL_TIMEOUT, command);
        assertThat(decoded.exitCode()).as(decoded.stderr()).isZero();
        assertFieldsKept(service, KubernetesManifests.YAML.readTree(decoded.stdout()));
    }

    private static void assertFieldsKept(JsonNode written, JsonNode decoded) {
        Map<String, String> writtenLeaves = new HashMap<>();
        leaves("", written, writtenLeaves);
        Map<String, String> decodedLeaves = new HashMap<>();
        leaves("", decoded, decodedLeaves);
        assertThat(decodedLeaves).containsAllEntriesOf(writtenLeaves);
    }

    private static void leaves(String path, JsonNode node, Map<String, String> out) {
        if (node.isObject()) {
            node.fields().forEachRemaining(field -> leaves(path + "/" + field.getKey(), field.getValue(), out));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                leaves(path + "[" + i + "]", node.get(i), out);
            }
        } else {
            out.put(path, node.asText());
        }
    }

    private static Path kubectl() {
        Optional<Path> kubectl = ExternalCommand.onPath("kubectl");
        Assumptions.assumeTrue(kubectl.isPresent(), "kubectl not on PATH: offline kubectl checks skipped");
        return kubectl.get();
    }

    private ModelServerConfig models() {
        return ModelServerConfigFile.parse(manifests.configFile("models.config"), "models.config");
    }

    private List<String> mountPaths() {
        List<String> paths = new ArrayList<>();
        manifests.serverContainer().path("volumeMounts").forEach(m -> paths.add(m.path("mountPath").asText()));
        return paths;
    }

    private static Map<String, String> labels(JsonNode metadata) {
        return stringMap(metadata.path("labels"));
    }

    private static Map<String, String> stringMap(JsonNode object) {
        Map<String, String> map = new HashMap<>();
        object.fields().forEachRemaining(field -> map.put(field.getKey(), field.getValue().asText()));
        assertThat(map).as("labels or selector").isNotEmpty();
        return map;
    }

    private static String imageName(String image) {
        int colon = image.lastIndexOf(':');
        return colon > image.lastIndexOf('/') ? image.substring(0, colon) : image;
    }

    /** A Kubernetes quantity ("500m", "2", "1Gi", "512Mi") as a number (cores or bytes). */
    static BigDecimal quantity(String text) {
        Map<String, BigDecimal> suffixes = Map.of("m", new BigDecimal("0.001"), "Ki", BigDecimal.valueOf(1L << 10),
                "Mi", BigDecimal.valueOf(1L << 20), "Gi", BigDecimal.valueOf(1L << 30), "Ti", BigDecimal.valueOf(1L << 40),
                "k", BigDecimal.valueOf(1000), "M", BigDecimal.valueOf(1_000_000), "G", BigDecimal.valueOf(1_000_000_000));
        for (String suffix : List.of("Ki", "Mi", "Gi", "Ti", "m", "k", "M", "G")) {
            if (text.endsWith(suffix)) {
                return new BigDecimal(text.substring(0, text.length() - suffix.length())).multiply(suffixes.get(suffix));
            }
        }
        return new BigDecimal(text);
    }
}
