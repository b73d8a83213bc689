package dev.servedeck.core.oip;

import dev.servedeck.core.VersionStatistics;
import dev.servedeck.core.admin.ModelStates;
import dev.servedeck.core.servable.ManagerState;
import dev.servedeck.core.servable.ServableId;
import dev.servedeck.core.servable.ServableState;
import dev.servedeck.core.status.ServingException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The statistics extension (Triton's {@code extension_statistics.md}): the cumulative statistics monitoring records
 * for each model version, for the versions that exist now (every state but END), by model name then version. The
 * numbers are monitoring's (core.metrics' InferenceStatistics, recorded from the same events as the Prometheus
 * metrics); this class only chooses which versions to answer for.
 */
public final class StatisticsExtension {

    private final Function<ServableId, VersionStatistics> recorded;
    private final ModelStates states;

    /** @param recorded what monitoring recorded for a version (all zeros for one that served nothing) */
    public StatisticsExtension(Function<ServableId, VersionStatistics> recorded, ModelStates states) {
        this.recorded = recorded;
        this.states = states;
    }

    /**
     * @param model empty for every model
     * @param version empty for every version of the model
     * @throws ServingException NOT_FOUND for a model or version that does not exist, INVALID_ARGUMENT for a version
     *     that is not a number or one given without a model
     */
    public List<VersionStatistics> read(String model, String version) {
        if (model.isEmpty()) {
            if (!version.isEmpty()) {
                throw ServingException.invalidArgument("A version needs a model name");
            }
            List<VersionStatistics> all = new ArrayList<>();
            new TreeMap<>(states.all()).forEach((name, versions) -> all.addAll(existing(name, versions)));
            return all;
        }
        List<VersionStatistics> versions = existing(model, states.versions(model));
        if (versions.isEmpty()) {
            throw ServingException.notFound("Model '" + model + "' has no versions");
        }
        if (version.isEmpty()) {
            return versions;
        }
        long number = OpenInference.versionNumber(version);
        return versions.stream()
                .filter(statistics -> statistics.id().version() == number)
                .findFirst()
                .map(List::of)
                .orElseThrow(() -> ServingException.notFound("Model '" + model + "' has no version " + version));
    }

    private List<VersionStatistics> existing(String model, SortedMap<Long, ServableState> versions) {
        List<VersionStatistics> existing = new ArrayList<>(versions.size());
        for (Map.Entry<Long, ServableState> entry : versions.entrySet()) {
            if (entry.getValue().state() != ManagerState.END) {
                existing.add(recorded.apply(new ServableId(model, entry.getKey())));
            }
        }
        return existing;
    }
}
