package dev.servedeck.core.source;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One version folder as the source has watched it over the polls. It becomes stable, and may then be
 * aspired, once it stopped changing: its fingerprint equals the previous poll's, or, the first time the
 * source sees it, nothing in it changed for the quiet period (so a server starts at once on models that
 * are already there). A stable folder stays stable while it exists; later changes are not watched.
 */
final class VersionDirectory {

    private static final Logger log = LoggerFactory.getLogger(VersionDirectory.class);

    private final Path path;
    private boolean firstObservation = true;
    private VersionFingerprint previous;
    private boolean stable;

    VersionDirectory(Path path) {
        this.path = path;
    }

    Path path() {
        return path;
    }

    boolean stable() {
        return stable;
    }

    void observe(Instant now, Duration quietPeriod) {
        if (stable) {
            return;
        }
        boolean firstTime = firstObservation;
        firstObservation = false;
        VersionFingerprint current;
        try {
            current = VersionFingerprint.of(path);
        } catch (IOException e) {
            log.debug("Version folder {} could not be read completely, probably still being written: {}", path, e.toString());
            previous = null;
            return;
        }
        boolean unchanged = current.equals(previous) || (firstTime && current.quietFor(quietPeriod, now));
        if (unchanged && current.hasFiles()) {
            stable = true;
            previous = null;
            log.debug("Version folder {} is stable", path);
        } else {
            previous = current;
        }
    }
}
