package dev.servedeck.core.source;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One version folder as the source has watched it over the polls. It becomes ready, and may then be
 * aspired, once its {@link VersionReadiness} says the files are complete. Ready is final while the folder
 * exists; later changes are not watched.
 *
 * <p>Completeness is only checked while the files are not changing: the folder's fingerprint equals the
 * previous poll's or, the first time the source sees it, nothing in it changed for the quiet period (so a
 * server starts at once on models that are already there). This short quiet rule no longer decides
 * anything on its own (a paused copy is quiet, yet incomplete), but it still buys two things: no file is
 * parsed while it is being written, so a large graph is not read again at every poll of a long copy; and a
 * writer that sets a file's full size before filling it (preallocation) is not taken for finished at once.
 * A verdict is kept for as long as the fingerprint stays the same, so a waiting folder costs one directory
 * walk per poll.
 */
final class VersionDirectory {

    private static final Logger log = LoggerFactory.getLogger(VersionDirectory.class);

    static final String STILL_CHANGING = "waiting for its files to stop changing";

    private final Path path;
    private boolean firstObservation = true;
    private VersionFingerprint previous;
    private boolean changing = true;
    private boolean ready;
    /** The files the last verdict was about, and the verdict's reason (empty when ready). */
    private VersionFingerprint checked;
    private String checkedReason = "";
    private String waitingFor = STILL_CHANGING;

    VersionDirectory(Path path) {
        this.path = path;
    }

    Path path() {
        return path;
    }

    boolean ready() {
        return ready;
    }

    /** True when its files changed between the last two observations (or could not be listed). */
    boolean changing() {
        return changing;
    }

    /** What it waits for while not ready. */
    String waitingFor() {
        return waitingFor;
    }

    void observe(Instant now, Duration quietPeriod, VersionReadiness readiness) {
        if (ready) {
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
            changing = true;
            waitingFor = STILL_CHANGING;
            return;
        }
        changing = !(current.equals(previous) || (firstTime && current.quietFor(quietPeriod, now)));
        previous = current;
        if (changing) {
            waitingFor = STILL_CHANGING;
            return;
        }
        if (!current.equals(checked)) {
            checked = current;
            VersionReadiness.Verdict verdict = check(readiness);
            ready = verdict instanceof VersionReadiness.Ready;
            checkedReason = verdict instanceof VersionReadiness.Waiting waiting ? waiting.reason() : "";
            if (ready) {
                log.debug("Version folder {} is complete", path);
            }
        }
        waitingFor = checkedReason;
    }

    private VersionReadiness.Verdict check(VersionReadiness readiness) {
        try {
            return readiness.check(path);
        } catch (RuntimeException e) {
            // The port promises not to throw; if one does, waiting is the safe answer, and a later change retries.
            log.warn("Checking whether {} is complete failed", path, e);
            return new VersionReadiness.Waiting("waiting for a completeness check that does not fail (" + e + ")");
        }
    }
}
