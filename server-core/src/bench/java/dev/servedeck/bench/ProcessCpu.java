package dev.servedeck.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time a process has used, user and system, as the kernel counts it ({@code utime} and {@code stime} of
 * /proc/PID/stat, Linux only). Work per request read this way hardly moves when a neighbour takes the cores for a
 * while, unlike requests per second, which measures the work and the share of the cores the server got together.
 */
final class ProcessCpu {

    /** The kernel's USER_HZ, 100 on every Linux that runs this benchmark. */
    private static final long TICKS_PER_SECOND = 100;

    private ProcessCpu() {
    }

    static long nanos(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        // "PID (comm) state ...": comm may hold spaces, so fields are counted after its closing parenthesis.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        return ticks * (1_000_000_000L / TICKS_PER_SECOND);
    }
}
