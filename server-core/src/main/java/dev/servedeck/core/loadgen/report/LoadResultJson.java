package dev.servedeck.core.loadgen.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.servedeck.core.loadgen.Latencies;
import dev.servedeck.core.loadgen.LoadPlan;
import dev.servedeck.core.loadgen.LoadResult;

/**
 * A run's result as JSON, for scripts and CI: field names are part of the command line's contract (see
 * docs/load-engine.md), latencies in microseconds.
 */
public final class LoadResultJson {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private LoadResultJson() {
    }

    public static String write(LoadResult result) {
        return text(node(result));
    }

    /** The result as a JSON object, for reports that hold several (a sweep's points). */
    static ObjectNode node(LoadResult result) {
        ObjectNode root = JSON.createObjectNode();
        root.put("target", result.target());
        LoadPlan plan = result.plan();
        ObjectNode load = root.putObject("plan");
        load.put("mode", plan.openLoop() ? "open_loop" : "closed_loop");
        load.put("concurrency", plan.concurrency());
        if (plan.openLoop()) {
            load.put("rate_per_second", plan.ratePerSecond());
        }
        if (plan.duration() != null) {
            load.put("duration_seconds", plan.duration().toNanos() / 1e9);
        } else {
            load.put("requests", plan.requests());
        }
        load.put("warm_up_seconds", plan.warmUp().toNanos() / 1e9);
        load.put("timeout_seconds", plan.timeout().toNanos() / 1e9);
        root.put("rows_per_request", result.rowsPerRequest());
        root.put("measured_seconds", result.measured().toNanos() / 1e9);
        root.put("sent", result.sent());
        root.put("answered", result.answered());
        root.put("ok", result.ok());
        root.put("failed", result.failed());
        root.put("unsent", result.unsent());
        root.put("requests_per_second", result.requestsPerSecond());
        root.put("rows_per_second", result.rowsPerSecond());
        root.put("coordinated_omission_corrected", result.coordinatedOmissionCorrected());
        Latencies latency = result.latency();
        ObjectNode micros = root.putObject("latency_micros");
        micros.put("count", latency.count());
        micros.put("mean", latency.meanMicros());
        micros.put("p50", latency.p50Micros());
        micros.put("p90", latency.p90Micros());
        micros.put("p99", latency.p99Micros());
        micros.put("p99_9", latency.p999Micros());
        micros.put("max", latency.maxMicros());
        ObjectNode statuses = root.putObject("statuses");
        result.statuses().forEach(statuses::put);
        ObjectNode errors = root.putObject("errors");
        result.errors().forEach(errors::put);
        return root;
    }

    static ObjectNode object() {
        return JSON.createObjectNode();
    }

    static String text(ObjectNode root) {
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
