package dev.servedeck.core.source;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * How a version folder under a model's base path is named, as TF Serving's file system source reads it: a
 * folder whose name is all digits is that version ({@code 00000123} is version 123); when two folders name
 * one version ({@code 1} and {@code 001}) the smaller name is served, whatever order the file system lists
 * them in. The one place this rule lives: the source, the admin service and metrics all ask here.
 */
public final class VersionFolderNames {

    private static final Pattern DIGITS = Pattern.compile("[0-9]+");

    private VersionFolderNames() {
    }

    /** The version a folder name stands for; empty for names that are not all digits or exceed a long. */
    public static OptionalLong versionOf(String folderName) {
        if (!DIGITS.matcher(folderName).matches()) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(folderName));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** Of two folders naming one version, whether {@code candidate} is served rather than {@code current}. */
    public static boolean takesPrecedence(String candidate, String current) {
        return candidate.compareTo(current) < 0;
    }

    /**
     * Every version folder under a base path by version, the folder served for each (empty when the base path
     * is not a folder). Completeness is not checked here: the source does that before it aspires a version.
     */
    public static SortedMap<Long, Path> list(Path basePath) throws IOException {
        SortedMap<Long, Path> folders = new TreeMap<>();
        if (!Files.isDirectory(basePath)) {
            return folders;
        }
        try (DirectoryStream<Path> children = Files.newDirectoryStream(basePath)) {
            for (Path child : children) {
                String name = child.getFileName().toString();
                OptionalLong version = versionOf(name);
                if (version.isEmpty() || !Files.isDirectory(child)) {
                    continue;
                }
                Path other = folders.get(version.getAsLong());
                if (other == null || takesPrecedence(name, other.getFileName().toString())) {
                    folders.put(version.getAsLong(), child);
                }
            }
        }
        return Collections.unmodifiableSortedMap(folders);
    }
}
