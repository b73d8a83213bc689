package dev.servedeck.console.logs;

import dev.servedeck.console.backend.ServerEvent;
import java.util.Locale;

/** A server event on the Logs page: a start or stop, a version's state change, an operation that failed. */
public record EventRow(String time, ServerEvent.Severity severity, String source, String message, String searchText)
        implements LogRow {

    public static EventRow of(ServerEvent event) {
        String time = TIME.format(event.time());
        return new EventRow(time, event.severity(), event.source(), event.message(),
                String.join("\t", time, event.severity().name(), event.source(), event.message()).toLowerCase(Locale.ROOT));
    }

    @Override
    public String asText() {
        return String.join("\t", time, severity.name(), source, message);
    }

    @Override
    public boolean matches(String needle) {
        return searchText.contains(needle);
    }
}
