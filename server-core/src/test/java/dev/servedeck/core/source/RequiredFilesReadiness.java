package dev.servedeck.core.source;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Complete when every named file is in the version folder, as a real format's check says; counts its checks. */
final class RequiredFilesReadiness implements VersionReadiness {

    private final List<String> required;
    private final Map<Path, Integer> checks = new ConcurrentHashMap<>();

    RequiredFilesReadiness(String... required) {
        this.required = List.of(required);
    }

    @Override
    public Verdict check(Path versionFolder) {
        checks.merge(versionFolder, 1, Integer::sum);
        for (String file : required) {
            if (!Files.exists(versionFolder.resolve(file))) {
                return new Waiting("waiting for " + file);
            }
        }
        return READY;
    }

    int checksOf(Path versionFolder) {
        return checks.getOrDefault(versionFolder, 0);
    }
}
