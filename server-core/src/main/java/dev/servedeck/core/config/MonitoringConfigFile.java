package dev.servedeck.core.config;

import com.google.protobuf.TextFormat;
import dev.servedeck.core.status.ServingException;
import dev.servedeck.proto.config.MonitoringConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Reads TF Serving's {@code --monitoring_config_file}: a {@link MonitoringConfig} in protobuf text format,
 * e.g. {@code prometheus_config { enable: true path: "/monitoring/prometheus/metrics" }}.
 */
public final class MonitoringConfigFile {

    /** TF Serving's path when {@code prometheus_config} enables metrics without naming one. */
    public static final String DEFAULT_PROMETHEUS_PATH = "/monitoring/prometheus/metrics";

    private MonitoringConfigFile() {
    }

    /** Reads and parses the file; every problem is an INVALID_ARGUMENT naming it. */
    public static MonitoringConfig read(Path file) {
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
        } catch (IOException e) {
            throw ServingException.invalidArgument("Cannot read monitoring config file " + file + ": " + e.getMessage());
        }
    }

    public static MonitoringConfig parse(String text, String origin) {
        MonitoringConfig.Builder builder = MonitoringConfig.newBuilder();
        try {
            TextFormat.getParser().merge(text, builder);
        } catch (TextFormat.ParseException e) {
            throw ServingException.invalidArgument("Invalid monitoring config file " + origin + ": " + e.getMessage());
        }
        MonitoringConfig config = builder.build();
        String path = config.getPrometheusConfig().getPath();
        if (!path.isEmpty() && !path.startsWith("/")) {
            throw ServingException.invalidArgument("Invalid monitoring config file " + origin
                    + ": prometheus_config.path must start with '/', was " + path);
        }
        return config;
    }

    /** The path to serve Prometheus metrics at, when the config enables them. */
    public static Optional<String> prometheusPath(MonitoringConfig config) {
        if (!config.getPrometheusConfig().getEnable()) {
            return Optional.empty();
        }
        String path = config.getPrometheusConfig().getPath();
        return Optional.of(path.isEmpty() ? DEFAULT_PROMETHEUS_PATH : path);
    }
}
