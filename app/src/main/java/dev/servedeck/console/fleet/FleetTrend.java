package dev.servedeck.console.fleet;

import java.util.Arrays;

/**
 * The recent numbers of one watched server, one point per Fleet tick, oldest first: what its sparklines draw and
 * what "errors rising" is judged on. A fixed ring of {@link #CAPACITY} points, so memory stays flat however long the
 * console watches. {@link Double#NaN} is a point without a value (server stopped, unreachable): a gap in the line.
 * Not thread-safe: the refresh thread owns it.
 */
final class FleetTrend {

    /** Five minutes at one point a second. */
    static final int CAPACITY = 300;

    private final double[] requestsPerSecond = new double[CAPACITY];
    private final double[] p99Millis = new double[CAPACITY];
    private final double[] errorsPerSecond = new double[CAPACITY];
    private int next;
    private int size;

    void add(double requests, double p99, double errors) {
        requestsPerSecond[next] = requests;
        p99Millis[next] = p99;
        errorsPerSecond[next] = errors;
        next = (next + 1) % CAPACITY;
        size = Math.min(size + 1, CAPACITY);
    }

    void addGap() {
        add(Double.NaN, Double.NaN, Double.NaN);
    }

    int size() {
        return size;
    }

    /** Requests per second, oldest first (a copy). */
    double[] requestsPerSecond() {
        return ordered(requestsPerSecond);
    }

    /** 99th percentile latency in milliseconds, oldest first (a copy). */
    double[] p99Millis() {
        return ordered(p99Millis);
    }

    /** Failed calls per second, oldest first (a copy). */
    double[] errorsPerSecond() {
        return ordered(errorsPerSecond);
    }

    private double[] ordered(double[] ring) {
        double[] out = new double[size];
        int start = (next - size + CAPACITY) % CAPACITY;
        for (int i = 0; i < size; i++) {
            out[i] = ring[(start + i) % CAPACITY];
        }
        return out;
    }

    @Override
    public String toString() {
        return "FleetTrend" + Arrays.toString(requestsPerSecond());
    }
}
