package dev.servedeck.console.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servedeck.console.backend.ServerStatus;
import dev.servedeck.console.connections.ActiveServer;
import dev.servedeck.console.connections.Connection;
import dev.servedeck.console.connections.ConnectionStore;
import dev.servedeck.console.connections.OpenBackends;
import dev.servedeck.console.models.ModelRow;
import dev.servedeck.console.models.ModelsViewModel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.prefs.Preferences;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Fleet page's ViewModel against three real servers (and one nobody can open), without a toolkit: what each row
 * says, a server stopped while watched, opening a row, and which backends stay open. A single "UI" thread stands in
 * for the FX thread; ticks are driven by the test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FleetViewModelTest {

    @TempDir
    static Path dir;

    private FleetServers servers;
    private final Preferences node = Preferences.userRoot().node("/dev/servedeck/test/" + UUID.randomUUID());
    private final ExecutorService ui = Executors.newSingleThreadExecutor();
    private final ExecutorService work = Executors.newFixedThreadPool(2);

    @BeforeAll
    void startServers() throws Exception {
        servers = new FleetServers(dir);
        servers.saveConnections(new ConnectionStore(node));
    }

    @AfterAll
    void stopServers() throws Exception {
        ui.shutdownNow();
        work.shutdownNow();
        servers.close();
        node.removeNode();
    }

    @Test
    void showsEveryServerStoppedOneAmberBrokenVersionRedGoneUnreachableAndOpensARow() throws Exception {
        OpenBackends open = new OpenBackends(servers.factory());
        ActiveServer server = new ActiveServer(open, Connection.EMBEDDED);
        FleetViewModel fleet = new FleetViewModel(new ConnectionStore(node), Optional.empty(), open, server,
                ui, work);
        onUi(() -> {
            fleet.setShown(true);
            return null;
        });
        assertThat(onUi(() -> fleet.rows().stream().map(row -> row.connection().name()).toList()))
                .containsExactly("Embedded server", "edge-b", "edge-c", "gone");

        // Traffic on edge-c while it is watched: its req/s trend rises above zero.
        CompletableFuture<Void> traffic = CompletableFuture.runAsync(() -> {
            try {
                for (int i = 0; i < 40; i++) {
                    FleetServers.predict(servers.c, "charlie", 1);
                    Thread.sleep(50);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        tickUntil(fleet, rows -> Arrays.stream(reading(rows, "edge-c").requestTrend()).anyMatch(rps -> rps > 0)
                && reading(rows, "Embedded server").state().isPresent()
                && reading(rows, "edge-b").worst().filter(FleetProblem.VERSION_FAILED::equals).isPresent()
                && reading(rows, "gone").worst().isPresent());
        traffic.get(1, TimeUnit.MINUTES);
        List<FleetRow> rows = onUi(() -> List.copyOf(fleet.rows()));

        FleetReading embedded = reading(rows, "Embedded server");
        assertThat(embedded.state()).contains(ServerStatus.State.RUNNING);
        assertThat(embedded.models()).isEqualTo(1);
        assertThat(embedded.availableVersions()).isEqualTo(1);
        assertThat(embedded.problems()).isEmpty();
        assertThat(embedded.managed()).isTrue();
        // The embedded server's process is this JVM: its CPU is measured and its memory is resident memory.
        assertThat(embedded.memoryIsResident()).isEqualTo(System.getProperty("os.name").startsWith("Linux"));
        assertThat(embedded.memoryBytes()).isPositive();

        FleetReading b = reading(rows, "edge-b");
        assertThat(b.state()).contains(ServerStatus.State.RUNNING);
        assertThat(b.models()).isEqualTo(2);
        assertThat(b.availableVersions()).isEqualTo(2);
        assertThat(b.worst()).contains(FleetProblem.VERSION_FAILED);
        assertThat(b.worst().orElseThrow().severity()).isEqualTo(FleetProblem.Severity.ERROR);
        assertThat(b.detail()).startsWith("broken version 1: ");
        assertThat(b.managed()).isFalse();

        FleetReading c = reading(rows, "edge-c");
        assertThat(c.problems()).isEmpty();
        assertThat(c.availableVersions()).isEqualTo(1);

        FleetReading gone = reading(rows, "gone");
        assertThat(gone.worst()).contains(FleetProblem.UNREACHABLE);
        assertThat(gone.detail()).isEqualTo("Cannot open a backend for gone: nothing listens at http://127.0.0.1:9");
        assertThat(gone.state()).isEmpty();

        // edge-c stops while watched: its row says so; the others are unaffected.
        servers.c.stop().get(1, TimeUnit.MINUTES);
        tickUntil(fleet, now -> reading(now, "edge-c").state().filter(ServerStatus.State.STOPPED::equals).isPresent());
        rows = onUi(() -> List.copyOf(fleet.rows()));
        FleetReading stopped = reading(rows, "edge-c");
        assertThat(stopped.worst()).contains(FleetProblem.NOT_READY);
        assertThat(stopped.worst().orElseThrow().severity()).isEqualTo(FleetProblem.Severity.WARNING);
        assertThat(stopped.detail()).isEqualTo("the server is stopped");
        assertThat(stopped.requestsPerSecond()).isNaN();
        assertThat(reading(rows, "Embedded server").problems()).isEmpty();
        assertThat(reading(rows, "Embedded server").state()).contains(ServerStatus.State.RUNNING);
        assertThat(reading(rows, "edge-b").worst()).contains(FleetProblem.VERSION_FAILED);
        assertThat(onUi(() -> fleet.summaryProperty().get()))
                .isEqualTo("4 servers · 2 serving · 3 with problems · managed now: Embedded server");

        // Opening edge-b makes it the managed server; the Models page follows without re-wiring.
        ModelsViewModel models = onUi(() -> new ModelsViewModel(server.backend(), ui));
        assertThat(onUi(() -> names(models))).containsExactly("alpha");
        FleetRow rowB = rows.stream().filter(row -> row.connection().equals(servers.edgeB)).findFirst().orElseThrow();
        onUi(() -> fleet.open(rowB)).get(30, TimeUnit.SECONDS);
        assertThat(server.connection()).isEqualTo(servers.edgeB);
        waitUntil(() -> onUi(() -> names(models)).equals(List.of("bravo", "broken")));
        assertThat(onUi(() -> fleet.operation().noticeProperty().get()))
                .isEqualTo("Now managing edge-b: the other pages show it");
        tickUntil(fleet, now -> reading(now, "edge-b").managed() && !reading(now, "Embedded server").managed());
        // The embedded server keeps serving while another server is managed.
        assertThat(servers.embedded.status().running()).isTrue();

        // Leaving the page lets go of what only the page watched; the managed server stays open.
        onUi(() -> {
            fleet.setShown(false);
            return null;
        });
        waitUntil(() -> !open.isOpen(servers.edgeC)); // released off the UI thread: edge-c was watched only here
        assertThat(open.isOpen(servers.edgeB)).as("edge-b: managed").isTrue();
        assertThat(open.isOpen(Connection.EMBEDDED)).as("the console's own server").isTrue();

        // Back to the embedded server: edge-b, no longer managed nor watched, is closed.
        server.open(Connection.EMBEDDED);
        assertThat(open.isOpen(servers.edgeB)).isFalse();
        waitUntil(() -> onUi(() -> names(models)).equals(List.of("alpha")));
        onUi(() -> {
            models.close();
            return null;
        });
        server.close();
        open.close();
    }

    private static List<String> names(ModelsViewModel models) {
        return models.models().stream().map(ModelRow::name).toList();
    }

    private static FleetReading reading(List<FleetRow> rows, String name) {
        return rows.stream().filter(row -> row.connection().name().equals(name)).findFirst().orElseThrow().reading();
    }

    /** Ticks as the refresh thread does (twice a second here, to be quick) until the rows show what is expected. */
    private void tickUntil(FleetViewModel fleet, Predicate<List<FleetRow>> expected) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            fleet.sample();
            List<FleetRow> rows = onUi(() -> List.copyOf(fleet.rows()));
            if (expected.test(rows)) {
                return;
            }
            if (System.nanoTime() > until) {
                throw new AssertionError("The fleet never showed what was expected: " + rows);
            }
            Thread.sleep(500);
        }
    }

    private static void waitUntil(Callable<Boolean> condition) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.call()) {
            if (System.nanoTime() > until) {
                throw new AssertionError("Timed out");
            }
            Thread.sleep(50);
        }
    }

    private <T> T onUi(Callable<T> call) throws Exception {
        return ui.submit(call).get(30, TimeUnit.SECONDS);
    }
}
