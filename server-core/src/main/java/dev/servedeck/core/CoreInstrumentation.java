package dev.servedeck.core;

import dev.servedeck.core.servable.ServableState;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * What the core tells monitoring, given at start so that the first model loads are seen too.
 *
 * @param runtimeLatency told the duration of every model call
 * @param stateListener told every servable state change (on the manager thread; must be quick)
 */
public record CoreInstrumentation(RuntimeLatencyRecorder runtimeLatency, Consumer<ServableState> stateListener) {

    public static final CoreInstrumentation NONE = new CoreInstrumentation(RuntimeLatencyRecorder.NONE, state -> { });

    public CoreInstrumentation {
        Objects.requireNonNull(runtimeLatency, "runtimeLatency");
        Objects.requireNonNull(stateListener, "stateListener");
    }
}
