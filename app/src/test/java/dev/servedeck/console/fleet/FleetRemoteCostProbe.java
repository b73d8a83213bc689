package dev.servedeck.console.fleet;

import dev.servedeck.console.ConsoleComposition;
import dev.servedeck.console.backend.ModelSource;
import dev.servedeck.console.backend.ServerSettings;
import dev.servedeck.console.backend.embedded.EmbeddedBackend;
import dev.servedeck.console.connections.Connection;
import dev.servedeck.console.connections.ConnectionBackends;
import dev.servedeck.console.connections.ConnectionContext;
import dev.servedeck.console.connections.ConnectionStore;
import dev.servedeck.console.connections.SessionSecretStore;
import dev.servedeck.console.preferences.ConsolePreferences;
import dev.servedeck.console.shell.Page;
import dev.servedeck.console.shell.Themes;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.prefs.Preferences;
import javafx.application.Platform;
import javafx.stage.Stage;

/**
 * What the Fleet page costs the console while it watches ten remote servers, as a user runs it: ten headless
 * ServeDeck servers in processes of their own ({@code server-core/target/servedeck-server.jar --demo}), the console
 * in a real window (GTK under Xvfb) composed as {@code ConsoleApplication} composes it with {@code --server}: the
 * application's {@link ConnectionBackends} (remote backends over the admin API), edge-01 the command line's server
 * (managed), edge-02…edge-10 saved connections, the embedded server made only if opened and never started. Issue 18's
 * target: under 10% of one core. Not a test (surefire runs {@code *Test}); run it from the repository root:
 *
 * <pre>
 * ./mvnw -B -q package -DskipTests -pl server-core -am
 * ./mvnw -B -q -pl app -am test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * xvfb-run -a -s "-screen 0 1280x800x24" java -Dorg.bytedeco.javacpp.maxPhysicalBytes=0 \
 *     -cp app/target/test-classes:app/target/classes:$(cat app/target/cp.txt) \
 *     dev.servedeck.console.fleet.FleetRemoteCostProbe
 * </pre>
 *
 * An eleventh server ("unwatched", not a connection) runs beside them, so the servers' side of watching is the CPU
 * of a watched idle server minus the unwatched one's over the same window. {@code -Dprobe.traffic} (default 2)
 * servers get {@code bench --rate 20 -c 1} so their charts move. CPU is read from {@code /proc/PID/stat}
 * (utime + stime) for the console's process and for every server. Windows: Fleet page, Server page (the Fleet page
 * not watching; the managed edge-01 still is), Fleet page again. Writes {@code app/target/fleet-remote-cost.md}.
 * {@code -Dprobe.seconds} (default 60), {@code -Dprobe.warmupSeconds} (default 60), {@code -Dprobe.serverJar},
 * {@code -Dprobe.serverHeap} (default 256m).
 */
public final class FleetRemoteCostProbe {

    private static final int WATCHED = 10;
    private static final long TICKS_PER_SECOND = 100; // USER_HZ on Linux
    private final long seconds = Long.getLong("probe.seconds", 60);
    private final long warmupSeconds = Long.getLong("probe.warmupSeconds", 60);
    private final int traffic = Integer.getInteger("probe.traffic", 2);
    private final Path jar = Path.of(System.getProperty("probe.serverJar", "server-core/target/servedeck-server.jar"));
    private final String heap = System.getProperty("probe.serverHeap", "256m");
    private final String java = ProcessHandle.current().info().command().orElse("java");
    private final List<String> lines = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();

    /** A server process: its name, REST and gRPC ports. */
    private record Server(String name, Process process, int rest, int grpc) {
        URI address() {
            return URI.create("http://127.0.0.1:" + rest);
        }
    }

    public static void main(String[] args) throws Exception {
        FleetRemoteCostProbe probe = new FleetRemoteCostProbe();
        try {
            probe.run();
        } finally {
            probe.processes.forEach(Process::destroy);
            for (Process process : probe.processes) {
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            }
        }
        Platform.exit();
        System.exit(0);
    }

    private void run() throws Exception {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: ./mvnw -B -q package -DskipTests -pl server-core -am");
        }
        Path dir = Files.createTempDirectory("fleet-remote-cost");
        Path models = dir.resolve("demo-models");
        List<Server> servers = new ArrayList<>();
        // The first one generates the demo models; the others serve the same directory.
        servers.add(startServer("edge-01", dir, models));
        awaitReady(servers.get(0));
        for (int i = 2; i <= WATCHED; i++) {
            servers.add(startServer(String.format("edge-%02d", i), dir, models));
        }
        Server unwatched = startServer("unwatched", dir, models);
        for (Server server : servers) {
            awaitReady(server);
        }
        awaitReady(unwatched);
        for (int i = 0; i < traffic && i < servers.size(); i++) {
            bench(servers.get(i), dir);
        }

        Preferences node = Preferences.userRoot().node("/dev/servedeck/probe/" + UUID.randomUUID());
        ConsolePreferences preferences = new ConsolePreferences(node);
        ConnectionStore store = new ConnectionStore(preferences.connectionsNode());
        List<Connection> connections = new ArrayList<>();
        for (Server server : servers) {
            connections.add(new Connection(server.name(), server.name(), server.address(), Optional.empty(),
                    Optional.empty(), OptionalInt.of(server.grpc())));
        }
        connections.subList(1, connections.size()).forEach(store::save);
        ConnectionContext context = new ConnectionContext(connections.get(0), Optional.empty(),
                () -> new SessionSecretStore("probe"));
        EmbeddedBackend[] embedded = new EmbeddedBackend[1];

        CompletableFuture<Void> toolkit = new CompletableFuture<>();
        Platform.startup(() -> toolkit.complete(null));
        toolkit.get();
        CompletableFuture<ConsoleComposition> shown = new CompletableFuture<>();
        ServerSettings settings = new ServerSettings("127.0.0.1", 0, 0, false, new ModelSource.Demo(models),
                dir.resolve("logs"));
        Platform.runLater(() -> {
            Themes.apply(false);
            ConsoleComposition composition = new ConsoleComposition(new ConnectionBackends(() -> {
                synchronized (embedded) { // as ConsoleApplication: made if opened, started only if the user starts it
                    if (embedded[0] == null) {
                        embedded[0] = new EmbeddedBackend();
                    }
                    return embedded[0];
                }
            }, context), preferences, settings, dir, Themes::apply, context);
            Stage stage = new Stage();
            stage.setScene(composition.createScene());
            stage.setWidth(1280);
            stage.setHeight(800);
            stage.show();
            composition.backend().start(settings); // connecting is the remote server's start
            composition.mainWindow().show(Page.FLEET);
            shown.complete(composition);
        });
        ConsoleComposition composition = shown.get(1, TimeUnit.MINUTES);
        try {
            report("%d remote ServeDeck servers (separate processes, -Xmx%s, --demo; %d with bench --rate 20 -c 1) and "
                    + "one unwatched server; the console in a real window (glass %s, prism %s); %d cores; load "
                    + "average %.2f at start; %d s per window after %d s of warm-up", WATCHED, heap, traffic,
                    com.sun.glass.ui.Application.GetApplication().getClass().getSimpleName(),
                    System.getProperty("prism.order", "default"), Runtime.getRuntime().availableProcessors(),
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), seconds, warmupSeconds);
            Thread.sleep(warmupSeconds * 1000); // the JIT compiles the table, the canvas and the streams meanwhile
            double[] fleet = measure("Fleet page shown, watching " + WATCHED + " remote servers", servers, unwatched);
            Platform.runLater(() -> composition.mainWindow().show(Page.SERVER));
            Thread.sleep(5000);
            double[] server = measure("Server page shown (Fleet not watching; edge-01 managed)", servers, unwatched);
            Platform.runLater(() -> composition.mainWindow().show(Page.FLEET));
            Thread.sleep(10000);
            double[] again = measure("Fleet page shown again", servers, unwatched);
            report("The Fleet page's cost to the console (mean of the two Fleet windows minus the Server page's): "
                    + "%.1f %% of one core (whole console process: Fleet %.1f %% and %.1f %%, Server page %.1f %%)",
                    (fleet[0] + again[0]) / 2 - server[0], fleet[0], again[0], server[0]);
            report("A watched idle server's cost of being watched (its CPU minus the unwatched server's, Fleet "
                    + "windows): %.2f %% of one core (watched idle %.2f %%, unwatched %.2f %%); on the Server page "
                    + "the same servers differ by %.2f %%", (fleet[1] + again[1]) / 2 - (fleet[2] + again[2]) / 2,
                    (fleet[1] + again[1]) / 2, (fleet[2] + again[2]) / 2, server[1] - server[2]);
            report("Load average at the end: %.2f",
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        } finally {
            Files.write(Path.of("app", "target", "fleet-remote-cost.md"), lines);
            CompletableFuture<Void> closed = new CompletableFuture<>();
            Platform.runLater(() -> {
                composition.close();
                closed.complete(null);
            });
            closed.get(1, TimeUnit.MINUTES);
            if (embedded[0] != null) {
                embedded[0].close();
            }
            node.removeNode();
        }
    }

    private Server startServer(String name, Path dir, Path models) throws IOException {
        int rest = freePort();
        int grpc = freePort();
        Process process = new ProcessBuilder(java, "-Xmx" + heap, "-XX:+UseSerialGC",
                "-Dorg.bytedeco.javacpp.maxPhysicalBytes=0", "-jar", jar.toString(), "--demo",
                "--demo_models_dir=" + models, "--port=" + grpc, "--rest_api_port=" + rest)
                .redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile()).start();
        processes.add(process);
        return new Server(name, process, rest, grpc);
    }

    private void bench(Server server, Path dir) throws IOException {
        processes.add(new ProcessBuilder(java, "-Xmx128m", "-XX:+UseSerialGC", "-jar", jar.toString(), "bench",
                "--url=" + server.address(), "-m", "half_plus_two", "--rate", "20", "-c", "1", "-d", "900s")
                .redirectErrorStream(true).redirectOutput(dir.resolve("bench-" + server.name() + ".log").toFile())
                .start());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void awaitReady(Server server) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.address() + "/v1/models/half_plus_two"))
                .timeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (System.nanoTime() < deadline) {
            if (!server.process().isAlive()) {
                throw new IllegalStateException(server.name() + " exited: " + server.process().exitValue());
            }
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200 && response.body().contains("AVAILABLE")) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(1000);
        }
        throw new IllegalStateException(server.name() + " not ready after 5 minutes");
    }

    /** utime + stime of a process in clock ticks (/proc/PID/stat fields 14 and 15). */
    private static long ticks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // fields 14 and 15 of the whole line (counted from 1, pid and comm first)
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/" + pid + "/stat", e);
        }
    }

    /**
     * One window: the console's CPU (% of one core) with its busiest threads, each server's CPU.
     *
     * @return the console's %, the mean of the watched idle servers', the unwatched server's
     */
    private double[] measure(String what, List<Server> servers, Server unwatched) throws InterruptedException {
        long self = ProcessHandle.current().pid();
        Map<String, Long> before = threadCpu();
        long consoleBefore = ticks(self);
        long[] serversBefore = servers.stream().mapToLong(server -> ticks(server.process().pid())).toArray();
        long unwatchedBefore = ticks(unwatched.process().pid());
        long wallBefore = System.nanoTime();
        Thread.sleep(seconds * 1000); // measuring a time span
        long consoleTicks = ticks(self) - consoleBefore;
        long unwatchedTicks = ticks(unwatched.process().pid()) - unwatchedBefore;
        long[] serverTicks = new long[servers.size()];
        for (int i = 0; i < servers.size(); i++) {
            serverTicks[i] = ticks(servers.get(i).process().pid()) - serversBefore[i];
        }
        long wall = System.nanoTime() - wallBefore;
        Map<String, Long> after = threadCpu();
        Map<String, Long> byThread = new TreeMap<>();
        after.forEach((name, nanos) -> byThread.merge(name.replaceAll("#\\d+$", "").replaceAll("-\\d+(-\\d+)?$", ""),
                nanos - before.getOrDefault(name, 0L), Long::sum));
        StringBuilder top = new StringBuilder();
        byThread.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(6)
                .forEach(entry -> top.append(String.format("%s %.1f %%, ", entry.getKey(), 100.0 * entry.getValue()
                        / wall)));
        long javaThreads = byThread.values().stream().mapToLong(Long::longValue).sum();
        top.append(String.format("all Java threads %.1f %%, the rest (JIT, GC, GTK's own threads) %.1f %%",
                100.0 * javaThreads / wall, percent(consoleTicks, wall) - 100.0 * javaThreads / wall));
        double console = percent(consoleTicks, wall);
        StringBuilder each = new StringBuilder();
        double idleSum = 0;
        int idle = 0;
        for (int i = 0; i < servers.size(); i++) {
            double p = percent(serverTicks[i], wall);
            each.append(String.format("%s %.2f%s, ", servers.get(i).name(), p, i < traffic ? " (traffic)" : ""));
            if (i >= traffic && i > 0) { // idle and not the managed edge-01
                idleSum += p;
                idle++;
            }
        }
        double unwatchedPercent = percent(unwatchedTicks, wall);
        double idleMean = idle == 0 ? 0 : idleSum / idle;
        report("%s: console process %.1f %% of one core (its threads: %s); servers (%% of one core): %sunwatched "
                + "%.2f; watched idle mean %.2f; load average %.2f", what, console, top, each, unwatchedPercent,
                idleMean, ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        return new double[] {console, idleMean, unwatchedPercent};
    }

    private static double percent(long ticks, long wallNanos) {
        return 100.0 * ticks / TICKS_PER_SECOND * 1e9 / wallNanos;
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
        System.err.println("FleetRemoteCostProbe: " + line);
    }
}
