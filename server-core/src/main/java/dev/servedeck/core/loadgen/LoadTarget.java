package dev.servedeck.core.loadgen;

import java.io.IOException;

/**
 * Where load goes, over one protocol, with one prebuilt request. A run opens as many connections as its
 * concurrency and closes the target when it ends.
 */
public interface LoadTarget extends AutoCloseable {

    /** Opens one connection and waits until it can send (so the first measured requests pay no handshake). */
    LoadConnection connect() throws IOException, InterruptedException;

    /** What a report says load went to, e.g. {@code REST http://127.0.0.1:8501/v1/models/m:predict}. */
    String describe();

    /** Rows in one request (its batch size), for rows/s. */
    int rowsPerRequest();

    /** Closes what {@link #connect} shares (event loops, channels). */
    @Override
    void close();
}
