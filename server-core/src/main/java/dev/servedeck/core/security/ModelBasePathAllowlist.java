package dev.servedeck.core.security;

import dev.servedeck.core.status.ServingException;
import dev.servedeck.proto.config.ModelConfig;
import dev.servedeck.proto.config.ModelServerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * {@code --model_base_path_allowlist}: the folders a model config may take models from. Without it a client
 * allowed to reload the config (or anyone, without tokens) could have the server load any folder it can read.
 *
 * <p>A base path is judged by where it really leads: made absolute against the working directory, and its
 * existing part resolved by the file system ({@link Path#toRealPath}: links followed, {@code ..} taken after
 * them), so neither {@code /models/../etc} nor a link under {@code /models} that points elsewhere gets out. A
 * part that does not exist yet (a model folder to be copied in later) is judged by its name. What is created
 * under an allowed folder later is the business of whoever may write there.
 */
public final class ModelBasePathAllowlist {

    /** No allowlist: every base path is allowed (TF Serving's behaviour). */
    public static final ModelBasePathAllowlist ANY = new ModelBasePathAllowlist(List.of());

    private final List<Path> folders;

    private ModelBasePathAllowlist(List<Path> folders) {
        this.folders = List.copyOf(folders);
    }

    /** Base paths must lie in one of {@code folders} (resolved as base paths are, once, now). */
    public static ModelBasePathAllowlist of(List<Path> folders) {
        List<Path> resolved = new ArrayList<>();
        for (Path folder : folders) {
            Path location = realLocation(folder);
            if (location == null) {
                throw ServingException.invalidArgument("--model_base_path_allowlist folder " + folder
                        + " climbs with .. out of a folder that does not exist");
            }
            resolved.add(location);
        }
        return new ModelBasePathAllowlist(resolved);
    }

    /** From the flag's text, {@code DIR[,DIR]}; empty text means {@link #ANY}. */
    public static ModelBasePathAllowlist parse(String text) {
        List<Path> folders = new ArrayList<>();
        for (String folder : text.split(",")) {
            if (!folder.isBlank()) {
                folders.add(Path.of(folder.strip()));
            }
        }
        return folders.isEmpty() ? ANY : of(folders);
    }

    /** Whether any base path is allowed. */
    public boolean allowsAny() {
        return folders.isEmpty();
    }

    /** The allowed folders, resolved. */
    public List<Path> folders() {
        return folders;
    }

    /**
     * Refuses a config naming a base path outside the allowed folders.
     *
     * @throws ServingException INVALID_ARGUMENT naming the model, its base path and the allowed folders
     */
    public void check(ModelServerConfig config) {
        if (allowsAny()) {
            return;
        }
        for (ModelConfig model : config.getModelConfigList().getConfigList()) {
            Path location = realLocation(Path.of(model.getBasePath()));
            if (location == null) {
                throw ServingException.invalidArgument("Model " + model.getName() + " has base_path "
                        + model.getBasePath() + ", which climbs with .. out of a folder that does not exist; "
                        + "--model_base_path_allowlist cannot tell where it leads");
            }
            if (folders.stream().noneMatch(location::startsWith)) {
                throw ServingException.invalidArgument("Model " + model.getName() + " has base_path "
                        + model.getBasePath() + (location.toString().equals(model.getBasePath()) ? ""
                                : " (resolved to " + location + ")")
                        + ", outside the folders --model_base_path_allowlist allows: " + describe());
            }
        }
    }

    private String describe() {
        return folders.stream().map(Path::toString).collect(Collectors.joining(", "));
    }

    /**
     * Where a path really leads, as the operating system will resolve it: its longest existing prefix through
     * {@link Path#toRealPath} (links followed, and each {@code ..} taken after the link before it, as the kernel
     * does, not lexically), then the part that does not exist yet, which holds no link. Null when that part
     * climbs with {@code ..}: where it leads depends on folders not created yet.
     */
    static Path realLocation(Path path) {
        Path absolute = path.toAbsolutePath();
        Path existing = absolute;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return climbs(absolute) ? null : absolute.normalize();
        }
        Path missing = existing.relativize(absolute);
        if (climbs(missing)) {
            return null;
        }
        try {
            return existing.toRealPath().resolve(missing).normalize();
        } catch (IOException e) {
            return null;
        }
    }

    private static boolean climbs(Path path) {
        for (Path name : path) {
            if (name.toString().equals("..")) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return allowsAny() ? "any folder" : describe();
    }
}
