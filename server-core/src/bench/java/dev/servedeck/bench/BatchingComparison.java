package dev.servedeck.bench;

/**
 * The batching comparison of one run: the same MLP load against ServeDeck without and with batching, and
 * the in-process floor at the batch size batching aims for.
 *
 * @param parameters the batching parameters file the "on" server read
 * @param floor      one caller sending [{@value ServeDeckFlags#MAX_BATCH_SIZE}, 784] batches in process
 */
record BatchingComparison(BatchingResult off, BatchingResult on, FloorResult floor, String parameters) {

    double speedUp() {
        return on.wrk().requestsPerSecond() / off.wrk().requestsPerSecond();
    }

    double shareOfFloor() {
        return on.wrk().requestsPerSecond() / floor.rowsPerSecond();
    }

    double grpcSpeedUp() {
        return on.grpc().callsPerSecond() / off.grpc().callsPerSecond();
    }

    double grpcShareOfFloor() {
        return on.grpc().callsPerSecond() / floor.rowsPerSecond();
    }
}
