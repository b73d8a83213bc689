package dev.servedeck.core.lifecycle;

import static dev.servedeck.core.servable.ManagerState.AVAILABLE;
import static dev.servedeck.core.servable.ManagerState.END;
import static dev.servedeck.core.servable.ManagerState.LOADING;
import static dev.servedeck.core.servable.ManagerState.START;
import static dev.servedeck.core.servable.ManagerState.UNLOADING;
import static org.assertj.core.api.Assertions.assertThat;

import dev.servedeck.core.servable.ManagerState;
import dev.servedeck.core.servable.ServableId;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AvailabilityPreservingPolicyTest {

    private static final boolean ASPIRED = true;
    private static final boolean UNASPIRED = false;

    private final AvailabilityPreservingPolicy policy = new AvailabilityPreservingPolicy();

    static Stream<Arguments> table() {
        return Stream.of(
                row("nothing to do for an empty stream", List.of(), none()),
                row("loads a new aspired version",
                        List.of(v(1, START, ASPIRED)), load(1)),
                row("loads the highest new aspired version first (latest 2)",
                        List.of(v(1, START, ASPIRED), v(2, START, ASPIRED)), load(2)),
                row("then the next one while the first loads",
                        List.of(v(1, START, ASPIRED), v(2, LOADING, ASPIRED)), load(1)),
                row("nothing once every aspired version is available",
                        List.of(v(1, AVAILABLE, ASPIRED), v(2, AVAILABLE, ASPIRED)), none()),
                row("swap: loads the new version before unloading the old one",
                        List.of(v(1, AVAILABLE, UNASPIRED), v(2, START, ASPIRED)), load(2)),
                row("swap: keeps the old version while the new one loads",
                        List.of(v(1, AVAILABLE, UNASPIRED), v(2, LOADING, ASPIRED)), none()),
                row("swap: unloads the old version once the new one is available",
                        List.of(v(1, AVAILABLE, UNASPIRED), v(2, AVAILABLE, ASPIRED)), unload(1)),
                row("failed new version keeps the old one serving",
                        List.of(v(1, AVAILABLE, UNASPIRED), v(2, END, ASPIRED)), none()),
                row("removal: unloads the lowest version when nothing is aspired",
                        List.of(v(2, AVAILABLE, UNASPIRED), v(1, AVAILABLE, UNASPIRED)), unload(1)),
                row("removal: then the next one",
                        List.of(v(1, UNLOADING, UNASPIRED), v(2, AVAILABLE, UNASPIRED)), unload(2)),
                row("more than one unaspired available: one of them is enough to bridge",
                        List.of(v(1, AVAILABLE, UNASPIRED), v(2, AVAILABLE, UNASPIRED), v(3, LOADING, ASPIRED)),
                        unload(1)),
                row("unloads before loading",
                        List.of(v(1, AVAILABLE, UNASPIRED), v(2, AVAILABLE, ASPIRED), v(3, START, ASPIRED)),
                        unload(1)),
                row("a version still loading is not unloaded",
                        List.of(v(1, LOADING, UNASPIRED)), none()),
                row("an unaspired new version is not loaded",
                        List.of(v(1, START, UNASPIRED)), none()),
                row("a failed version is not retried",
                        List.of(v(1, END, ASPIRED)), none()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void decidesTheNextAction(String description, List<AspiredServableStateSnapshot> versions,
            Optional<ServableAction> expected) {
        assertThat(policy.nextAction(versions)).isEqualTo(expected);
    }

    private static Arguments row(String description, List<AspiredServableStateSnapshot> versions,
            Optional<ServableAction> expected) {
        return Arguments.of(description, versions, expected);
    }

    private static AspiredServableStateSnapshot v(long version, ManagerState state, boolean aspired) {
        return new AspiredServableStateSnapshot(new ServableId("m", version), state, aspired);
    }

    private static Optional<ServableAction> load(long version) {
        return Optional.of(ServableAction.load(new ServableId("m", version)));
    }

    private static Optional<ServableAction> unload(long version) {
        return Optional.of(ServableAction.unload(new ServableId("m", version)));
    }

    private static Optional<ServableAction> none() {
        return Optional.empty();
    }
}
