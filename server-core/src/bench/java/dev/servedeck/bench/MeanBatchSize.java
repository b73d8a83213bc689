package dev.servedeck.bench;

import java.util.List;
import java.util.OptionalDouble;

/**
 * Rows per batch the server formed between two scrapes of its Prometheus endpoint, from the first pair of
 * counters it exposes: ServeDeck's own batching counters, else TF Serving's input batch size histogram
 * (its _sum is rows, its _count batches). Without either, "n/a": the batch scheduler's metrics are not
 * exposed by this build.
 *
 * @param mean   rows / batches, empty when unknown
 * @param source which metrics gave it, or why it is unknown
 */
record MeanBatchSize(OptionalDouble mean, String source) {

    private record Counters(String rows, String batches) {
    }

    private static final List<Counters> CANDIDATES = List.of(
            new Counters("servedeck_batching_rows_total", "servedeck_batching_batches_total"),
            new Counters(":tensorflow:serving:batching_session:input_batch_size_sum",
                    ":tensorflow:serving:batching_session:input_batch_size_count"));

    static MeanBatchSize between(PrometheusScrape before, PrometheusScrape after) {
        for (Counters counters : CANDIDATES) {
            OptionalDouble rows = difference(before, after, counters.rows());
            OptionalDouble batches = difference(before, after, counters.batches());
            if (rows.isPresent() && batches.isPresent()) {
                if (batches.getAsDouble() <= 0) {
                    return new MeanBatchSize(OptionalDouble.empty(), "no batches counted in "
                            + counters.batches());
                }
                return new MeanBatchSize(OptionalDouble.of(rows.getAsDouble() / batches.getAsDouble()),
                        counters.rows() + " / " + counters.batches());
            }
        }
        return new MeanBatchSize(OptionalDouble.empty(), "no batching metrics on the Prometheus endpoint");
    }

    static MeanBatchSize notBatching() {
        return new MeanBatchSize(OptionalDouble.of(1), "batching off: every request runs alone");
    }

    String label() {
        return mean.isPresent() ? String.format("%.1f", mean.getAsDouble()) : "n/a";
    }

    private static OptionalDouble difference(PrometheusScrape before, PrometheusScrape after, String name) {
        OptionalDouble first = before.total(name);
        OptionalDouble last = after.total(name);
        return first.isPresent() && last.isPresent() ? OptionalDouble.of(last.getAsDouble() - first.getAsDouble())
                : OptionalDouble.empty();
    }
}
