/**
 * The load engine: one way to send load for the command line ({@code servedeck-bench}), the console's Monitor
 * page and the benchmark. A {@link dev.servedeck.core.loadgen.LoadRun} drives a
 * {@link dev.servedeck.core.loadgen.LoadTarget} (REST in {@code loadgen.rest}, gRPC in {@code loadgen.grpc})
 * with a {@link dev.servedeck.core.loadgen.LoadPlan}: a fixed concurrency (closed loop) or a fixed rate (open
 * loop, latency measured from each request's intended send time), recorded in HdrHistogram, the one
 * third-party library of this package.
 */
package dev.servedeck.core.loadgen;
