package dev.servedeck.core.source;

import java.io.IOException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a version directory looked like at one poll: every file and directory under it, by relative path,
 * with size and modification time. Two equal fingerprints one poll apart mean nobody is writing there.
 */
record VersionFingerprint(Map<String, Stamp> entries, Instant newestModification) {

    record Stamp(boolean directory, long size, FileTime modified) {
    }

    /**
     * Walks the directory (following links, as a model folder may be linked in).
     *
     * @throws IOException if anything under it cannot be read, e.g. because it is being replaced
     */
    static VersionFingerprint of(Path versionDirectory) throws IOException {
        Map<String, Stamp> entries = new TreeMap<>();
        Instant[] newest = {Instant.MIN};
        Files.walkFileTree(versionDirectory, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE,
                new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
                        add(dir, attributes);
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                        add(file, attributes);
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFileFailed(Path file, IOException failure) throws IOException {
                        throw failure;
                    }

                    private void add(Path path, BasicFileAttributes attributes) {
                        boolean directory = attributes.isDirectory();
                        FileTime modified = attributes.lastModifiedTime();
                        entries.put(versionDirectory.relativize(path).toString(),
                                new Stamp(directory, directory ? 0 : attributes.size(), modified));
                        if (modified.toInstant().isAfter(newest[0])) {
                            newest[0] = modified.toInstant();
                        }
                    }
                });
        return new VersionFingerprint(Collections.unmodifiableMap(entries), newest[0]);
    }

    /** True if nothing under the directory changed during the quiet period before {@code now}. */
    boolean quietFor(Duration quietPeriod, Instant now) {
        return newestModification.isBefore(now.minus(quietPeriod));
    }
}
