package dev.servedeck.core.server;

import dev.servedeck.core.admin.ModelAdministration;
import dev.servedeck.core.grpc.admin.ModelOperations;
import dev.servedeck.core.source.ServableVersionPolicy;
import dev.servedeck.core.status.ServingException;
import dev.servedeck.proto.config.FileSystemStoragePathSourceConfig;
import dev.servedeck.proto.config.ModelServerConfig;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * The admin API's per-model operations on the core's {@link ModelAdministration}, which holds every rule (names,
 * labels, unloads, the allowlist) and applies each change as ReloadConfig would. This class only translates the
 * API's wire values: a base path string into a path, a proto version policy into the core's.
 */
final class AdministeredModelOperations implements ModelOperations {

    private final ModelAdministration administration;

    AdministeredModelOperations(ModelAdministration administration) {
        this.administration = administration;
    }

    @Override
    public void addModel(String name, String basePath, FileSystemStoragePathSourceConfig.ServableVersionPolicy policy) {
        // An unset policy is TF Serving's default, the latest version.
        administration.addModel(name, path(basePath), ServableVersionPolicy.fromProto(policy));
    }

    @Override
    public void removeModel(String name) {
        administration.removeModel(name);
    }

    @Override
    public void setVersionPolicy(String model, FileSystemStoragePathSourceConfig.ServableVersionPolicy policy) {
        if (policy.getPolicyChoiceCase()
                == FileSystemStoragePathSourceConfig.ServableVersionPolicy.PolicyChoiceCase.POLICYCHOICE_NOT_SET) {
            // Changing a policy to "unset" is almost certainly a client that forgot the field, not a wish for latest.
            throw ServingException.invalidArgument("A version policy is required (latest, all or specific)");
        }
        administration.setVersionPolicy(model, ServableVersionPolicy.fromProto(policy));
    }

    @Override
    public void loadVersion(String model, long version) {
        administration.loadVersion(model, version);
    }

    @Override
    public void unloadVersion(String model, long version) {
        administration.unloadVersion(model, version);
    }

    @Override
    public void setLabel(String model, String label, long version) {
        administration.setLabel(model, label, version);
    }

    @Override
    public void removeLabel(String model, String label) {
        administration.removeLabel(model, label);
    }

    @Override
    public void replaceConfig(ModelServerConfig config) {
        administration.replaceConfigKeepingServableLabels(config);
    }

    private static Path path(String basePath) {
        if (basePath.isBlank()) {
            throw ServingException.invalidArgument("A model needs a base path");
        }
        try {
            return Path.of(basePath);
        } catch (InvalidPathException e) {
            throw ServingException.invalidArgument("Not a path: " + basePath);
        }
    }
}
