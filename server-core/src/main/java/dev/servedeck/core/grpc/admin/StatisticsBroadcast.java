package dev.servedeck.core.grpc.admin;

import dev.servedeck.core.metrics.StatisticsSnapshot;
import dev.servedeck.proto.admin.v1.StatisticsUpdate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Feeds every statistics stream from the server's live statistics: on the streams' thread it reads the latest
 * snapshot (one field read) twice per step, as the console's sampler does, so each step is seen once; a new one is
 * turned into one message, shared by every stream. Nothing is read or built while no stream is open.
 */
final class StatisticsBroadcast {

    private final Supplier<StatisticsSnapshot> statistics;
    private final Duration step;
    private final List<StatisticsStream> streams = new ArrayList<>();
    private StatisticsSnapshot lastSeen;
    private long sequence;

    StatisticsBroadcast(Supplier<StatisticsSnapshot> statistics, Duration step, AdminStreams thread) {
        this.statistics = statistics;
        this.step = step;
        thread.every(step.dividedBy(2), this::tick);
    }

    /** Adds a stream (streams' thread); it gets the next step. */
    void add(StatisticsStream stream) {
        if (!stream.ended()) {
            streams.add(stream);
        }
    }

    private void tick() {
        streams.removeIf(StatisticsStream::ended);
        StatisticsSnapshot snapshot = statistics.get();
        if (snapshot == lastSeen) {
            return;
        }
        lastSeen = snapshot;
        sequence++;
        if (streams.isEmpty()) {
            return;
        }
        StatisticsUpdate update = StatisticsMessages.update(sequence, step, snapshot);
        for (StatisticsStream stream : streams) {
            stream.offer(update);
        }
    }
}
