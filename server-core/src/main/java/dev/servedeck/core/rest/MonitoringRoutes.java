package dev.servedeck.core.rest;

import dev.servedeck.core.MetricsExposition;
import dev.servedeck.core.ServerHealth;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The non-model paths the REST port serves: Prometheus metrics (when the monitoring config enables them,
 * at its path) and the health path {@value #HEALTH_PATH} for load balancers and Kubernetes probes.
 *
 * @param metricsPath where metrics are served, if at all
 * @param exposition renders them (used only with a path)
 * @param health answers the health path; absent, the path is not served
 */
public record MonitoringRoutes(Optional<String> metricsPath, Optional<MetricsExposition> exposition,
        Optional<Supplier<ServerHealth>> health) {

    /** 200 {@code {"status": "ready"}} when every model has an AVAILABLE version, else 503 with the reason. */
    public static final String HEALTH_PATH = "/v1/health";

    /** Neither metrics nor health: the model API only. */
    public static final MonitoringRoutes NONE = new MonitoringRoutes(Optional.empty(), Optional.empty(), Optional.empty());

    public MonitoringRoutes {
        Objects.requireNonNull(metricsPath, "metricsPath");
        Objects.requireNonNull(exposition, "exposition");
        Objects.requireNonNull(health, "health");
        if (metricsPath.isPresent() && exposition.isEmpty()) {
            throw new IllegalArgumentException("a metrics path needs an exposition");
        }
    }
}
