package dev.servedeck.core.batching;

/** Rows {@code fromRow} (inclusive) to {@code toRow} (exclusive) of a request, as they sit in one batch. */
record TaskPiece(QueuedRequest request, int index, int fromRow, int toRow) {

    int rows() {
        return toRow - fromRow;
    }
}
