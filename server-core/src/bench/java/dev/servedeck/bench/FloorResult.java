package dev.servedeck.bench;

/**
 * The in-process floor of one model: TensorFlow Java called directly, batch 1, one thread.
 *
 * @param rowsPerSecond calls/s × rows per call (1 here); the MLP's throughput in its own unit
 */
record FloorResult(String model, long calls, double p50Micros, double p99Micros, double callsPerSecond,
        double rowsPerSecond) {
}
