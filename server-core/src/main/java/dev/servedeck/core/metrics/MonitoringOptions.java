package dev.servedeck.core.metrics;

import dev.servedeck.core.requestlog.RequestLogOptions;
import java.util.Objects;
import java.util.Optional;

/**
 * What a server measures and where it shows it.
 *
 * @param metricsEnabled false (the hidden {@code --disable_metrics}) serves requests unmeasured: no Prometheus
 *     metrics, no live statistics, no request log; for measuring what monitoring costs
 * @param prometheusPath the REST path serving Prometheus metrics, when the monitoring config enables it
 *     (TF Serving's {@code prometheus_config { enable: true path: ... }})
 * @param requestLog the sampled request log
 * @param statistics the live statistics windows
 */
public record MonitoringOptions(
        boolean metricsEnabled,
        Optional<String> prometheusPath,
        RequestLogOptions requestLog,
        LiveStatisticsOptions statistics) {

    public MonitoringOptions {
        Objects.requireNonNull(prometheusPath, "prometheusPath");
        Objects.requireNonNull(requestLog, "requestLog");
        Objects.requireNonNull(statistics, "statistics");
        prometheusPath.ifPresent(path -> {
            if (!path.startsWith("/")) {
                throw new IllegalArgumentException("the Prometheus path must start with '/', was " + path);
            }
        });
    }

    /** Metrics recorded, no endpoint (as TF Serving without a monitoring config), no request log. */
    public static MonitoringOptions defaults() {
        return new MonitoringOptions(true, Optional.empty(), RequestLogOptions.defaults(), LiveStatisticsOptions.defaults());
    }

    public MonitoringOptions withPrometheusPath(String path) {
        return new MonitoringOptions(metricsEnabled, Optional.of(path), requestLog, statistics);
    }

    public MonitoringOptions withRequestLog(RequestLogOptions options) {
        return new MonitoringOptions(metricsEnabled, prometheusPath, options, statistics);
    }

    public MonitoringOptions withMetricsEnabled(boolean enabled) {
        return new MonitoringOptions(enabled, prometheusPath, requestLog, statistics);
    }

    public MonitoringOptions withStatistics(LiveStatisticsOptions options) {
        return new MonitoringOptions(metricsEnabled, prometheusPath, requestLog, options);
    }
}
