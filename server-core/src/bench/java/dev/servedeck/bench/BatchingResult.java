package dev.servedeck.bench;

import dev.servedeck.core.grpc.GrpcLoadClient;

/**
 * One measured MLP c64 wrk run against a ServeDeck process of its own, batching off or on,
 * and the gRPC run that followed it.
 *
 * @param variant   "batching off" or "batching on"
 * @param flags     the ServeDeck flags that made the difference
 * @param wrk       what wrk saw; one row per request, so rows/s = req/s
 * @param batchSize rows per batch during the measured REST run
 * @param grpc      the same load over gRPC (binary tensors, no JSON), measured after the REST run
 * @param grpcBatchSize rows per batch during the measured gRPC run
 */
record BatchingResult(String variant, String flags, WrkResult wrk, MeanBatchSize batchSize,
        GrpcLoadClient.Result grpc, MeanBatchSize grpcBatchSize) {
}
