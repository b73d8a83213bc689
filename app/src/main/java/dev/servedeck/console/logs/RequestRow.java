package dev.servedeck.console.logs;

import dev.servedeck.core.requestlog.RequestLogEntry;
import dev.servedeck.core.status.Code;
import java.util.Locale;

/**
 * A logged request on the Logs page.
 *
 * @param version the version that served it; empty when the call failed before a version was chosen
 * @param status TF Serving's status code name ({@code OK}, {@code NOT_FOUND}, ...)
 */
public record RequestRow(String time, String model, String version, String signature, String api,
        String entrypoint, String status, boolean ok, long latencyMicros, long requestBytes, long responseBytes,
        String searchText) implements LogRow {

    public static RequestRow of(RequestLogEntry entry) {
        String time = TIME.format(entry.time());
        String version = entry.version().isPresent() ? Long.toString(entry.version().getAsLong()) : "";
        String status = entry.status().name();
        RequestRow row = new RequestRow(time, entry.model(), version, entry.signature(), entry.api(),
                entry.entrypoint(), status, entry.status() == Code.OK, entry.latencyMicros(), entry.requestBytes(),
                entry.responseBytes(), "");
        return row.withSearchText(row.asText().toLowerCase(Locale.ROOT));
    }

    private RequestRow withSearchText(String text) {
        return new RequestRow(time, model, version, signature, api, entrypoint, status, ok, latencyMicros,
                requestBytes, responseBytes, text);
    }

    @Override
    public String asText() {
        return String.join("\t", time, model, version, signature, api, entrypoint, status,
                Long.toString(latencyMicros), Long.toString(requestBytes), Long.toString(responseBytes));
    }

    @Override
    public boolean matches(String needle) {
        return searchText.contains(needle);
    }
}
