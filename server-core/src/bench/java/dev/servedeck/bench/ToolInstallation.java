package dev.servedeck.bench;

import java.io.IOException;
import java.util.List;

/**
 * Makes sure a load generator ({@code wrk}, nghttp2's {@code h2load}) is on the PATH. Both are Debian
 * packages, so a root shell on Debian/Ubuntu (CI, the dev containers) installs them; anyone else gets told how.
 */
final class ToolInstallation {

    private ToolInstallation() {
    }

    static void ensureLoadGenerators() throws IOException, InterruptedException {
        ensureAvailable("wrk", "wrk", "`brew install wrk` (macOS)");
        ensureAvailable("h2load", "nghttp2-client", "`brew install nghttp2` (macOS)");
    }

    static void ensureAvailable(String command, String debianPackage, String otherHint)
            throws IOException, InterruptedException {
        if (isOnPath(command)) {
            return;
        }
        if (!isRoot() || !CommandOutput.succeeds(List.of("sh", "-c", "command -v apt-get"))) {
            throw new IllegalStateException(command + " is not installed. Install it and re-run: "
                    + "`sudo apt-get install -y " + debianPackage + "` (Debian/Ubuntu), " + otherHint + ".");
        }
        System.out.println(command + " is missing: installing the Debian package (apt-get install -y "
                + debianPackage + ")");
        // The package lists may be absent on a fresh machine; refresh them only when the first try fails.
        if (!aptInstall(debianPackage)) {
            CommandOutput.run(List.of("apt-get", "update", "-qq"));
            if (!aptInstall(debianPackage)) {
                throw new IllegalStateException("apt-get install -y " + debianPackage + " failed; install "
                        + command + " by hand and re-run");
            }
        }
        if (!isOnPath(command)) {
            throw new IllegalStateException(command + " was installed but is not on the PATH");
        }
    }

    private static boolean aptInstall(String debianPackage) throws IOException, InterruptedException {
        return CommandOutput.succeeds(List.of("env", "DEBIAN_FRONTEND=noninteractive",
                "apt-get", "install", "-y", "-qq", debianPackage));
    }

    private static boolean isOnPath(String command) throws IOException, InterruptedException {
        return CommandOutput.succeeds(List.of("sh", "-c", "command -v " + command));
    }

    private static boolean isRoot() throws IOException, InterruptedException {
        return CommandOutput.run(List.of("id", "-u")).strip().equals("0");
    }
}
