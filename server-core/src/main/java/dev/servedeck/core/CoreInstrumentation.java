package dev.servedeck.core;

import dev.servedeck.core.batching.BatchObserver;
import dev.servedeck.core.servable.ServableState;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * What the core tells monitoring, given at start so that the first model loads are seen too.
 *
 * @param modelRuns told the duration and phases of every model call
 * @param stateListener told every servable state change (on the manager thread; must be quick)
 * @param batchObserver told what the batch scheduler does, when batching is enabled
 */
public record CoreInstrumentation(ModelRunRecorder modelRuns, Consumer<ServableState> stateListener,
        BatchObserver batchObserver) {

    public static final CoreInstrumentation NONE = new CoreInstrumentation(ModelRunRecorder.NONE, state -> { },
            BatchObserver.NONE);

    public CoreInstrumentation {
        Objects.requireNonNull(modelRuns, "modelRuns");
        Objects.requireNonNull(stateListener, "stateListener");
        Objects.requireNonNull(batchObserver, "batchObserver");
    }
}
