package dev.servedeck.core.loadgen.sweep;

import dev.servedeck.core.loadgen.LoadResult;

/** One level of a sweep: its concurrency and what the run at that level measured. */
public record SweepPoint(int concurrency, LoadResult result) {

    public double requestsPerSecond() {
        return result.requestsPerSecond();
    }

    public double rowsPerSecond() {
        return result.rowsPerSecond();
    }

    public double p50Micros() {
        return result.latency().p50Micros();
    }

    public double p90Micros() {
        return result.latency().p90Micros();
    }

    public double p99Micros() {
        return result.latency().p99Micros();
    }

    /** Answers that were not a success, plus an open loop's requests that never found a connection. */
    public long errors() {
        return result.failed() + result.unsent();
    }
}
