package dev.servedeck.console.logs;

/** Which logged requests the Logs page shows, by outcome. */
public enum StatusFilter {
    ALL("All statuses"),
    OK("OK only"),
    ERRORS("Errors only");

    private final String label;

    StatusFilter(String label) {
        this.label = label;
    }

    public boolean accepts(boolean ok) {
        return switch (this) {
            case ALL -> true;
            case OK -> ok;
            case ERRORS -> !ok;
        };
    }

    @Override
    public String toString() {
        return label;
    }
}
