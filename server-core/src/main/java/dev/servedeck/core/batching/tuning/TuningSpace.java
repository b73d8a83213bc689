package dev.servedeck.core.batching.tuning;

import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The values the tuner may try for each parameter, each list rising. The defaults are a small grid that spans
 * what matters on a small machine: batches of 8 to 128 rows, one thread up to one per core, no timeout up to 5 ms.
 */
public record TuningSpace(List<Long> maxBatchSizes, List<Long> numBatchThreads, List<Long> batchTimeoutsMicros) {

    public TuningSpace {
        maxBatchSizes = rising(maxBatchSizes, 1);
        numBatchThreads = rising(numBatchThreads, 1);
        batchTimeoutsMicros = rising(batchTimeoutsMicros, 0);
    }

    /** For a server with {@code cores} processors. */
    public static TuningSpace defaults(int cores) {
        TreeSet<Long> threads = new TreeSet<>(List.of(1L, 2L, (long) Math.max(1, cores)));
        return new TuningSpace(List.of(8L, 16L, 32L, 64L, 128L), List.copyOf(threads),
                List.of(0L, 500L, 1000L, 2000L, 5000L));
    }

    public List<Long> values(TunedParameter parameter) {
        return Map.of(TunedParameter.MAX_BATCH_SIZE, maxBatchSizes, TunedParameter.NUM_BATCH_THREADS, numBatchThreads,
                TunedParameter.BATCH_TIMEOUT_MICROS, batchTimeoutsMicros).get(parameter);
    }

    private static List<Long> rising(List<Long> values, long least) {
        TreeSet<Long> sorted = new TreeSet<>(values);
        if (!sorted.isEmpty() && sorted.first() < least) {
            throw new IllegalArgumentException("tuning values must be at least " + least + ": " + values);
        }
        return List.copyOf(sorted);
    }
}
