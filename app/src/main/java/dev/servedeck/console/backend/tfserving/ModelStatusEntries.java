package dev.servedeck.console.backend.tfserving;

import dev.servedeck.console.backend.ModelEntry;
import dev.servedeck.console.backend.VersionEntry;
import dev.servedeck.core.servable.ManagerState;
import dev.servedeck.core.source.ServableVersionPolicy;
import dev.servedeck.proto.apis.GetModelStatusResponse;
import dev.servedeck.proto.apis.ModelVersionStatus;
import dev.servedeck.proto.config.ModelConfig;
import dev.servedeck.proto.config.ModelServerConfig;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * TF Serving's {@code GetModelStatus} answers as the console's model entries, and what changed between two polls.
 * GetModelStatus tells versions and states only: base path, policy and labels come from the config the console
 * sent, when it sent one naming the model (else an empty path and TF Serving's default policy, latest 1).
 */
final class ModelStatusEntries {

    private ModelStatusEntries() {
    }

    /**
     * @param previous the model at the last poll (keeps a version's "since" while its state stays), or null
     * @param now when this poll answered: the "since" of a version in a new state
     */
    static ModelEntry entry(String name, GetModelStatusResponse answer, ModelEntry previous, ModelServerConfig sent,
            Instant now) {
        List<VersionEntry> versions = new ArrayList<>();
        for (ModelVersionStatus version : answer.getModelVersionStatusList()) {
            ManagerState state = state(version.getState());
            String error = version.getStatus().getErrorCodeValue() == 0 ? "" : version.getStatus().getErrorMessage();
            Instant since = previous == null ? now : previous.versions().stream()
                    .filter(v -> v.version() == version.getVersion() && v.state() == state)
                    .map(VersionEntry::since).findFirst().orElse(now);
            versions.add(new VersionEntry(version.getVersion(), state, error, since));
        }
        versions.sort(Comparator.comparingLong(VersionEntry::version));
        Optional<ModelConfig> configured = sent.getModelConfigList().getConfigList().stream()
                .filter(model -> model.getName().equals(name)).findFirst();
        return ModelEntry.of(name, configured.map(model -> Path.of(model.getBasePath())).orElse(Path.of("")),
                configured.filter(ModelConfig::hasModelVersionPolicy)
                        .map(model -> ServableVersionPolicy.fromProto(model.getModelVersionPolicy()))
                        .orElse(new ServableVersionPolicy.Latest(1)),
                configured.map(ModelConfig::getVersionLabelsMap).orElse(Map.of()), versions);
    }

    /** The versions of {@code now} that are new, or whose state or error differ from {@code before} (null: all). */
    static List<VersionEntry> changedVersions(ModelEntry before, ModelEntry now) {
        List<VersionEntry> changed = new ArrayList<>();
        for (VersionEntry version : now.versions()) {
            Optional<VersionEntry> was = before == null ? Optional.empty() : before.versions().stream()
                    .filter(v -> v.version() == version.version()).findFirst();
            if (was.isEmpty() || was.get().state() != version.state() || !was.get().error().equals(version.error())) {
                changed.add(version);
            }
        }
        return changed;
    }

    /** Every version END: TF Serving keeps answering so for a model it unloaded. */
    static boolean ended(ModelEntry model) {
        return model.versions().stream().allMatch(version -> version.state() == ManagerState.END);
    }

    private static ManagerState state(ModelVersionStatus.State state) {
        return switch (state) {
            case LOADING -> ManagerState.LOADING;
            case AVAILABLE -> ManagerState.AVAILABLE;
            case UNLOADING -> ManagerState.UNLOADING;
            case END -> ManagerState.END;
            default -> ManagerState.START;
        };
    }
}
