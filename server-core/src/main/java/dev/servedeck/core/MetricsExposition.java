package dev.servedeck.core;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Renders the server's metrics for a scraper. Front ends serve it without knowing the metrics library;
 * the format follows the scraper's Accept header (Prometheus text, or OpenMetrics when asked for).
 */
public interface MetricsExposition {

    /** The Content-Type of what {@link #write} produces for this Accept header (which may be null). */
    String contentType(String acceptHeader);

    void write(OutputStream out, String acceptHeader) throws IOException;
}
