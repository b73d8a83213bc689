package dev.servedeck.core.grpc.admin;

import dev.servedeck.core.ServerCore;
import dev.servedeck.core.events.ServerEventLog;
import dev.servedeck.core.metrics.StatisticsSnapshot;
import dev.servedeck.core.requestlog.RequestLog;
import dev.servedeck.core.servable.ServableState;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.function.Supplier;

/**
 * What the admin API reads and changes, handed to it by the server that registers it.
 *
 * @param core the config, labels and batching of the server
 * @param models the per-model operations
 * @param states every model version's latest state, by model name and version
 * @param statistics the live statistics' latest snapshot; absent when metrics are disabled
 * @param statisticsStep the live statistics' step (their short window)
 * @param events the server's numbered events
 * @param requestLog the sampled request log; absent when metrics are disabled
 * @param facts what the server is
 * @param maxStreams how many admin streams may be open at once
 */
public record AdminSources(
        ServerCore core,
        ModelOperations models,
        Supplier<Map<String, SortedMap<Long, ServableState>>> states,
        Optional<Supplier<StatisticsSnapshot>> statistics,
        Duration statisticsStep,
        ServerEventLog events,
        Optional<RequestLog> requestLog,
        ServerFacts facts,
        int maxStreams) {

    public AdminSources {
        Objects.requireNonNull(core, "core");
        Objects.requireNonNull(models, "models");
        Objects.requireNonNull(states, "states");
        Objects.requireNonNull(statistics, "statistics");
        Objects.requireNonNull(statisticsStep, "statisticsStep");
        Objects.requireNonNull(events, "events");
        Objects.requireNonNull(requestLog, "requestLog");
        Objects.requireNonNull(facts, "facts");
    }
}
