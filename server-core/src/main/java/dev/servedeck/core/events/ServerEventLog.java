package dev.servedeck.core.events;

import dev.servedeck.core.ConfigChangeListener;
import dev.servedeck.core.batching.BatchingOptions;
import dev.servedeck.core.batching.BatchingParametersFile;
import dev.servedeck.core.servable.ManagerState;
import dev.servedeck.core.servable.ServableState;
import dev.servedeck.core.status.Code;
import dev.servedeck.core.status.ServingException;
import dev.servedeck.proto.config.ModelConfig;
import dev.servedeck.proto.config.ModelServerConfig;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's events in one numbered sequence: version state changes (from the state feed), model configs applied
 * or refused and live batching changes (from the core). Keeps the latest {@code retained} events, so that a watcher
 * whose connection dropped can resume after the last sequence it saw and miss nothing the log still holds.
 *
 * <p>Thread-safe. Events are numbered and handed to subscribers under one lock, so every subscriber sees them in
 * sequence order; subscribers are called on the thread that caused the event (the manager thread, a reload), so they
 * must be quick and must not block.
 */
public final class ServerEventLog implements ConfigChangeListener, Consumer<ServableState> {

    private static final Logger LOG = LoggerFactory.getLogger(ServerEventLog.class);

    /** Events kept for resuming watchers by default: a few minutes of a busy rollout. */
    public static final int DEFAULT_RETAINED = 1000;

    private final int retained;
    private final Clock clock;
    private final ArrayDeque<ServerEvent> recent;
    private final List<Consumer<ServerEvent>> subscribers = new CopyOnWriteArrayList<>();
    private long lastSequence;

    public ServerEventLog(int retained, Clock clock) {
        if (retained < 1) {
            throw new IllegalArgumentException("retained must be positive, was " + retained);
        }
        this.retained = retained;
        this.clock = clock;
        this.recent = new ArrayDeque<>(retained);
    }

    /** A version changed state (the state feed's listener). */
    @Override
    public void accept(ServableState state) {
        append(state.time(), ServerEvent.Kind.VERSION_STATE, state.id().name(), state.id().version(),
                Optional.of(state.state()), state.health().code(), state.health().message());
    }

    @Override
    public void configApplied(ModelServerConfig config) {
        List<ModelConfig> models = config.getModelConfigList().getConfigList();
        append(clock.instant(), ServerEvent.Kind.CONFIG_APPLIED, "", 0, Optional.empty(), Code.OK,
                models.size() + " model(s): " + models.stream().map(ModelConfig::getName)
                        .collect(Collectors.joining(", ")));
    }

    @Override
    public void configRefused(ServingException reason) {
        append(clock.instant(), ServerEvent.Kind.CONFIG_REFUSED, "", 0, Optional.empty(), reason.code(),
                reason.getMessage());
    }

    @Override
    public void batchingChanged(BatchingOptions options) {
        append(clock.instant(), ServerEvent.Kind.BATCHING_CHANGED, "", 0, Optional.empty(), Code.OK,
                BatchingParametersFile.print(options));
    }

    private synchronized void append(Instant time, ServerEvent.Kind kind, String model, long version,
            Optional<ManagerState> state, Code status, String message) {
        ServerEvent event = new ServerEvent(++lastSequence, time, kind, model, version, state, status, message);
        if (recent.size() == retained) {
            recent.removeFirst();
        }
        recent.addLast(event);
        for (Consumer<ServerEvent> subscriber : subscribers) {
            try {
                subscriber.accept(event);
            } catch (RuntimeException e) {
                LOG.warn("A server event subscriber failed; ignoring it", e);
            }
        }
    }

    /** The sequence number of the latest event; 0 before the first. */
    public synchronized long lastSequence() {
        return lastSequence;
    }

    /**
     * Subscribes to every event after {@code afterSequence}: first, on this thread, {@code lost} is told how many of
     * those the log no longer holds (when there are any) and {@code subscriber} gets the ones it holds, oldest first;
     * then, on the threads that cause them, every new one. Nothing falls between the two.
     *
     * @param afterSequence the last event the subscriber has seen; 0 for none (it then gets every event held)
     * @return closing it unsubscribes
     */
    public synchronized AutoCloseable subscribe(long afterSequence, LongConsumer lost,
            Consumer<ServerEvent> subscriber) {
        Objects.requireNonNull(subscriber, "subscriber");
        long after = afterSequence > lastSequence ? 0 : Math.max(0, afterSequence);
        long oldestHeld = recent.isEmpty() ? lastSequence + 1 : recent.peekFirst().sequence();
        if (after > 0 && after + 1 < oldestHeld) {
            lost.accept(oldestHeld - after - 1);
        }
        for (ServerEvent event : recent) {
            if (event.sequence() > after) {
                subscriber.accept(event);
            }
        }
        Consumer<ServerEvent> subscription = subscriber::accept;
        subscribers.add(subscription);
        return () -> subscribers.remove(subscription);
    }
}
