package dev.servedeck.core.source;

import dev.servedeck.core.lifecycle.AspiredVersion;
import dev.servedeck.core.lifecycle.Loader;
import dev.servedeck.core.servable.ServableId;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The source's memory of one model between polls: the version folders seen and whether they are complete,
 * the loader of each aspired version (one loader per version for as long as it stays aspired), the last
 * aspired set given to the target and the versions waiting to be complete. Guarded by the source's lock.
 */
final class ModelWatch {

    private static final Logger log = LoggerFactory.getLogger(ModelWatch.class);

    private MonitoredModel model;
    private final Map<Long, VersionDirectory> versionDirectories = new TreeMap<>();
    private final Map<Long, WatchedVersionLoader> loaders = new HashMap<>();
    /** The aspired set the target last accepted; null when the next poll must tell it again. */
    private SortedSet<Long> published;
    private Map<Long, String> waiting = Map.of();
    private boolean changing;
    private boolean reportedMissingBasePath;
    /** The last non-empty aspired set and its folders: kept when every version folder vanishes. */
    private SortedSet<Long> lastServed = new TreeSet<>();
    private final Map<Long, Path> lastPaths = new HashMap<>();
    private boolean keptAfterVersionsVanished;

    ModelWatch(MonitoredModel model) {
        this.model = model;
    }

    String name() {
        return model.name();
    }

    /** Takes a new configuration of the same model; the target hears from it at the next poll either way. */
    void reconfigure(MonitoredModel newModel) {
        if (!newModel.basePath().equals(model.basePath())) {
            versionDirectories.clear();
            loaders.clear();
            reportedMissingBasePath = false;
            // The operator moved the model: what served from the old place is not kept for the new one.
            lastServed = new TreeSet<>();
            lastPaths.clear();
        }
        model = newModel;
        published = null;
    }

    /**
     * Looks at the base path and works out the aspired versions: the policy's choice among the complete
     * version folders. A folder the policy would pick that is not complete yet waits, and the policy picks
     * again without it, so under Latest(n) a waiting version never counts as one of the n, and never
     * displaces a version that serves.
     */
    PollResult poll(Instant now, Duration quietPeriod, VersionReadiness readiness, Function<Path, Loader> loaderFactory)
            throws IOException {
        Optional<Map<Long, Path>> onDisk = listVersionFolders();
        if (onDisk.isEmpty()) {
            return new PollResult(Optional.empty(), waiting, Set.of());
        }
        Map<Long, Path> folders = onDisk.get();
        versionDirectories.entrySet().removeIf(entry -> !entry.getValue().path().equals(folders.get(entry.getKey())));
        folders.forEach((version, path) -> versionDirectories.computeIfAbsent(version, v -> new VersionDirectory(path)));
        Map<Long, String> nowWaiting = new TreeMap<>();
        SortedSet<Long> aspired = selectCompleteVersions(now, quietPeriod, readiness, nowWaiting);
        Set<Long> endedWaits = new TreeSet<>(waiting.keySet());
        endedWaits.removeAll(nowWaiting.keySet());
        endedWaits.removeAll(aspired);
        logWaits(nowWaiting);
        waiting = Collections.unmodifiableMap(nowWaiting);
        changing = nowWaiting.keySet().stream().anyMatch(version -> versionDirectories.get(version).changing());
        return new PollResult(aspiredChange(aspired, loaderFactory), waiting, Collections.unmodifiableSet(endedWaits));
    }

    private SortedSet<Long> selectCompleteVersions(Instant now, Duration quietPeriod, VersionReadiness readiness,
            Map<Long, String> waitingVersions) {
        SortedSet<Long> candidates = new TreeSet<>(versionDirectories.keySet());
        while (true) {
            SortedSet<Long> selected = model.policy().select(candidates);
            boolean allReady = true;
            for (long version : selected) {
                VersionDirectory directory = versionDirectories.get(version);
                // Each folder is observed once per poll: a waiting one leaves the candidates, a ready one returns at once.
                directory.observe(now, quietPeriod, readiness);
                if (!directory.ready()) {
                    waitingVersions.put(version, directory.waitingFor());
                    candidates.remove(version);
                    allReady = false;
                }
            }
            if (allReady) {
                return selected;
            }
        }
    }

    private Optional<AspiredChange> aspiredChange(SortedSet<Long> aspired, Function<Path, Loader> loaderFactory) {
        SortedSet<Long> kept = aspired.isEmpty() ? model.policy().select(lastServed) : new TreeSet<>();
        if (!kept.isEmpty()) {
            // No silent outage: when no version folder is left to serve (an NFS mount that lists empty for a
            // poll, a deleted folder, the only new version still incomplete), the versions served last stay, as
            // long as the policy still wants them; a newer complete version, a policy that no longer selects
            // them (e.g. the console unloading the last version) or removing the model replaces them. TF
            // Serving would unload them and serve nothing.
            if (!keptAfterVersionsVanished) {
                log.warn("Model {} has no version folder left to serve under {}; version(s) {} keep serving until "
                        + "a new version is complete or the model is removed from the config", model.name(),
                        model.basePath(), kept);
                keptAfterVersionsVanished = true;
            }
            aspired = kept;
        } else {
            keptAfterVersionsVanished = false;
        }
        // A loader loads at most once: a version that stops being aspired and comes back gets a new one.
        loaders.keySet().retainAll(aspired);
        // So does a version whose load failed and whose files changed since: the manager loads it again.
        if (loaders.values().removeIf(WatchedVersionLoader::failedAndChangedSince)) {
            log.info("Model {}: a version that failed to load changed on disk; loading it again", model.name());
            published = null;
        }
        if (aspired.equals(published)) {
            return Optional.empty();
        }
        List<AspiredVersion> versions = new ArrayList<>(aspired.size());
        for (long version : aspired) {
            // A kept version's folder may be gone: its loader (already loaded) is reused; a new one would be
            // made only after a config reload, and then from the path it was loaded from.
            Loader loader = loaders.computeIfAbsent(version,
                    v -> new WatchedVersionLoader(versionPath(v), loaderFactory.apply(versionPath(v))));
            versions.add(new AspiredVersion(new ServableId(model.name(), version), loader));
        }
        if (!aspired.isEmpty()) {
            lastServed = new TreeSet<>(aspired);
            aspired.forEach(version -> lastPaths.put(version, versionPath(version)));
            lastPaths.keySet().retainAll(aspired);
        }
        return Optional.of(new AspiredChange(aspired, List.copyOf(versions)));
    }

    private Path versionPath(long version) {
        VersionDirectory directory = versionDirectories.get(version);
        return directory != null ? directory.path() : lastPaths.get(version);
    }

    private void logWaits(Map<Long, String> nowWaiting) {
        nowWaiting.forEach((version, reason) -> {
            if (!reason.equals(waiting.get(version))) {
                log.info("Model {} version {} is not complete: {}", model.name(), version, reason);
            }
        });
    }

    /** True while a version folder the policy wants was still changing at the last poll (so not yet checked). */
    boolean hasUnstableVersions() {
        return changing;
    }

    /** The versions the policy wants that are not complete yet, with what each waits for (as of the last poll). */
    Map<Long, String> waiting() {
        return waiting;
    }

    void published(SortedSet<Long> versions) {
        published = versions;
    }

    /** The version folders under the base path, or empty (logged once) if the base path is missing. */
    private Optional<Map<Long, Path>> listVersionFolders() throws IOException {
        Path basePath = model.basePath();
        if (!Files.isDirectory(basePath)) {
            if (!reportedMissingBasePath) {
                log.warn("Base path {} of model {} does not exist (yet); serving none of its versions until it does",
                        basePath, model.name());
                reportedMissingBasePath = true;
            }
            return Optional.empty();
        }
        if (reportedMissingBasePath) {
            log.info("Base path {} of model {} exists now", basePath, model.name());
            reportedMissingBasePath = false;
        }
        Map<Long, Path> folders = new TreeMap<>();
        try (DirectoryStream<Path> children = Files.newDirectoryStream(basePath)) {
            for (Path child : children) {
                String fileName = child.getFileName().toString();
                if (VersionFolderNames.versionOf(fileName).isPresent() && Files.isDirectory(child)) {
                    addVersionFolder(folders, fileName, child);
                }
            }
        }
        return Optional.of(folders);
    }

    private void addVersionFolder(Map<Long, Path> folders, String fileName, Path folder) {
        long version = VersionFolderNames.versionOf(fileName).getAsLong();
        Path other = folders.get(version);
        // "1" and "001" are the same version; take the same one at every poll whatever the listing order.
        if (other == null || VersionFolderNames.takesPrecedence(fileName, other.getFileName().toString())) {
            folders.put(version, folder);
        }
        if (other != null) {
            log.warn("Model {} has two folders for version {} ({} and {}); using {}",
                    model.name(), version, other, folder, folders.get(version));
        }
    }

    /** The aspired set worked out at a poll, and what to give the target for it. */
    record AspiredChange(SortedSet<Long> versions, List<AspiredVersion> aspired) {
    }

    /**
     * What a poll found: the aspired set if the target needs to hear it (empty if nothing changed or the base
     * path is missing, then the target keeps what it had), the versions waiting to be complete, and those that
     * waited at the previous poll but no longer do without being aspired (gone, or no longer wanted).
     */
    record PollResult(Optional<AspiredChange> change, Map<Long, String> waiting, Set<Long> endedWaits) {
    }
}
