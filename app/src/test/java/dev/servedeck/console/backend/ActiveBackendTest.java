package dev.servedeck.console.backend;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servedeck.console.testing.FakeBackend;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The pages' listeners stay on the active backend; a switch moves its forwarding and tells them. */
class ActiveBackendTest {

    private final FakeBackend first = new FakeBackend();
    private final FakeBackend second = new FakeBackend();
    private final ActiveBackend active = new ActiveBackend(first);
    private final List<String> heard = new CopyOnWriteArrayList<>();

    @Test
    void aSwitchMovesTheListenersAndTellsThePagesOnce() {
        active.onEvent(event -> heard.add("event " + event.source() + ": " + event.message()));
        active.onModelsChanged(() -> heard.add("models"));
        active.onServerChanged(() -> heard.add("server changed"));
        first.emit(event("first"));
        assertThat(heard).containsExactly("event server: first");

        heard.clear();
        active.switchTo(second, "Now managing edge-b (http://127.0.0.1:8501)");

        assertThat(heard).containsExactly("server changed", "event console: Now managing edge-b (http://127.0.0.1:8501)",
                "models");
        heard.clear();
        first.emit(event("from the server left behind"));
        first.fireModelsChanged();
        assertThat(heard).as("the previous server no longer reaches the pages").isEmpty();
        second.emit(event("second"));
        second.fireModelsChanged();
        assertThat(heard).containsExactly("event server: second", "models");

        second.state = ServerStatus.State.RUNNING;
        assertThat(active.status().state()).isEqualTo(ServerStatus.State.RUNNING);
        assertThat(active.current()).isSameAs(second);

        heard.clear();
        active.switchTo(second, "again");
        assertThat(heard).as("switching to the current backend does nothing").isEmpty();
    }

    @Test
    void closingDropsOnlyItsOwnSubscriptionsAndClosesNoBackend() {
        List<String> firstHeard = new ArrayList<>();
        first.onEvent(event -> firstHeard.add(event.message()));
        active.onEvent(event -> heard.add(event.message()));

        active.close();
        first.emit(event("after close"));

        assertThat(heard).isEmpty();
        assertThat(firstHeard).containsExactly("after close");
        assertThat(first.calls).doesNotContain("close");
    }

    private static ServerEvent event(String message) {
        return new ServerEvent(Instant.EPOCH, ServerEvent.Severity.INFO, "server", message);
    }
}
