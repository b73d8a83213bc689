package dev.servedeck.bench;

/**
 * The batching comparison of one run: the same MLP load against ServeDeck without and with batching, and
 * the in-process floor at the batch size batching aims for.
 *
 * @param parameters the batching parameters file the "on" server read
 * @param floor      one caller sending [{@value ServeDeckFlags#MAX_BATCH_SIZE}, 784] batches in process, with
 *                   TensorFlow's default threads (its fastest on this machine), whatever {@code threads} is
 * @param threads    the TensorFlow threads both servers ran with
 */
record BatchingComparison(BatchingResult off, BatchingResult on, FloorResult floor, String parameters,
        TensorflowThreads threads) {

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
