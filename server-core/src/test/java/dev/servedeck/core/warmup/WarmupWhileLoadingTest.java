package dev.servedeck.core.warmup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servedeck.core.lifecycle.AspiredVersion;
import dev.servedeck.core.lifecycle.AspiredVersionsManager;
import dev.servedeck.core.lifecycle.AvailabilityPreservingPolicy;
import dev.servedeck.core.lifecycle.FakeServable;
import dev.servedeck.core.lifecycle.ServableStateMonitor;
import dev.servedeck.core.servable.ManagerState;
import dev.servedeck.core.servable.ServableId;
import dev.servedeck.core.servable.ServableState;
import dev.servedeck.core.testing.WarmupFixtures;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Warmup runs inside the loader, so the manager (and everything fed by its state monitor: the status APIs, the
 * console's Models page) sees the version LOADING while its records replay, and AVAILABLE only afterwards.
 */
class WarmupWhileLoadingTest {

    private static final ServableId ID = new ServableId("m", 1);

    @TempDir
    Path versionDir;

    @Test
    void theVersionIsLoadingWhileItsRecordsReplay() throws Exception {
        WarmupFixtures.writeWarmup(versionDir, WarmupFixtures.predictHalfPlusTwo(1f), WarmupFixtures.predictHalfPlusTwo(2f));
        ServableStateMonitor monitor = new ServableStateMonitor();
        List<ManagerState> statesSeen = new CopyOnWriteArrayList<>();
        FakeServable servable = new FakeServable("m:1", () -> statesSeen.add(
                monitor.state(ID).map(ServableState::state).orElse(ManagerState.START)));
        try (AspiredVersionsManager manager = new AspiredVersionsManager(monitor, new AvailabilityPreservingPolicy(),
                1, 1, Clock.systemUTC())) {
            manager.setAspiredVersions("m", List.of(new AspiredVersion(ID, () -> {
                ModelWarmup.replay(servable, versionDir, 1);
                return servable;
            })));

            assertThat(monitor.awaitState(ID, s -> s.state() == ManagerState.AVAILABLE, Duration.ofSeconds(10))).isTrue();
        }
        assertThat(statesSeen).containsExactly(ManagerState.LOADING, ManagerState.LOADING);
    }
}
