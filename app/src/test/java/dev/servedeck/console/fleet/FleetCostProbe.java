package dev.servedeck.console.fleet;

import dev.servedeck.console.ConsoleComposition;
import dev.servedeck.console.backend.ActiveBackend;
import dev.servedeck.console.backend.ConsoleBackend;
import dev.servedeck.console.backend.ModelSource;
import dev.servedeck.console.backend.ServerSettings;
import dev.servedeck.console.backend.embedded.EmbeddedBackend;
import dev.servedeck.console.connections.Connection;
import dev.servedeck.console.connections.ConnectionContext;
import dev.servedeck.console.connections.ConnectionStore;
import dev.servedeck.console.connections.SessionSecretStore;
import dev.servedeck.console.preferences.ConsolePreferences;
import dev.servedeck.console.shell.Page;
import dev.servedeck.console.shell.Themes;
import dev.servedeck.console.testing.TestModels;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.prefs.Preferences;
import javafx.application.Platform;
import javafx.stage.Stage;

/**
 * What the Fleet page costs the console while it watches ten servers, in a real window (GTK under Xvfb, as a user
 * runs it), as issue 18 asks (target: under 10% of one core). Not a test; run it from the test class path:
 *
 * <pre>
 * ./mvnw -B -q test-compile -pl app -am
 * ./mvnw -B -q -pl app dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * xvfb-run -a -s "-screen 0 1280x800x24" java -Dorg.bytedeco.javacpp.maxPhysicalBytes=0 \
 *     -cp app/target/test-classes:app/target/classes:$(cat app/target/cp.txt) dev.servedeck.console.fleet.FleetCostProbe
 * </pre>
 *
 * The ten servers are ServerCores in this JVM, idle ({@link FleetRemoteCostProbe} measures over remote servers):
 * the probe measures the process with the Fleet page shown and with the Server page shown, the servers the same in
 * both, so the difference is what watching them costs; the console's own threads (FX, renderer, refresh) are listed
 * too. Writes {@code app/target/fleet-cost.md}. {@code -Dprobe.seconds} (default 30) and {@code -Dprobe.warmupSeconds}
 * (default 60) change the windows.
 */
public final class FleetCostProbe {

    private static final int SERVERS = 10;
    private final long seconds = Long.getLong("probe.seconds", 30);
    private final long warmupSeconds = Long.getLong("probe.warmupSeconds", 60);
    private final List<String> lines = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        new FleetCostProbe().run();
        Platform.exit();
        System.exit(0);
    }

    private void run() throws Exception {
        EmbeddedBackend.configureTensorflowRuntime();
        Path dir = Files.createTempDirectory("fleet-cost");
        Path model = TestModels.halfPlusTwo(dir.resolve("half_plus_two"), 1);
        List<EmbeddedBackend> servers = new ArrayList<>();
        List<CompletableFuture<?>> started = new ArrayList<>();
        for (int i = 0; i < SERVERS; i++) {
            EmbeddedBackend server = new EmbeddedBackend();
            servers.add(server);
            started.add(server.start(new ServerSettings("127.0.0.1", 0, 0, false,
                    new ModelSource.BasePath("half_plus_two", model), dir.resolve("logs-" + i))));
        }
        CompletableFuture.allOf(started.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
        Preferences node = Preferences.userRoot().node("/dev/servedeck/probe/" + UUID.randomUUID());
        ConsolePreferences preferences = new ConsolePreferences(node);
        ConnectionStore store = new ConnectionStore(preferences.connectionsNode());
        Map<Connection, ConsoleBackend> byConnection = new HashMap<>();
        for (int i = 1; i < SERVERS; i++) {
            Connection edge = new Connection("edge-" + i, String.format("edge-%02d", i),
                    URI.create(servers.get(i).restBaseUrl().orElseThrow()), Optional.empty(), Optional.empty());
            store.save(edge);
            byConnection.put(edge, servers.get(i));
        }

        CompletableFuture<Void> toolkit = new CompletableFuture<>();
        Platform.startup(() -> toolkit.complete(null));
        toolkit.get();
        CompletableFuture<ConsoleComposition> shown = new CompletableFuture<>();
        Platform.runLater(() -> {
            Themes.apply(false);
            ConsoleComposition composition = new ConsoleComposition(connection -> connection.isEmbedded()
                    ? servers.get(0) : new ActiveBackend(byConnection.get(connection)), preferences,
                    new ServerSettings("127.0.0.1", 0, 0, false, new ModelSource.Demo(dir), dir.resolve("logs")), dir,
                    Themes::apply, new ConnectionContext(Connection.EMBEDDED, Optional.empty(),
                            () -> new SessionSecretStore("probe")));
            Stage stage = new Stage();
            stage.setScene(composition.createScene());
            stage.setWidth(1280);
            stage.setHeight(800);
            stage.show();
            composition.mainWindow().show(Page.FLEET);
            shown.complete(composition);
        });
        ConsoleComposition composition = shown.get(1, TimeUnit.MINUTES);
        try {
            report("%d servers (ServerCores in this JVM, idle), a real window (glass %s, prism %s), %d cores, load "
                    + "average %.1f at start, %d s per window after %d s of warm-up", SERVERS,
                    com.sun.glass.ui.Application.GetApplication().getClass().getSimpleName(),
                    System.getProperty("prism.order", "default"), Runtime.getRuntime().availableProcessors(),
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), seconds, warmupSeconds);
            Thread.sleep(warmupSeconds * 1000); // the JIT compiles the table and the canvas code meanwhile
            double fleet = measure("Fleet page shown, watching " + SERVERS + " servers");
            Platform.runLater(() -> composition.mainWindow().show(Page.SERVER));
            Thread.sleep(5000);
            double server = measure("Server page shown (Fleet not watching), same servers");
            Platform.runLater(() -> composition.mainWindow().show(Page.FLEET));
            Thread.sleep(5000);
            double again = measure("Fleet page shown again");
            report("The Fleet page's cost (mean of the two Fleet windows minus the Server page's): %.1f %% of one core",
                    (fleet + again) / 2 - server);
        } finally {
            Files.write(Path.of("app", "target", "fleet-cost.md"), lines);
            CompletableFuture<Void> closed = new CompletableFuture<>();
            Platform.runLater(() -> {
                composition.close();
                closed.complete(null);
            });
            closed.get(1, TimeUnit.MINUTES);
            servers.forEach(EmbeddedBackend::close);
            node.removeNode();
        }
    }

    /** Process CPU over one window in % of one core, with the busiest threads. */
    private double measure(String what) throws InterruptedException {
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        Map<String, Long> before = threadCpu();
        long cpuBefore = os.getProcessCpuTime();
        long wallBefore = System.nanoTime();
        Thread.sleep(seconds * 1000); // measuring a time span
        long cpu = os.getProcessCpuTime() - cpuBefore;
        long wall = System.nanoTime() - wallBefore;
        Map<String, Long> after = threadCpu();
        Map<String, Long> byThread = new TreeMap<>();
        after.forEach((name, nanos) -> byThread.merge(name.replaceAll("#\\d+$", "").replaceAll("-\\d+(-\\d+)?$", ""),
                nanos - before.getOrDefault(name, 0L), Long::sum));
        long javaThreads = byThread.values().stream().mapToLong(Long::longValue).sum();
        StringBuilder top = new StringBuilder();
        byThread.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(6)
                .forEach(entry -> top.append(String.format("%s %.1f %%, ", entry.getKey(), 100.0 * entry.getValue()
                        / wall)));
        double percent = 100.0 * cpu / wall;
        report("%s: process CPU %.1f %% of one core; by thread: %sJVM-internal (JIT, GC) %.1f %%", what, percent, top,
                100.0 * (cpu - javaThreads) / wall);
        return percent;
    }

    private static Map<String, Long> threadCpu() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Map<String, Long> cpu = new HashMap<>();
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null) {
                long nanos = threads.getThreadCpuTime(info.getThreadId());
                if (nanos > 0) {
                    cpu.merge(info.getThreadName() + "#" + info.getThreadId(), nanos, Long::sum);
                }
            }
        }
        return cpu;
    }

    private void report(String format, Object... args) {
        String line = String.format(format, args);
        lines.add("- " + line);
        org.slf4j.LoggerFactory.getLogger(FleetCostProbe.class).info(line);
        System.err.println("FleetCostProbe: " + line);
    }
}
