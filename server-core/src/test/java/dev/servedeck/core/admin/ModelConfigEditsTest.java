package dev.servedeck.core.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.servedeck.core.config.ModelServerConfigFile;
import dev.servedeck.core.source.ServableVersionPolicy;
import dev.servedeck.proto.config.ModelServerConfig;
import java.nio.file.Path;
import java.util.TreeSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The config edits behind every model operation: pure functions over TF Serving's ModelServerConfig. */
class ModelConfigEditsTest {

    private static final ModelServerConfig TWO_MODELS = ModelServerConfigFile.parse("""
            model_config_list {
              config { name: "a" base_path: "/models/a" model_platform: "tensorflow" }
              config { name: "b" base_path: "/models/b" model_platform: "tensorflow"
                       version_labels { key: "stable" value: 1 } }
            }
            """, "test");

    @Test
    void addsAModelWithItsPolicyAndPrintsAsTfServingText() {
        ModelServerConfig config = ModelConfigEdits.addModel(TWO_MODELS, "c", Path.of("/models/c"),
                new ServableVersionPolicy.Specific(new TreeSet<>(List.of(3L, 1L))));

        String text = ModelServerConfigFile.format(config);
        ModelServerConfig reparsed = ModelServerConfigFile.parse(text, "round trip");
        assertThat(reparsed).isEqualTo(config);
        assertThat(ModelConfigEdits.model(config, "c").getModelVersionPolicy().getSpecific().getVersionsList())
                .containsExactly(1L, 3L);
    }

    @Test
    void refusesADuplicateOrNamelessModel() {
        assertThatThrownBy(() -> ModelConfigEdits.addModel(TWO_MODELS, "a", Path.of("/x"), new ServableVersionPolicy.All()))
                .hasMessageContaining("'a' is already served");
        assertThatThrownBy(() -> ModelConfigEdits.addModel(TWO_MODELS, " ", Path.of("/x"), new ServableVersionPolicy.All()))
                .hasMessageContaining("needs a name");
    }

    @Test
    void removesAModelAndKeepsTheOthers() {
        ModelServerConfig config = ModelConfigEdits.removeModel(TWO_MODELS, "a");

        assertThat(config.getModelConfigList().getConfigList()).extracting(c -> c.getName()).containsExactly("b");
        assertThatThrownBy(() -> ModelConfigEdits.removeModel(TWO_MODELS, "zzz"))
                .hasMessageContaining("No model named 'zzz'");
    }

    @Test
    void setsPoliciesOfEveryKind() {
        assertThat(ModelConfigEdits.model(ModelConfigEdits.setPolicy(TWO_MODELS, "a",
                new ServableVersionPolicy.Latest(3)), "a").getModelVersionPolicy().getLatest().getNumVersions())
                .isEqualTo(3);
        assertThat(ModelConfigEdits.model(ModelConfigEdits.setPolicy(TWO_MODELS, "a",
                new ServableVersionPolicy.All()), "a").getModelVersionPolicy().hasAll()).isTrue();
    }

    @Test
    void movesAndRemovesLabels() {
        ModelServerConfig moved = ModelConfigEdits.setLabel(TWO_MODELS, "b", "stable", 2);
        assertThat(ModelConfigEdits.model(moved, "b").getVersionLabelsMap()).containsEntry("stable", 2L);

        ModelServerConfig removed = ModelConfigEdits.removeLabel(moved, "b", "stable");
        assertThat(ModelConfigEdits.model(removed, "b").getVersionLabelsMap()).isEmpty();

        assertThatThrownBy(() -> ModelConfigEdits.removeLabel(TWO_MODELS, "a", "stable"))
                .hasMessageContaining("has no label 'stable'");
    }

    @Test
    void keepsOnlyTheLabelsAskedFor() {
        ModelServerConfig config = ModelConfigEdits.setLabel(TWO_MODELS, "b", "canary", 2);

        ModelServerConfig kept = ModelConfigEdits.keepLabels(config, (model, label, version) -> version == 2);

        assertThat(ModelConfigEdits.model(kept, "b").getVersionLabelsMap()).isEqualTo(java.util.Map.of("canary", 2L));
        assertThat(ModelConfigEdits.model(kept, "a")).isEqualTo(ModelConfigEdits.model(config, "a"));
    }
}
