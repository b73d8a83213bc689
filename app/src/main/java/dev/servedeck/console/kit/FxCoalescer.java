package dev.servedeck.console.kit;

import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Turns many requests from any thread into at most one pending run of {@code update} on the FX thread: a burst
 * of model state changes (or ticks while the FX thread is behind) costs one redraw, and the FX queue never
 * grows with the server's pace.
 */
public final class FxCoalescer implements Runnable {

    private final Executor ui;
    private final Runnable update;
    private final AtomicBoolean pending = new AtomicBoolean();

    public FxCoalescer(Executor ui, Runnable update) {
        this.ui = ui;
        this.update = update;
    }

    /** Asks for one run of the update, unless one is already on its way (any thread). */
    @Override
    public void run() {
        if (pending.compareAndSet(false, true)) {
            ui.execute(() -> {
                // Cleared before the update runs: news arriving during it asks for one more run.
                pending.set(false);
                update.run();
            });
        }
    }
}
