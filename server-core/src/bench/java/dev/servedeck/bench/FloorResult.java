package dev.servedeck.bench;

/**
 * The in-process floor of one model: TensorFlow Java called directly, one thread.
 *
 * @param batchSize     rows per call (1 but for the batching floor)
 * @param threads       the session's TensorFlow threads
 * @param rowsPerSecond calls/s × rows per call; the MLP's throughput in its own unit
 */
record FloorResult(String model, int batchSize, TensorflowThreads threads, long calls, double p50Micros,
        double p99Micros, double callsPerSecond, double rowsPerSecond) {
}
