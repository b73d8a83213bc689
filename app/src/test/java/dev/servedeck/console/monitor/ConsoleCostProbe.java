package dev.servedeck.console.monitor;

import static org.testfx.util.WaitForAsyncUtils.asyncFx;
import static org.testfx.util.WaitForAsyncUtils.waitFor;

import com.sun.management.OperatingSystemMXBean;
import dev.servedeck.console.shell.Page;
import dev.servedeck.console.testing.ConsoleUnderTest;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * The console's own cost, as issue 6 asks: time from composition to the first chart point, FX-thread time
 * per chart tick with all charts visible, and process CPU of the idle console with the charts running.
 * Not a test (it asserts nothing and takes about four minutes): it runs only when asked,
 *
 * <pre>
 * ./mvnw -B -q verify -pl app -am -Dtest=ConsoleCostProbe -Dsurefire.failIfNoSpecifiedTests=false -Dservedeck.probe=true
 * </pre>
 *
 * and prints its numbers and writes them to {@code app/target/console-cost.md}. It runs in the GUI tests'
 * setup: Monocle's headless glass with the software renderer, so rasterizing happens on the CPU (a real
 * screen with a GPU pipeline draws cheaper); the FX-thread time is JFreeChart drawing into the canvases,
 * which is the same work on any screen. {@code -Dprobe.seconds=N} changes the measuring time (default 20),
 * {@code -Dprobe.warmupSeconds=N} the drawing before the steady-state measurement (default 120: right after
 * the start the JIT compilers, not the charts, take most of the CPU; the probe shows both).
 */
@EnabledIfSystemProperty(named = "servedeck.probe", matches = "true")
@ExtendWith(ApplicationExtension.class)
class ConsoleCostProbe {

    @TempDir
    static Path dataDir;

    private final long seconds = Long.getLong("probe.seconds", 20);
    private final long warmupSeconds = Long.getLong("probe.warmupSeconds", 120);
    private final List<String> lines = new ArrayList<>();
    private ConsoleUnderTest console;
    private long composedNanos;

    @Start
    void start(Stage stage) {
        composedNanos = System.nanoTime();
        console = ConsoleUnderTest.openWithDemoModels(stage, dataDir);
        console.composition().mainWindow().show(Page.MONITOR);
    }

    @Test
    void measure() throws Exception {
        MonitorViewModel monitor = console.composition().monitor();
        try {
            long startCalled = System.nanoTime();
            console.startServer();
            Duration firstPoint = monitor.firstPoint().get(30, TimeUnit.SECONDS);
            long beforeStart = (startCalled - composedNanos) / 1_000_000;
            report("Composition to first chart point (Monitor page shown): %d ms = %d ms until the test started the "
                    + "server (TestFX's setup; the application starts it at once) + %d ms from starting the embedded "
                    + "server (TensorFlow loading the demo models) to the first point", firstPoint.toMillis(),
                    beforeStart, firstPoint.toMillis() - beforeStart);

            waitFor(30, TimeUnit.SECONDS, () -> asyncFx(() -> monitor.tickCost().count() >= 20).get());
            report("Monocle headless, software rendering, %d s per measurement, %d cores, load average %.1f at start",
                    seconds, Runtime.getRuntime().availableProcessors(),
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            measureWindow("idle server, Monitor page shown (5 charts drawing), just after the start", monitor);

            asyncFx(() -> console.composition().mainWindow().show(Page.SERVER)).get();
            measureWindow("idle server, Server page shown (sampling only, charts not drawn)", monitor);

            asyncFx(() -> console.composition().mainWindow().show(Page.MONITOR)).get();
            Thread.sleep(warmupSeconds * 1000); // the JIT compiles the drawing code for minutes at two ticks a second
            measureWindow("idle server, Monitor page shown after " + warmupSeconds
                    + " s more of drawing (steady state)", monitor);

            asyncFx(() -> {
                monitor.load().chooser().modelProperty().set("half_plus_two");
                monitor.load().requestsProperty().set("10000000");
                monitor.load().concurrencyProperty().set("8");
            }).get();
            waitFor(10, TimeUnit.SECONDS, () -> asyncFx(() -> monitor.load().bodyProperty().get().contains("5.0")).get());
            asyncFx(monitor.load()::start).get();
            measureWindow("load generator running (half_plus_two, concurrency 8), Monitor page shown", monitor);
            asyncFx(monitor.load()::stop).get();
            report("load generator: %s", asyncFx(() -> monitor.load().progressTextProperty().get()).get());
        } finally {
            Path file = Path.of("target", "console-cost.md");
            Files.write(file, lines);
            System.out.println("ConsoleCostProbe: wrote " + file.toAbsolutePath());
            console.close();
        }
    }

    private void measureWindow(String what, MonitorViewModel monitor) throws Exception {
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long[] ticksBefore = asyncFx(() -> new long[] {monitor.tickCost().count(), monitor.tickCost().totalNanos()}).get();
        Map<String, Long> threadsBefore = threadCpu();
        long[] jvmBefore = jvmWork();
        long cpuBefore = os.getProcessCpuTime();
        long wallBefore = System.nanoTime();
        Thread.sleep(seconds * 1000); // measuring a time span: nothing to wait for
        long cpu = os.getProcessCpuTime() - cpuBefore;
        long wall = System.nanoTime() - wallBefore;
        Map<String, Long> threadsAfter = threadCpu();
        long[] jvmAfter = jvmWork();
        long[] ticksAfter = asyncFx(() -> new long[] {monitor.tickCost().count(), monitor.tickCost().totalNanos()}).get();
        double maxMillis = asyncFx(() -> monitor.tickCost().maxMillis()).get();
        long ticks = ticksAfter[0] - ticksBefore[0];
        double meanMillis = ticks == 0 ? 0 : (ticksAfter[1] - ticksBefore[1]) / 1e6 / ticks;
        report("%s: process CPU %.1f %% of one core; %d drawn ticks (%.1f/s), FX time per tick mean %.2f ms, max %.2f ms (last 60 s)",
                what, 100.0 * cpu / wall, ticks, ticks / (wall / 1e9), meanMillis, maxMillis);
        // Where it went: Java threads by name (pools summed); the rest is the JVM's own (JIT compilers, GC)
        Map<String, Long> byThread = new TreeMap<>();
        threadsAfter.forEach((name, nanos) -> byThread.merge(name.replaceAll("#\\d+$", "").replaceAll("-\\d+(-\\d+)?$", ""),
                nanos - threadsBefore.getOrDefault(name, 0L), Long::sum));
        long javaThreads = byThread.values().stream().mapToLong(Long::longValue).sum();
        StringBuilder top = new StringBuilder();
        byThread.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(6)
                .forEach(entry -> top.append(String.format("%s %.1f %%, ", entry.getKey(), 100.0 * entry.getValue() / wall)));
        report("  by thread: %sJVM-internal (JIT, GC) %.1f %%; JIT compiling %d ms, %d GCs taking %d ms, %.1f MB allocated",
                top, 100.0 * (cpu - javaThreads) / wall, jvmAfter[0] - jvmBefore[0], jvmAfter[1] - jvmBefore[1],
                jvmAfter[2] - jvmBefore[2], (jvmAfter[3] - jvmBefore[3]) / 1e6);
    }

    /** JIT compile time (ms), GC count, GC time (ms), bytes allocated by every Java thread. */
    private static long[] jvmWork() {
        long gcCount = 0;
        long gcMillis = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            gcCount += Math.max(0, gc.getCollectionCount());
            gcMillis += Math.max(0, gc.getCollectionTime());
        }
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long allocated = 0;
        for (long bytes : threads.getThreadAllocatedBytes(threads.getAllThreadIds())) {
            allocated += Math.max(0, bytes);
        }
        return new long[] {ManagementFactory.getCompilationMXBean().getTotalCompilationTime(), gcCount, gcMillis, allocated};
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
        System.out.println("ConsoleCostProbe " + java.time.LocalTime.now() + ": " + line);
    }
}
