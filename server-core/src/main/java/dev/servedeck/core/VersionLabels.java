package dev.servedeck.core;

import dev.servedeck.core.admin.VersionLabelRule;
import dev.servedeck.core.status.ServingException;
import dev.servedeck.proto.config.ModelConfig;
import dev.servedeck.proto.config.ModelServerConfig;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.SortedSet;
import java.util.function.Function;

/** An immutable model -> label -> version table, built from a config's {@code version_labels}. */
final class VersionLabels {

    static final VersionLabels EMPTY = new VersionLabels(Map.of());

    private final Map<String, Map<String, Long>> byModel;

    private VersionLabels(Map<String, Map<String, Long>> byModel) {
        this.byModel = byModel;
    }

    /**
     * Builds the table, checking every label against {@link VersionLabelRule} (TF Serving's rule: at an AVAILABLE
     * version, or with --allow_version_labels_for_unavailable_models a label that is new or keeps its version).
     *
     * @param inForce the labels in force, which a label may keep but not move to a version that is not AVAILABLE
     * @throws ServingException FAILED_PRECONDITION naming the first label that points nowhere
     */
    static VersionLabels from(ModelServerConfig config, Function<String, SortedSet<Long>> availableVersions,
            VersionLabelRule rule, VersionLabels inForce) {
        Map<String, Map<String, Long>> table = new HashMap<>();
        for (ModelConfig model : config.getModelConfigList().getConfigList()) {
            if (model.getVersionLabelsCount() == 0) {
                continue;
            }
            SortedSet<Long> available = availableVersions.apply(model.getName());
            for (Map.Entry<String, Long> label : model.getVersionLabelsMap().entrySet()) {
                rule.check(model.getName(), label.getKey(), label.getValue(),
                        inForce.version(model.getName(), label.getKey()), available);
            }
            table.put(model.getName(), Map.copyOf(model.getVersionLabelsMap()));
        }
        return new VersionLabels(Map.copyOf(table));
    }

    OptionalLong version(String model, String label) {
        Long version = byModel.getOrDefault(model, Map.of()).get(label);
        return version == null ? OptionalLong.empty() : OptionalLong.of(version);
    }

    Map<String, Long> labelsOf(String model) {
        return byModel.getOrDefault(model, Map.of());
    }
}
