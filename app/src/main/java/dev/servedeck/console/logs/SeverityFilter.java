package dev.servedeck.console.logs;

import dev.servedeck.console.backend.ServerEvent.Severity;

/** Which server events the Logs page shows, by severity. */
public enum SeverityFilter {
    ALL("All severities"),
    WARNINGS_AND_ERRORS("Warnings and errors"),
    ERRORS("Errors only");

    private final String label;

    SeverityFilter(String label) {
        this.label = label;
    }

    public boolean accepts(Severity severity) {
        return switch (this) {
            case ALL -> true;
            case WARNINGS_AND_ERRORS -> severity != Severity.INFO;
            case ERRORS -> severity == Severity.ERROR;
        };
    }

    @Override
    public String toString() {
        return label;
    }
}
