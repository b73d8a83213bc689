package dev.servedeck.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Resident memory of a process as the kernel counts it ({@code VmRSS} in /proc/PID/status, Linux only). */
final class ProcessRss {

    private ProcessRss() {
    }

    static long kibibytes(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                // "VmRSS:     123456 kB"
                return Long.parseLong(line.substring("VmRSS:".length()).replace("kB", "").strip());
            }
        }
        throw new IOException("No VmRSS for process " + pid + " (exited, or not Linux?)");
    }
}
