package dev.servedeck.core.source;

import dev.servedeck.core.lifecycle.Loader;
import dev.servedeck.core.servable.Servable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A version's loader as the source hands it to the manager. It remembers what the version folder looked like
 * when a load attempt failed, so the source can tell when the files changed since (a broken copy fixed in
 * place) and hand over a new loader, which the manager loads again with a fresh set of attempts: no rename, no
 * restart. While the files stay as they were, retries stay the manager's, and a version out of attempts stays
 * failed.
 */
final class WatchedVersionLoader implements Loader {

    private final Path versionFolder;
    private final Loader loader;
    /** Set when the last attempt failed: the folder as that attempt found it (empty if it could not be read). */
    private volatile Optional<VersionFingerprint> failedOn;

    WatchedVersionLoader(Path versionFolder, Loader loader) {
        this.versionFolder = versionFolder;
        this.loader = loader;
    }

    @Override
    public Servable load() throws Exception {
        Optional<VersionFingerprint> before = fingerprint();
        try {
            Servable servable = loader.load();
            failedOn = null;
            return servable;
        } catch (Exception | Error e) {
            failedOn = before;
            throw e;
        }
    }

    /** The loader it watches, as the loader factory made it. */
    Loader watched() {
        return loader;
    }

    /** True once the last attempt failed and the folder has changed since (and can be read now). */
    boolean failedAndChangedSince() {
        Optional<VersionFingerprint> failed = failedOn;
        if (failed == null) {
            return false;
        }
        Optional<VersionFingerprint> now = fingerprint();
        return now.isPresent() && !now.equals(failed);
    }

    private Optional<VersionFingerprint> fingerprint() {
        try {
            return Optional.of(VersionFingerprint.of(versionFolder));
        } catch (IOException e) {
            // Being written or gone: not a state to compare against, nor to retry on.
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return loader.toString();
    }
}
