package dev.servedeck.bench;

/** One measured wrk run: which server, which request, how much concurrency, and what wrk saw. */
record HttpLoadResult(String server, Workload workload, LoadLevel level, WrkResult wrk) {
}
