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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The source's memory of one model between polls: the version folders seen and how stable they are, the
 * loader of each aspired version (one loader per version for as long as it stays aspired), and the last
 * aspired set given to the target. Guarded by the source's lock.
 */
final class ModelWatch {

    private static final Logger log = LoggerFactory.getLogger(ModelWatch.class);
    private static final Pattern VERSION_NAME = Pattern.compile("[0-9]+");

    private MonitoredModel model;
    private final Map<Long, VersionDirectory> versionDirectories = new TreeMap<>();
    private final Map<Long, Loader> loaders = new HashMap<>();
    /** The aspired set the target last accepted; null when the next poll must tell it again. */
    private SortedSet<Long> published;
    private boolean reportedMissingBasePath;

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
        }
        model = newModel;
        published = null;
    }

    /**
     * Looks at the base path and works out the aspired versions.
     *
     * @return the aspired versions if the target needs to hear them, empty if nothing changed or the base
     *     path is missing (then the target keeps what it had)
     */
    Optional<AspiredChange> poll(Instant now, Duration quietPeriod, Function<Path, Loader> loaderFactory)
            throws IOException {
        Optional<Map<Long, Path>> onDisk = listVersionFolders();
        if (onDisk.isEmpty()) {
            return Optional.empty();
        }
        Map<Long, Path> folders = onDisk.get();
        versionDirectories.entrySet().removeIf(entry -> !entry.getValue().path().equals(folders.get(entry.getKey())));
        folders.forEach((version, path) -> versionDirectories
                .computeIfAbsent(version, v -> new VersionDirectory(path))
                .observe(now, quietPeriod));
        SortedSet<Long> stable = new TreeSet<>();
        versionDirectories.forEach((version, directory) -> {
            if (directory.stable()) {
                stable.add(version);
            }
        });
        SortedSet<Long> aspired = model.policy().select(stable);
        // A loader loads at most once: a version that stops being aspired and comes back gets a new one.
        loaders.keySet().retainAll(aspired);
        if (aspired.equals(published)) {
            return Optional.empty();
        }
        List<AspiredVersion> versions = new ArrayList<>(aspired.size());
        for (long version : aspired) {
            Loader loader = loaders.computeIfAbsent(version,
                    v -> loaderFactory.apply(versionDirectories.get(v).path()));
            versions.add(new AspiredVersion(new ServableId(model.name(), version), loader));
        }
        return Optional.of(new AspiredChange(aspired, List.copyOf(versions)));
    }

    /** True while a version folder seen at the last poll is still changing (so not yet aspired). */
    boolean hasUnstableVersions() {
        return versionDirectories.values().stream().anyMatch(directory -> !directory.stable());
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
                if (VERSION_NAME.matcher(fileName).matches() && Files.isDirectory(child)) {
                    addVersionFolder(folders, fileName, child);
                }
            }
        }
        return Optional.of(folders);
    }

    private void addVersionFolder(Map<Long, Path> folders, String fileName, Path folder) {
        long version;
        try {
            version = Long.parseLong(fileName);
        } catch (NumberFormatException e) {
            log.debug("Ignoring {}: the number is too large for a version", folder);
            return;
        }
        Path other = folders.get(version);
        // "1" and "001" are the same version; take the same one at every poll whatever the listing order.
        if (other == null || fileName.compareTo(other.getFileName().toString()) < 0) {
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
}
