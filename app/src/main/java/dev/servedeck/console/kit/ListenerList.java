package dev.servedeck.console.kit;

import dev.servedeck.console.backend.Subscription;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listeners of one kind of news (server events, model changes, logged requests, connection changes), safe to
 * add, remove and call from any thread. One listener that throws is logged and the others still hear the news:
 * a broken page must not silence the rest of the console.
 *
 * <p>No JavaFX here: backends fire on their own threads, and listeners hop to the FX thread themselves
 * (through {@link FxCoalescer} when a burst should cost one redraw).
 */
public final class ListenerList<T> {

    private static final Logger LOG = LoggerFactory.getLogger(ListenerList.class);

    private final List<Consumer<T>> listeners = new CopyOnWriteArrayList<>();

    /** Adds {@code listener}; closing the subscription removes it (closing twice is harmless). */
    public Subscription add(Consumer<T> listener) {
        // A wrapper per subscription: the same listener added twice is two subscriptions, each removed alone.
        Consumer<T> entry = listener::accept;
        listeners.add(entry);
        return () -> listeners.remove(entry);
    }

    /** Tells every listener, on the calling thread. */
    public void fire(T news) {
        for (Consumer<T> listener : listeners) {
            try {
                listener.accept(news);
            } catch (RuntimeException e) {
                LOG.warn("A listener failed on {}", news, e);
            }
        }
    }

    public int size() {
        return listeners.size();
    }
}
