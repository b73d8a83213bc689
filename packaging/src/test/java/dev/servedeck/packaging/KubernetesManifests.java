package dev.servedeck.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The YAML files under {@code packaging/kubernetes}, parsed with Jackson, and the pieces of them the tests
 * cross-check: the Deployment's server container, its flags, the ConfigMap's files.
 */
final class KubernetesManifests {

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** One parsed document of a manifest file. */
    record Manifest(Path file, JsonNode node) {
        String kind() {
            return node.path("kind").asText();
        }

        String name() {
            return node.path("metadata").path("name").asText();
        }
    }

    /** The folder of the manifests every variant builds on, relative to the manifests folder. */
    static final String BASE = "base/";

    private final Path dir;
    private final List<Manifest> all;

    private KubernetesManifests(Path dir, List<Manifest> all) {
        this.dir = dir;
        this.all = all;
    }

    /** Every document of every .yaml file under {@code dir}, subfolders included, but Helm values files. */
    static KubernetesManifests load(Path dir) {
        List<Manifest> manifests = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(KubernetesManifests::isManifest).sorted().toList()) {
                for (JsonNode node : readAll(file)) {
                    manifests.add(new Manifest(file, node));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new KubernetesManifests(dir, manifests);
    }

    /** A .yaml file but a Helm chart's values ({@code *-values.yaml}), which configure a chart, not Kubernetes. */
    private static boolean isManifest(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(".yaml") && !name.endsWith("-values.yaml");
    }

    static List<JsonNode> readAll(Path file) {
        try (var parser = YAML.getFactory().createParser(file.toFile())) {
            List<JsonNode> documents = new ArrayList<>();
            YAML.readValues(parser, JsonNode.class).forEachRemaining(node -> {
                if (node != null && !node.isNull() && !node.isMissingNode()) {
                    documents.add(node);
                }
            });
            return documents;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot parse " + file, e);
        }
    }

    static List<JsonNode> readAll(String yaml) {
        try (var parser = YAML.getFactory().createParser(yaml)) {
            List<JsonNode> documents = new ArrayList<>();
            YAML.readValues(parser, JsonNode.class).forEachRemaining(documents::add);
            return documents;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<Manifest> all() {
        return all;
    }

    Path dir() {
        return dir;
    }

    /** The one document of this kind in {@code fileName} (relative to the manifests folder). */
    JsonNode in(String fileName, String kind) {
        List<Manifest> found = all.stream()
                .filter(m -> m.file().equals(dir.resolve(fileName)) && m.kind().equals(kind)).toList();
        assertThat(found).as("%s in %s", kind, fileName).hasSize(1);
        return found.get(0).node();
    }

    /** The base's Deployment (every variant, such as secure/, patches this one). */
    JsonNode deployment() {
        return in(BASE + "deployment.yaml", "Deployment");
    }

    JsonNode configMap() {
        return in(BASE + "configmap.yaml", "ConfigMap");
    }

    JsonNode podSpec() {
        return podSpec(deployment());
    }

    static JsonNode podSpec(JsonNode deployment) {
        return deployment.path("spec").path("template").path("spec");
    }

    /** The server's container (the pod has exactly one). */
    JsonNode serverContainer() {
        return serverContainer(deployment());
    }

    static JsonNode serverContainer(JsonNode deployment) {
        JsonNode containers = podSpec(deployment).path("containers");
        assertThat(containers).as("containers").hasSize(1);
        return containers.get(0);
    }

    List<String> serverArgs() {
        return serverArgs(deployment());
    }

    static List<String> serverArgs(JsonNode deployment) {
        List<String> args = new ArrayList<>();
        serverContainer(deployment).path("args").forEach(arg -> args.add(arg.asText()));
        return args;
    }

    /** {@code --flag=value} arguments by flag name; a bare {@code --flag} maps to "". */
    Map<String, String> serverFlags() {
        return serverFlags(deployment());
    }

    static Map<String, String> serverFlags(JsonNode deployment) {
        Map<String, String> flags = new LinkedHashMap<>();
        for (String arg : serverArgs(deployment)) {
            int eq = arg.indexOf('=');
            flags.put(eq < 0 ? arg : arg.substring(0, eq), eq < 0 ? "" : arg.substring(eq + 1));
        }
        return flags;
    }

    /** The container port with this name. */
    Optional<Integer> containerPort(String name) {
        for (JsonNode port : serverContainer().path("ports")) {
            if (port.path("name").asText().equals(name)) {
                return Optional.of(port.path("containerPort").asInt());
            }
        }
        return Optional.empty();
    }

    /** A probe's or Service's port (a name or a number) as the container port number it reaches. */
    int resolvePort(JsonNode port) {
        if (port.isInt()) {
            return port.asInt();
        }
        return containerPort(port.asText())
                .orElseThrow(() -> new AssertionError("no container port named " + port.asText()));
    }

    /** A file of the ConfigMap. */
    String configFile(String key) {
        JsonNode value = configMap().path("data").path(key);
        assertThat(value.isTextual()).as("ConfigMap key %s", key).isTrue();
        return value.asText();
    }

    /** Where the ConfigMap is mounted in the server's container. */
    String configMountPath() {
        String configMapName = configMap().path("metadata").path("name").asText();
        String volume = null;
        for (JsonNode v : podSpec().path("volumes")) {
            if (v.path("configMap").path("name").asText().equals(configMapName)) {
                volume = v.path("name").asText();
            }
        }
        assertThat(volume).as("a volume of ConfigMap %s", configMapName).isNotNull();
        for (JsonNode mount : serverContainer().path("volumeMounts")) {
            if (mount.path("name").asText().equals(volume)) {
                return mount.path("mountPath").asText();
            }
        }
        throw new AssertionError("volume " + volume + " is not mounted in the server container");
    }

    /** The value of an environment variable the Deployment sets on the server container. */
    Optional<String> serverEnv(String name) {
        for (JsonNode env : serverContainer().path("env")) {
            if (env.path("name").asText().equals(name)) {
                return Optional.of(env.path("value").asText());
            }
        }
        return Optional.empty();
    }
}
