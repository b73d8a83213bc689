package dev.servedeck.console.testing;

import java.util.concurrent.Executor;

/** Runs "FX thread" work at once on the calling thread: ViewModel tests need no toolkit. */
public final class DirectExecutor implements Executor {

    @Override
    public void execute(Runnable command) {
        command.run();
    }
}
