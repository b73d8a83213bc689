package dev.servedeck.packaging;

import java.nio.file.Path;

/** Where the packaging sources and the server build are, as the Maven build passes them to the tests. */
final class PackagingFiles {

    private PackagingFiles() {
    }

    /** The packaging module (surefire runs in it, so the working directory is the fallback). */
    static Path packagingDir() {
        return Path.of(System.getProperty("servedeck.packaging.dir", "")).toAbsolutePath().normalize();
    }

    static Path containerDir() {
        return packagingDir().resolve("container");
    }

    static Path kubernetesDir() {
        return packagingDir().resolve("kubernetes");
    }

    /** server-core's target folder: servedeck-server.jar and lib/ after its package phase. */
    static Path serverTarget() {
        String configured = System.getProperty("servedeck.server.target");
        Path target = configured != null ? Path.of(configured) : packagingDir().resolve("../server-core/target");
        return target.toAbsolutePath().normalize();
    }
}
