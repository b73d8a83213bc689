package dev.servedeck.core.rest;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.servedeck.core.MetricsExposition;
import dev.servedeck.core.ServerHealth;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/** Answers the monitoring paths: the metrics scrape and the health check. Runs on a request thread. */
final class MonitoringHandler {

    private static final int INITIAL_METRICS_BYTES = 16 * 1024;

    private final MonitoringRoutes routes;
    private final JsonFactory json;

    MonitoringHandler(MonitoringRoutes routes, JsonFactory json) {
        this.routes = routes;
        this.json = json;
    }

    RestResponse handle(RouteMatch.Monitoring route, String acceptHeader, boolean closing, ByteBufAllocator alloc) {
        return switch (route.kind()) {
            case METRICS -> metrics(routes.exposition().orElseThrow(), acceptHeader, alloc);
            case HEALTH -> health(closing ? ServerHealth.notReady("Server is shutting down")
                    : routes.health().orElseThrow().get(), alloc);
        };
    }

    private static RestResponse metrics(MetricsExposition exposition, String acceptHeader, ByteBufAllocator alloc) {
        ByteBuf buffer = alloc.buffer(INITIAL_METRICS_BYTES);
        boolean written = false;
        try (OutputStream out = new ByteBufOutputStream(buffer)) {
            exposition.write(out, acceptHeader);
            written = true;
            return new RestResponse(HttpResponseStatus.OK, buffer, null, exposition.contentType(acceptHeader));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (!written) {
                buffer.release();
            }
        }
    }

    private RestResponse health(ServerHealth health, ByteBufAllocator alloc) {
        ByteBuf buffer = alloc.buffer(128);
        boolean written = false;
        try (JsonGenerator g = json.createGenerator((OutputStream) new ByteBufOutputStream(buffer), JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeStringField("status", health.ready() ? "ready" : "not ready");
            if (!health.ready()) {
                g.writeStringField("reason", health.reason());
            }
            g.writeEndObject();
            written = true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (!written) {
                buffer.release();
            }
        }
        return new RestResponse(health.ready() ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE, buffer);
    }
}
