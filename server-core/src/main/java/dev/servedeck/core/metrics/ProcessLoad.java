package dev.servedeck.core.metrics;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * What this server process costs its machine now: CPU (cores busy, measured between two readings) and resident
 * memory. The one place both are measured, for the admin API's {@code ServerInfo} and the console's embedded server,
 * so a fleet view compares like with like.
 *
 * <p>CPU is this meter's own delta of the process's CPU time over wall time, not the JDK's
 * {@code getProcessCpuLoad()}, whose window is shared by every caller in the JVM: two readers would shorten each
 * other's windows to noise. Readings closer than {@link #MIN_WINDOW_NANOS} apart repeat the last value for the same
 * reason. Thread-safe.
 */
public final class ProcessLoad {

    /** The shortest window a CPU figure is measured over; a reading sooner repeats the last figure. */
    static final long MIN_WINDOW_NANOS = 500_000_000L;
    private static final Path STATUS = Path.of("/proc/self/status");

    /**
     * One reading.
     *
     * @param cpuCores CPU time used per second of wall time since the previous reading (1.0: one core busy);
     *        {@link Double#NaN} for the first reading or where the JVM cannot tell
     * @param residentBytes the process's resident set size (Linux); 0 where unknown
     */
    public record Reading(double cpuCores, long residentBytes) {
    }

    private final LongSupplier cpuTimeNanos;
    private final LongSupplier wallNanos;
    private long lastCpu = -1;
    private long lastWall;
    private double lastCores = Double.NaN;

    public ProcessLoad() {
        this(ProcessLoad::processCpuTimeNanos, System::nanoTime);
    }

    ProcessLoad(LongSupplier cpuTimeNanos, LongSupplier wallNanos) {
        this.cpuTimeNanos = cpuTimeNanos;
        this.wallNanos = wallNanos;
    }

    public Reading read() {
        return new Reading(cpuCores(), residentBytes());
    }

    private synchronized double cpuCores() {
        long cpu = cpuTimeNanos.getAsLong();
        long wall = wallNanos.getAsLong();
        if (cpu < 0) {
            return Double.NaN;
        }
        if (lastCpu < 0) {
            lastCpu = cpu;
            lastWall = wall;
            return Double.NaN;
        }
        long elapsed = wall - lastWall;
        if (elapsed >= MIN_WINDOW_NANOS) {
            lastCores = Math.max(0, (cpu - lastCpu) / (double) elapsed);
            lastCpu = cpu;
            lastWall = wall;
        }
        return lastCores;
    }

    private static long processCpuTimeNanos() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        // The JDK's extension knows the process's CPU time; other JVMs may not have it.
        return os instanceof com.sun.management.OperatingSystemMXBean extended ? extended.getProcessCpuTime() : -1;
    }

    /** VmRSS of {@code /proc/self/status} (in kB there), which counts TensorFlow's native memory the heap does not. */
    static long residentBytes() {
        if (!Files.isReadable(STATUS)) {
            return 0;
        }
        try {
            return residentBytesIn(Files.readAllLines(STATUS, StandardCharsets.US_ASCII));
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    static long residentBytesIn(List<String> statusLines) {
        for (String line : statusLines) {
            if (line.startsWith("VmRSS:")) {
                String[] parts = line.substring("VmRSS:".length()).trim().split("\\s+");
                return Long.parseLong(parts[0]) * 1024;
            }
        }
        return 0;
    }
}
