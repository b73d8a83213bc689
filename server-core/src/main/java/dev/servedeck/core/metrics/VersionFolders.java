package dev.servedeck.core.metrics;

import dev.servedeck.core.servable.ServableId;
import dev.servedeck.core.source.VersionFolderNames;
import dev.servedeck.proto.config.ModelConfig;
import dev.servedeck.proto.config.ModelServerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The folder a model version was loaded from (TensorFlow's {@code model_path} label), found in the base
 * path the config names: version folders may be zero-padded ({@code 00000123}), so the folder is looked
 * up rather than composed. Runs once per load, on the manager thread.
 */
final class VersionFolders implements Function<ServableId, String> {

    private final List<Supplier<ModelServerConfig>> configs;

    /** @param configs where to look for the model's base path, in order (the config being applied first) */
    VersionFolders(List<Supplier<ModelServerConfig>> configs) {
        this.configs = List.copyOf(configs);
    }

    @Override
    public String apply(ServableId id) {
        Optional<Path> basePath = basePath(id.name());
        if (basePath.isEmpty()) {
            return id.name() + "/" + id.version();
        }
        try (Stream<Path> children = Files.list(basePath.get())) {
            return children.filter(child -> isVersion(child.getFileName().toString(), id.version()))
                    .findFirst()
                    .orElse(basePath.get().resolve(Long.toString(id.version())))
                    .toString();
        } catch (IOException e) {
            return basePath.get().resolve(Long.toString(id.version())).toString();
        }
    }

    private Optional<Path> basePath(String model) {
        for (Supplier<ModelServerConfig> config : configs) {
            ModelServerConfig current = config.get();
            if (current == null) {
                continue;
            }
            for (ModelConfig candidate : current.getModelConfigList().getConfigList()) {
                if (candidate.getName().equals(model)) {
                    return Optional.of(Path.of(candidate.getBasePath()));
                }
            }
        }
        return Optional.empty();
    }

    private static boolean isVersion(String folder, long version) {
        OptionalLong named = VersionFolderNames.versionOf(folder);
        return named.isPresent() && named.getAsLong() == version;
    }
}
