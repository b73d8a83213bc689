package dev.servedeck.bench;

/**
 * ServeDeck's resident memory across a long half_plus_two run at concurrency 64.
 *
 * @param rssBeforeKib      ready and verified, before any load
 * @param firstRequests     requests wrk reported for the first, short stretch
 * @param rssAfterFirstKib  after that stretch: pools, JIT and heap have settled in
 * @param totalRequests     requests wrk reported in all
 * @param rssAfterTotalKib  after all of them: growth from here on would be a leak
 */
record MemoryResult(long rssBeforeKib, long firstRequests, long rssAfterFirstKib, long totalRequests,
        long rssAfterTotalKib) {

    double growthRatio() {
        return (double) rssAfterTotalKib / rssAfterFirstKib;
    }
}
