package dev.servedeck.core.grpc.admin;

import dev.servedeck.proto.admin.v1.ScopeStatistics;
import dev.servedeck.proto.admin.v1.StatisticsUpdate;
import io.grpc.stub.ServerCallStreamObserver;
import java.util.Set;

/**
 * Live statistics to one client, newest only: each step replaces the one not yet sent, so a client that reads
 * slower than the steps come gets the newest step when it reads again and learns from {@code skipped} how many it
 * missed. The server holds at most one update per stream, whatever the client does. Runs on the streams' thread.
 */
final class StatisticsStream implements AdminStreams.OpenStream {

    private final ServerCallStreamObserver<StatisticsUpdate> call;
    private final AdminStreams streams;
    /** Models whose scopes the client wants; empty for every model. */
    private final Set<String> models;
    private StatisticsUpdate pending;
    /** Whether {@link #pending} waits for the client (read by the transport's thread, hence volatile). */
    private volatile boolean waiting;
    private long lastSentSequence;
    private boolean ended;

    StatisticsStream(ServerCallStreamObserver<StatisticsUpdate> call, AdminStreams streams, Set<String> models) {
        this.call = call;
        this.streams = streams;
        this.models = Set.copyOf(models);
    }

    /** Wires the stream to its call: sends when the client can take more, cleans up when it goes away. */
    void attach() {
        // Ready only once the previous update has gone out: the transport never holds a second one for this client.
        call.setOnReadyThreshold(1);
        // "Ready" comes after every update sent; only an update still waiting needs the streams' thread.
        call.setOnReadyHandler(() -> {
            if (waiting) {
                streams.execute(this::drain);
            }
        });
        call.setOnCancelHandler(() -> streams.execute(this::cancelled));
    }

    boolean ended() {
        return ended;
    }

    /** A new step: replaces the one still waiting, if any. */
    void offer(StatisticsUpdate update) {
        pending = update;
        drain();
    }

    private void drain() {
        if (ended || pending == null) {
            return;
        }
        // Set before asking, so that a "ready" arriving in between finds it set and brings the update out.
        waiting = true;
        if (!call.isReady()) {
            return;
        }
        waiting = false;
        long sequence = pending.getSequence();
        StatisticsUpdate.Builder update = pending.toBuilder()
                .setSkipped(lastSentSequence == 0 ? 0 : Math.max(0, sequence - lastSentSequence - 1));
        if (!models.isEmpty()) {
            update.clearScopes();
            for (ScopeStatistics scope : pending.getScopesList()) {
                if (scope.getModel().isEmpty() || models.contains(scope.getModel())) {
                    update.addScopes(scope);
                }
            }
        }
        pending = null;
        lastSentSequence = sequence;
        call.onNext(update.build());
    }

    @Override
    public void end() {
        if (!ended) {
            cancelled();
            call.onCompleted();
        }
    }

    private void cancelled() {
        ended = true;
        pending = null;
        streams.closed(this);
    }
}
