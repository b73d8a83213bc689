package dev.servedeck.core.metrics;

import dev.servedeck.core.MetricsExposition;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Scrapes the registry and writes it with the client library's own writers: OpenMetrics when the Accept
 * header asks for {@code application/openmetrics-text}, else the Prometheus text format. (The protobuf
 * format needs a module Maven Central does not serve here, so a scraper asking for it gets text.)
 */
final class PrometheusExposition implements MetricsExposition {

    private final PrometheusRegistry registry;
    private final ExpositionFormats formats = ExpositionFormats.init();

    PrometheusExposition(PrometheusRegistry registry) {
        this.registry = registry;
    }

    @Override
    public String contentType(String acceptHeader) {
        return writerFor(acceptHeader).getContentType();
    }

    @Override
    public void write(OutputStream out, String acceptHeader) throws IOException {
        writerFor(acceptHeader).write(out, registry.scrape());
    }

    private ExpositionFormatWriter writerFor(String acceptHeader) {
        ExpositionFormatWriter writer = formats.findWriter(acceptHeader);
        return writer.isAvailable() ? writer : formats.getPrometheusTextFormatWriter();
    }
}
