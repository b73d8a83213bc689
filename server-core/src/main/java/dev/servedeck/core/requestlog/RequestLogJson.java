package dev.servedeck.core.requestlog;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/**
 * One JSON object per entry, on one line: {@code time, model, version, signature, api, entrypoint, status,
 * latency_us, request_bytes, response_bytes} and, with bodies enabled, {@code request} and {@code response}.
 */
final class RequestLogJson {

    private final JsonFactory json = new JsonFactory();

    String line(RequestLogEntry entry) {
        StringWriter text = new StringWriter(256);
        try (JsonGenerator g = json.createGenerator(text)) {
            g.writeStartObject();
            g.writeStringField("time", entry.time().toString());
            g.writeStringField("model", entry.model());
            if (entry.version().isPresent()) {
                g.writeNumberField("version", entry.version().getAsLong());
            } else {
                g.writeNullField("version");
            }
            g.writeStringField("signature", entry.signature());
            g.writeStringField("api", entry.api());
            g.writeStringField("entrypoint", entry.entrypoint());
            g.writeStringField("status", entry.status().name());
            g.writeNumberField("latency_us", entry.latencyMicros());
            g.writeNumberField("request_bytes", entry.requestBytes());
            g.writeNumberField("response_bytes", entry.responseBytes());
            if (entry.requestBody().isPresent()) {
                g.writeFieldName("request");
                g.writeRawValue(entry.requestBody().get());
            }
            if (entry.responseBody().isPresent()) {
                g.writeFieldName("response");
                g.writeRawValue(entry.responseBody().get());
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }
}
