package dev.servedeck.console.monitor;

import java.time.Duration;

/** How much history the charts show. The longest one is what the Monitor keeps in memory. */
public enum ChartWindow {
    ONE_MINUTE(Duration.ofMinutes(1), "Last minute"),
    FIVE_MINUTES(Duration.ofMinutes(5), "Last 5 minutes"),
    FIFTEEN_MINUTES(Duration.ofMinutes(15), "Last 15 minutes");

    /** The history kept per scope: the longest window. */
    public static final Duration LONGEST = FIFTEEN_MINUTES.length;

    private final Duration length;
    private final String label;

    ChartWindow(Duration length, String label) {
        this.length = length;
        this.label = label;
    }

    public Duration length() {
        return length;
    }

    public long millis() {
        return length.toMillis();
    }

    @Override
    public String toString() {
        return label;
    }
}
