package dev.servedeck.bench;

import java.util.List;

/** wrk's threads and open connections; connections are the concurrency a server sees. */
record LoadLevel(int threads, int connections) {

    static final LoadLevel C1 = new LoadLevel(1, 1);
    static final LoadLevel C8 = new LoadLevel(2, 8);
    static final LoadLevel C64 = new LoadLevel(2, 64);

    static final List<LoadLevel> ALL = List.of(C1, C8, C64);

    String label() {
        return "c" + connections;
    }
}
