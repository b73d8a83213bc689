package dev.servedeck.core.metrics;

import java.util.Objects;

/** The numbers of one model version, one model or the whole server, over the short and the long window. */
public record ServingStatistics(WindowStatistics shortWindow, WindowStatistics longWindow) {

    public ServingStatistics {
        Objects.requireNonNull(shortWindow, "shortWindow");
        Objects.requireNonNull(longWindow, "longWindow");
    }
}
