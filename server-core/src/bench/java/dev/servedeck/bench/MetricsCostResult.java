package dev.servedeck.bench;

import java.util.List;

/**
 * half_plus_two c64 against ServeDeck with metrics off and on, measured alternately (off, on, off, on, ...).
 *
 * @param off            the measured runs with {@code --disable_metrics}, in order
 * @param on             the measured runs with Prometheus and the 1 % request log, in order
 * @param onFlags        what "on" means, as flags
 * @param requestLogLines lines the "on" server wrote to its request log (shows the log was really on)
 */
record MetricsCostResult(List<WrkResult> off, List<WrkResult> on, String onFlags, long requestLogLines) {

    double meanOff() {
        return mean(off);
    }

    double meanOn() {
        return mean(on);
    }

    /** The share of req/s that metrics cost; negative when "on" happened to be faster. */
    double cost() {
        return 1 - meanOn() / meanOff();
    }

    private static double mean(List<WrkResult> runs) {
        return runs.stream().mapToDouble(WrkResult::requestsPerSecond).average().orElseThrow();
    }
}
