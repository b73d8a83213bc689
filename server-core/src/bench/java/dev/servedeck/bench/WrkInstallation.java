package dev.servedeck.bench;

import java.io.IOException;
import java.util.List;

/**
 * Makes sure the {@code wrk} load generator is on the PATH. It is a Debian package, so a root shell on
 * Debian/Ubuntu (CI, the dev containers) installs it; anyone else gets told how.
 */
final class WrkInstallation {

    private WrkInstallation() {
    }

    static void ensureAvailable() throws IOException, InterruptedException {
        if (isOnPath()) {
            return;
        }
        if (!isRoot() || !CommandOutput.succeeds(List.of("sh", "-c", "command -v apt-get"))) {
            throw new IllegalStateException("wrk is not installed. Install it and re-run: "
                    + "`sudo apt-get install -y wrk` (Debian/Ubuntu), `brew install wrk` (macOS).");
        }
        System.out.println("wrk is missing: installing the Debian package (apt-get install -y wrk)");
        // The package lists may be absent on a fresh machine; refresh them only when the first try fails.
        if (!aptInstallWrk()) {
            CommandOutput.run(List.of("apt-get", "update", "-qq"));
            if (!aptInstallWrk()) {
                throw new IllegalStateException("apt-get install -y wrk failed; install wrk by hand and re-run");
            }
        }
        if (!isOnPath()) {
            throw new IllegalStateException("wrk was installed but is not on the PATH");
        }
    }

    private static boolean aptInstallWrk() throws IOException, InterruptedException {
        return CommandOutput.succeeds(List.of("env", "DEBIAN_FRONTEND=noninteractive",
                "apt-get", "install", "-y", "-qq", "wrk"));
    }

    private static boolean isOnPath() throws IOException, InterruptedException {
        return CommandOutput.succeeds(List.of("sh", "-c", "command -v wrk"));
    }

    private static boolean isRoot() throws IOException, InterruptedException {
        return CommandOutput.run(List.of("id", "-u")).strip().equals("0");
    }
}
