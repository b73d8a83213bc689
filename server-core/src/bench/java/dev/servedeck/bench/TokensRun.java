package dev.servedeck.bench;

/**
 * One measured run of the tokens A/B, REST or gRPC alike.
 *
 * @param rate requests (REST) or calls (gRPC) answered per second
 * @param cpuMicrosPerRequest the server's CPU time (user + system) over the run, per request answered
 * @param errors non-2xx answers and socket errors (REST), failed calls (gRPC)
 */
record TokensRun(double rate, double p50Micros, double p99Micros, double cpuMicrosPerRequest, long errors) {
}
