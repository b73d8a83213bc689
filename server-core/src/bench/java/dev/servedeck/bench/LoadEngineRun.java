package dev.servedeck.bench;

/** One measured run of one load tool: its rate (req/s or calls/s), latencies and errors. */
record LoadEngineRun(double rate, double p50Micros, double p99Micros, long errors) {
}
