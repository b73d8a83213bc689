package dev.servedeck.console.backend.tfserving;

import dev.servedeck.console.backend.tfserving.PrometheusText.Sample;
import dev.servedeck.core.metrics.ServingStatistics;
import dev.servedeck.core.metrics.StatisticsSnapshot;
import dev.servedeck.core.metrics.WindowStatistics;
import dev.servedeck.core.status.Code;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One scrape of a TF Serving Prometheus endpoint, reduced to what the console draws: per model, the cumulative
 * request counts by status and the cumulative latency histogram. Two readings give the numbers of the time between
 * them ({@link #since}): TF Serving's counters only grow, so a window's figures are differences.
 *
 * @param takenAt when the scrape answered
 * @param requests per model, requests by status name ({@code OK}, {@code INVALID_ARGUMENT}, ...)
 * @param latencyBuckets per model, requests at or under each bucket's upper bound in microseconds (cumulative)
 * @param loadedPaths version folders TensorFlow's SavedModel loader reported ({@code load_attempt_count})
 */
record PrometheusReading(Instant takenAt, Map<String, Map<String, Double>> requests,
        Map<String, TreeMap<Double, Double>> latencyBuckets, Set<String> loadedPaths) {

    static final String REQUEST_COUNT = ":tensorflow:serving:request_count";
    static final String REQUEST_LATENCY_BUCKET = ":tensorflow:serving:request_latency_bucket";
    static final String LOAD_ATTEMPT_COUNT = ":tensorflow:cc:saved_model:load_attempt_count";

    /** A version folder: {@code .../<model folder>/<digits>}, with or without a trailing slash. */
    private static final Pattern VERSION_FOLDER = Pattern.compile(".*[/\\\\]([^/\\\\]+)[/\\\\]\\d+[/\\\\]?");

    static PrometheusReading of(Instant takenAt, String exposition) {
        Map<String, Map<String, Double>> requests = new TreeMap<>();
        Map<String, TreeMap<Double, Double>> latency = new TreeMap<>();
        Set<String> paths = new TreeSet<>();
        for (Sample sample : PrometheusText.parse(exposition)) {
            switch (sample.name()) {
                case REQUEST_COUNT -> requests.computeIfAbsent(sample.label("model_name"), m -> new TreeMap<>())
                        .merge(sample.label("status"), sample.value(), Double::sum);
                case REQUEST_LATENCY_BUCKET -> {
                    Double bound = bound(sample.label("le"));
                    if (bound != null) {
                        // Summed over API, entrypoint and status: the console draws a model's latency.
                        latency.computeIfAbsent(sample.label("model_name"), m -> new TreeMap<>())
                                .merge(bound, sample.value(), Double::sum);
                    }
                }
                case LOAD_ATTEMPT_COUNT -> paths.add(sample.label("model_path"));
                default -> { }
            }
        }
        return new PrometheusReading(takenAt, requests, latency, paths);
    }

    /**
     * Model names this scrape names: those with requests, and the folder above each version folder TensorFlow
     * loaded (TF Serving labels loads by path, not by name; the folder is the model's name by convention, so the
     * backend keeps such a name only once GetModelStatus knows it).
     */
    Set<String> modelNames() {
        Set<String> names = new TreeSet<>(requests.keySet());
        names.remove("");
        for (String path : loadedPaths) {
            Matcher folder = VERSION_FOLDER.matcher(path);
            if (folder.matches()) {
                names.add(folder.group(1));
            }
        }
        return names;
    }

    /**
     * The numbers of the time since {@code before}: requests and errors per second, latency percentiles at the
     * upper bound of the bucket they fall in (TF Serving's buckets grow by 1.8x, so that is their resolution).
     * Rows are not in TF Serving's metrics: 0. A counter that went down (the server restarted) counts from 0.
     */
    StatisticsSnapshot since(PrometheusReading before) {
        Duration window = Duration.between(before.takenAt, takenAt);
        if (window.isNegative() || window.isZero()) {
            window = Duration.ofMillis(1);
        }
        Map<String, ServingStatistics> models = new HashMap<>();
        Map<String, Double> allRequests = new TreeMap<>();
        TreeMap<Double, Double> allLatency = new TreeMap<>();
        Set<String> names = new TreeSet<>(requests.keySet());
        names.addAll(latencyBuckets.keySet());
        for (String model : names) {
            Map<String, Double> counts = delta(requests.getOrDefault(model, Map.of()),
                    before.requests.getOrDefault(model, Map.of()));
            TreeMap<Double, Double> buckets = new TreeMap<>(delta(latencyBuckets.getOrDefault(model, new TreeMap<>()),
                    before.latencyBuckets.getOrDefault(model, new TreeMap<>())));
            counts.forEach((status, count) -> allRequests.merge(status, count, Double::sum));
            buckets.forEach((bound, count) -> allLatency.merge(bound, count, Double::sum));
            if (!model.isEmpty()) {
                models.put(model, statistics(window, counts, buckets));
            }
        }
        return new StatisticsSnapshot(takenAt, statistics(window, allRequests, allLatency), models, Map.of(),
                Optional.empty());
    }

    private static <K> Map<K, Double> delta(Map<K, Double> now, Map<K, Double> before) {
        Map<K, Double> delta = new HashMap<>();
        now.forEach((key, value) -> {
            double previous = before.getOrDefault(key, 0.0);
            delta.put(key, value >= previous ? value - previous : value);
        });
        return delta;
    }

    private static ServingStatistics statistics(Duration window, Map<String, Double> counts,
            TreeMap<Double, Double> buckets) {
        long total = Math.round(counts.values().stream().mapToDouble(Double::doubleValue).sum());
        Map<Code, Long> errors = new EnumMap<>(Code.class);
        counts.forEach((status, count) -> {
            if (!status.equals("OK") && count > 0) {
                errors.merge(code(status), Math.round(count), Long::sum);
            }
        });
        double seconds = window.toNanos() / 1e9;
        WindowStatistics numbers = new WindowStatistics(window, total, 0, total / seconds, 0,
                percentile(buckets, 0.50), percentile(buckets, 0.95), percentile(buckets, 0.99),
                percentile(buckets, 1.0), errors);
        return new ServingStatistics(numbers, numbers);
    }

    /** The upper bound of the bucket holding quantile {@code q}; 0 without requests. */
    private static long percentile(TreeMap<Double, Double> cumulative, double q) {
        Double all = cumulative.get(Double.POSITIVE_INFINITY);
        if (all == null || all <= 0) {
            return 0;
        }
        double rank = q * all;
        double highestFinite = 0;
        for (Map.Entry<Double, Double> bucket : cumulative.entrySet()) {
            if (bucket.getKey().isInfinite()) {
                break;
            }
            highestFinite = bucket.getKey();
            if (bucket.getValue() >= rank) {
                return Math.round(bucket.getKey());
            }
        }
        return Math.round(highestFinite);
    }

    private static Double bound(String le) {
        if (le.equals("+Inf")) {
            return Double.POSITIVE_INFINITY;
        }
        try {
            return Double.parseDouble(le);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Code code(String status) {
        try {
            return Code.valueOf(status);
        } catch (IllegalArgumentException e) {
            return Code.UNKNOWN;
        }
    }

}
