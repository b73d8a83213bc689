package dev.servedeck.core.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.servedeck.core.ModelSpec;
import dev.servedeck.core.ServerCore;
import dev.servedeck.core.ServerCoreOptions;
import dev.servedeck.core.config.ModelServerConfigFile;
import dev.servedeck.core.security.ModelBasePathAllowlist;
import dev.servedeck.core.servable.ManagerState;
import dev.servedeck.core.servable.ServableId;
import dev.servedeck.core.servable.ServableState;
import dev.servedeck.core.source.ServableVersionPolicy;
import dev.servedeck.core.status.Code;
import dev.servedeck.core.status.ServingException;
import dev.servedeck.core.testing.Await;
import dev.servedeck.core.testing.TestFolders;
import dev.servedeck.core.testing.TfServingTestData;
import dev.servedeck.proto.config.ModelServerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The model-admin service on a real ServerCore serving real SavedModels (TF Serving's half_plus_two copied
 * into version folders 1, 2 and 3 of a temporary base path): every operation, every refusal, and that a
 * refused change leaves the config in force as it was.
 */
class ModelAdministrationTest {

    private static final Duration SETTLED = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private ServerCore core;

    @AfterEach
    void close() {
        if (core != null) {
            core.close();
        }
    }

    private ModelAdministration start(ServerCoreOptions options, long... versions) throws Exception {
        Path base = halfPlusTwo("hp2", versions);
        core = ServerCore.start(options, config("hp2", base, ""));
        return core.administration();
    }

    private ModelAdministration start(long... versions) throws Exception {
        return start(ServerCoreOptions.defaults(), versions);
    }

    /** TF Serving's half_plus_two copied into one version folder per number (written by TensorFlow). */
    private Path halfPlusTwo(String name, long... versions) throws Exception {
        Path base = dir.resolve(name);
        for (long version : versions) {
            TestFolders.copy(TfServingTestData.version("saved_model_half_plus_two_cpu", "00000123"),
                    base.resolve(Long.toString(version)));
        }
        return base;
    }

    private static ModelServerConfig config(String name, Path base, String extra) {
        return ModelServerConfigFile.parse("model_config_list { config { name: \"" + name + "\" base_path: \""
                + base.toAbsolutePath() + "\" model_platform: \"tensorflow\" " + extra + " } }", "test");
    }

    private List<Long> available(String model) {
        return List.copyOf(core.states().availableVersions(model));
    }

    private long versionServedFor(ModelSpec spec) {
        return core.metadata(spec).servedBy().version();
    }

    // ---- operations ----

    @Test
    void addModelServesTheVersionsItsPolicyChooses() throws Exception {
        ModelAdministration admin = start(1);
        Path other = halfPlusTwo("other", 4, 5, 6);

        admin.addModel("other", other, new ServableVersionPolicy.Latest(2));

        assertThat(available("other")).containsExactly(5L, 6L);
        assertThat(admin.config().getModelConfigList().getConfigList()).extracting(m -> m.getName())
                .containsExactly("hp2", "other");
        assertThat(admin.config().getModelConfigList().getConfig(1).getBasePath())
                .isEqualTo(other.toAbsolutePath().toString());
        assertThat(versionServedFor(ModelSpec.latest("other"))).isEqualTo(6);
    }

    @Test
    void removeModelUnloadsItAndDropsItsLabels() throws Exception {
        ModelAdministration admin = start(1);
        admin.addModel("other", halfPlusTwo("other", 2), new ServableVersionPolicy.All());
        admin.setLabel("other", "stable", 2);

        admin.removeModel("other");

        assertThat(admin.config().getModelConfigList().getConfigList()).extracting(m -> m.getName())
                .containsExactly("hp2");
        assertThat(core.states().hasAvailableVersion("other")).isFalse();
        assertThat(core.versionLabels("other")).isEmpty();
        // The removed model's version unloads after the call returns (UNAVAILABLE while it does), then is gone.
        Await.until(() -> notFound(() -> core.metadata(ModelSpec.latest("other"))), SETTLED);
    }

    @Test
    void loadAndUnloadAVersionKeepTheOthers() throws Exception {
        ModelAdministration admin = start(1, 2, 3);
        assertThat(available("hp2")).containsExactly(3L);

        admin.loadVersion("hp2", 1);
        assertThat(available("hp2")).containsExactly(1L, 3L);
        assertThat(admin.config().getModelConfigList().getConfig(0).getModelVersionPolicy().getSpecific()
                .getVersionsList()).containsExactly(1L, 3L);

        admin.unloadVersion("hp2", 3);
        assertThat(core.states().awaitState(new ServableId("hp2", 3), ManagerState.END, SETTLED)).isTrue();
        assertThat(available("hp2")).containsExactly(1L);
        assertThat(versionServedFor(ModelSpec.latest("hp2"))).isEqualTo(1);
    }

    @Test
    void aZeroPaddedVersionFolderIsThatVersion() throws Exception {
        ModelAdministration admin = start(3);
        TestFolders.copy(TfServingTestData.version("saved_model_half_plus_two_cpu", "00000123"),
                dir.resolve("hp2").resolve("00000007"));

        assertThat(admin.versionFolder("hp2", 7)).contains(dir.resolve("hp2").resolve("00000007"));
        admin.loadVersion("hp2", 7);

        assertThat(available("hp2")).containsExactly(3L, 7L);
    }

    @Test
    void aPolicyChangeAppliesAtOnce() throws Exception {
        ModelAdministration admin = start(1, 2, 3);

        admin.setVersionPolicy("hp2", new ServableVersionPolicy.All());
        assertThat(available("hp2")).containsExactly(1L, 2L, 3L);

        admin.setVersionPolicy("hp2", new ServableVersionPolicy.Specific(new TreeSet<>(List.of(2L))));
        assertThat(available("hp2")).containsExactly(2L);

        admin.setVersionPolicy("hp2", new ServableVersionPolicy.Latest(2));
        assertThat(available("hp2")).containsExactly(2L, 3L);
        assertThat(admin.config().getModelConfigList().getConfig(0).getModelVersionPolicy().getLatest()
                .getNumVersions()).isEqualTo(2);
    }

    @Test
    void labelsAreSetMovedAndRemovedAndRequestsFollowThem() throws Exception {
        ModelAdministration admin = start(1, 2, 3);
        admin.setVersionPolicy("hp2", new ServableVersionPolicy.All());

        admin.setLabel("hp2", "stable", 2);
        assertThat(versionServedFor(ModelSpec.label("hp2", "stable"))).isEqualTo(2);

        admin.setLabel("hp2", "stable", 3);
        admin.setLabel("hp2", "canary", 1);
        assertThat(core.versionLabels("hp2")).isEqualTo(Map.of("stable", 3L, "canary", 1L));
        assertThat(admin.config().getModelConfigList().getConfig(0).getVersionLabelsMap())
                .isEqualTo(Map.of("stable", 3L, "canary", 1L));
        assertThat(versionServedFor(ModelSpec.label("hp2", "stable"))).isEqualTo(3);

        admin.removeLabel("hp2", "canary");
        assertThat(core.versionLabels("hp2")).isEqualTo(Map.of("stable", 3L));
        assertThatThrownBy(() -> core.metadata(ModelSpec.label("hp2", "canary")))
                .hasMessageContaining("Unrecognized servable version label: canary");
    }

    @Test
    void replaceConfigSwapsTheModelsAsReloadConfigDoes() throws Exception {
        ModelAdministration admin = start(1);
        Path fresh = halfPlusTwo("fresh", 7);
        ModelServerConfig next = config("fresh", fresh, "version_labels { key: \"stable\" value: 7 }");

        admin.replaceConfig(next);

        assertThat(admin.config()).isEqualTo(next);
        assertThat(available("fresh")).containsExactly(7L);
        assertThat(versionServedFor(ModelSpec.label("fresh", "stable"))).isEqualTo(7);
        assertThat(core.states().hasAvailableVersion("hp2")).isFalse();
    }

    @Test
    void aReplacedConfigWithARefusedLabelKeepsTheLabelsInForceAsTfServingDoes() throws Exception {
        ModelAdministration admin = start(1, 2);
        admin.setVersionPolicy("hp2", new ServableVersionPolicy.All());
        admin.setLabel("hp2", "stable", 1);
        ModelServerConfig withBadLabel = config("hp2", dir.resolve("hp2"),
                "model_version_policy { all {} } version_labels { key: \"stable\" value: 2 }"
                        + " version_labels { key: \"broken\" value: 9 }");

        assertRefused(() -> admin.replaceConfig(withBadLabel), Code.FAILED_PRECONDITION, "broken");

        assertThat(core.versionLabels("hp2")).isEqualTo(Map.of("stable", 1L));
        assertThat(admin.config().getModelConfigList().getConfig(0).getVersionLabelsMap())
                .isEqualTo(Map.of("stable", 1L));
    }

    @Test
    void aConfigOpenedWithARefusedLabelServesItsModelsAndTheLabelsThatServe() throws Exception {
        ModelAdministration admin = start(1);
        Path fresh = halfPlusTwo("fresh", 7);
        ModelServerConfig file = config("fresh", fresh,
                "version_labels { key: \"stable\" value: 7 } version_labels { key: \"broken\" value: 9 }");

        assertRefused(() -> admin.replaceConfigKeepingServableLabels(file), Code.FAILED_PRECONDITION,
                "without the labels");

        assertThat(available("fresh")).containsExactly(7L);
        assertThat(core.versionLabels("fresh")).isEqualTo(Map.of("stable", 7L));
        assertThat(admin.config().getModelConfigList().getConfig(0).getVersionLabelsMap())
                .isEqualTo(Map.of("stable", 7L));
        // The config in force applies again as it is.
        admin.replaceConfig(admin.config());
    }

    // ---- refusals: each names the problem and changes nothing ----

    @Test
    void unknownModelsAreNotFound() throws Exception {
        ModelAdministration admin = start(1);
        String missing = "No model named 'nope'";

        assertUnchanged(admin, () -> admin.removeModel("nope"), Code.NOT_FOUND, missing);
        assertUnchanged(admin, () -> admin.setVersionPolicy("nope", new ServableVersionPolicy.All()), Code.NOT_FOUND,
                missing);
        assertUnchanged(admin, () -> admin.loadVersion("nope", 1), Code.NOT_FOUND, missing);
        assertUnchanged(admin, () -> admin.unloadVersion("nope", 1), Code.NOT_FOUND, missing);
        assertUnchanged(admin, () -> admin.setLabel("nope", "stable", 1), Code.NOT_FOUND, missing);
        assertUnchanged(admin, () -> admin.removeLabel("nope", "stable"), Code.NOT_FOUND, missing);
        assertUnchanged(admin, () -> admin.versionFolder("nope", 1), Code.NOT_FOUND, missing);
    }

    @Test
    void aDuplicateANamelessOrAFolderlessModelIsRefused() throws Exception {
        ModelAdministration admin = start(1);

        assertUnchanged(admin, () -> admin.addModel("hp2", dir.resolve("hp2"), new ServableVersionPolicy.All()),
                Code.ALREADY_EXISTS, "'hp2' is already served");
        assertUnchanged(admin, () -> admin.addModel(" ", dir.resolve("hp2"), new ServableVersionPolicy.All()),
                Code.INVALID_ARGUMENT, "needs a name");
        assertUnchanged(admin, () -> admin.addModel("ghost", dir.resolve("nowhere"), new ServableVersionPolicy.All()),
                Code.INVALID_ARGUMENT, "is not a folder");
    }

    @Test
    void aBadPolicyIsRefused() throws Exception {
        ModelAdministration admin = start(1);

        assertUnchanged(admin, () -> admin.setVersionPolicy("hp2", new ServableVersionPolicy.Specific(new TreeSet<>())),
                Code.INVALID_ARGUMENT, "at least one version");
        assertUnchanged(admin, () -> admin.setVersionPolicy("hp2",
                new ServableVersionPolicy.Specific(new TreeSet<>(List.of(-1L, 1L)))), Code.INVALID_ARGUMENT, "-1");
        assertUnchanged(admin, () -> admin.addModel("other", dir.resolve("hp2"),
                new ServableVersionPolicy.Specific(new TreeSet<>())), Code.INVALID_ARGUMENT, "at least one version");
    }

    @Test
    void versionsThatCannotBeLoadedOrUnloadedAreRefused() throws Exception {
        ModelAdministration admin = start(1, 2);

        assertUnchanged(admin, () -> admin.loadVersion("hp2", 9), Code.NOT_FOUND, "has no version folder");
        assertUnchanged(admin, () -> admin.unloadVersion("hp2", 1), Code.FAILED_PRECONDITION,
                "Version 1 of hp2 is not being served");
        assertUnchanged(admin, () -> admin.unloadVersion("hp2", 2), Code.FAILED_PRECONDITION,
                "the only version of hp2");
        assertThat(available("hp2")).containsExactly(2L);
    }

    @Test
    void aLabelOnAVersionThatIsNotAvailableIsRefused() throws Exception {
        ModelAdministration admin = start(1, 2);

        assertUnchanged(admin, () -> admin.setLabel("hp2", "canary", 1), Code.FAILED_PRECONDITION,
                "Request to assign label canary to version 1 of model hp2, which is not currently available");
        assertUnchanged(admin, () -> admin.setLabel("hp2", "canary", 9), Code.FAILED_PRECONDITION,
                "not currently available");
        assertUnchanged(admin, () -> admin.setLabel("hp2", "has space", 2), Code.INVALID_ARGUMENT,
                "letters, digits");
        assertUnchanged(admin, () -> admin.removeLabel("hp2", "stable"), Code.NOT_FOUND, "has no label 'stable'");
        assertThat(core.versionLabels("hp2")).isEmpty();

        // Once loaded, the same label is accepted.
        admin.loadVersion("hp2", 1);
        admin.setLabel("hp2", "canary", 1);
        assertThat(versionServedFor(ModelSpec.label("hp2", "canary"))).isEqualTo(1);
    }

    @Test
    void aLabelledVersionIsNotUnloadedUntilItsLabelMoves() throws Exception {
        ModelAdministration admin = start(1, 2, 3);
        admin.loadVersion("hp2", 2);
        admin.setLabel("hp2", "stable", 3);

        assertUnchanged(admin, () -> admin.unloadVersion("hp2", 3), Code.FAILED_PRECONDITION, "label stable");
        assertUnchanged(admin, () -> admin.setVersionPolicy("hp2",
                new ServableVersionPolicy.Specific(new TreeSet<>(List.of(2L)))), Code.FAILED_PRECONDITION,
                "version 3 of hp2, which label stable points at");
        assertThat(available("hp2")).containsExactly(2L, 3L);

        admin.setLabel("hp2", "stable", 2);
        admin.unloadVersion("hp2", 3);
        assertThat(available("hp2")).containsExactly(2L);
        assertThat(versionServedFor(ModelSpec.label("hp2", "stable"))).isEqualTo(2);
    }

    @Test
    void withTheFlagANewLabelMayPointAtAnUnavailableVersionButAnExistingOneMayNotMoveThere() throws Exception {
        ModelAdministration admin = start(ServerCoreOptions.defaults().withAllowVersionLabelsForUnavailableModels(true),
                1, 2);
        admin.setLabel("hp2", "stable", 2);

        admin.setLabel("hp2", "next", 1);
        assertThat(core.versionLabels("hp2")).isEqualTo(Map.of("stable", 2L, "next", 1L));

        assertUnchanged(admin, () -> admin.setLabel("hp2", "stable", 1), Code.FAILED_PRECONDITION,
                "Request to assign label stable to version 1");
        assertThat(core.versionLabels("hp2")).isEqualTo(Map.of("stable", 2L, "next", 1L));
    }

    @Test
    void anInvalidConfigOrABasePathOutsideTheAllowlistChangesNothing() throws Exception {
        Path allowed = dir.resolve("allowed");
        ModelAdministration admin;
        Path base = TestFolders.copy(TfServingTestData.version("saved_model_half_plus_two_cpu", "00000123"),
                allowed.resolve("hp2").resolve("1")).getParent();
        core = ServerCore.start(ServerCoreOptions.defaults()
                .withModelBasePathAllowlist(ModelBasePathAllowlist.of(List.of(allowed))), config("hp2", base, ""));
        admin = core.administration();
        Path outside = halfPlusTwo("outside", 1);

        assertUnchanged(admin, () -> admin.addModel("outside", outside, new ServableVersionPolicy.All()),
                Code.INVALID_ARGUMENT, "outside");
        ModelServerConfig once = config("a", base, "");
        ModelServerConfig twice = once.toBuilder().setModelConfigList(once.getModelConfigList().toBuilder()
                .addConfig(once.getModelConfigList().getConfig(0))).build();
        assertUnchanged(admin, () -> admin.replaceConfig(twice), Code.INVALID_ARGUMENT, "multiple times");
        assertUnchanged(admin, () -> admin.replaceConfigKeepingServableLabels(twice), Code.INVALID_ARGUMENT,
                "multiple times");
        assertThat(available("hp2")).containsExactly(1L);
    }

    // ---- the state view ----

    @Test
    void theStateViewShowsEveryVersionAndStreamsChanges() throws Exception {
        ModelAdministration admin = start(1, 2);
        List<ServableState> seen = new CopyOnWriteArrayList<>();
        ModelStates states = core.states();

        try (AutoCloseable subscription = states.subscribe(seen::add)) {
            admin.loadVersion("hp2", 1);
        }

        ServableId one = new ServableId("hp2", 1);
        assertThat(seen).filteredOn(state -> state.id().equals(one)).extracting(ServableState::state)
                .contains(ManagerState.LOADING, ManagerState.AVAILABLE);
        assertThat(states.state(one)).get().extracting(ServableState::state).isEqualTo(ManagerState.AVAILABLE);
        assertThat(states.versions("hp2")).containsOnlyKeys(1L, 2L);
        assertThat(states.all()).containsOnlyKeys("hp2");
        assertThat(states.availableVersions("hp2")).containsExactly(1L, 2L);
        assertThat(states.servedVersions("hp2")).containsExactly(1L, 2L);
        assertThat(states.hasAvailableVersion("hp2")).isTrue();
        assertThat(states.hasAvailableVersion("nope")).isFalse();
        assertThat(states.awaitState(one, ManagerState.AVAILABLE, Duration.ofMillis(1))).isTrue();
        assertThat(states.awaitState(new ServableId("hp2", 9), ManagerState.AVAILABLE, Duration.ofMillis(50)))
                .isFalse();
    }

    @Test
    void aFailedLoadShowsItsErrorInTheStateView() throws Exception {
        ModelAdministration admin = start(1);
        Path bad = TestFolders.copy(TfServingTestData.version("bad_half_plus_two", "00000123"),
                dir.resolve("bad").resolve("1")).getParent();

        admin.addModel("bad", bad, new ServableVersionPolicy.All());

        ServableState state = core.states().state(new ServableId("bad", 1)).orElseThrow();
        assertThat(state.state()).isEqualTo(ManagerState.END);
        assertThat(state.failed()).isTrue();
        assertThat(state.health().message()).isNotBlank();
        assertThat(core.states().hasAvailableVersion("bad")).isFalse();
        assertThat(core.health().ready()).isFalse();
    }

    private static boolean notFound(Runnable call) {
        try {
            call.run();
            return false;
        } catch (ServingException e) {
            return e.code() == Code.NOT_FOUND;
        }
    }

    private void assertUnchanged(ModelAdministration admin, ThrowingCallable call, Code code, String words) {
        ModelServerConfig before = admin.config();
        Map<String, Long> labelsBefore = core.versionLabels("hp2");
        assertRefused(call, code, words);
        assertThat(admin.config()).as("the config in force").isEqualTo(before);
        assertThat(core.versionLabels("hp2")).as("the labels in force").isEqualTo(labelsBefore);
    }

    private static void assertRefused(ThrowingCallable call, Code code, String words) {
        assertThatThrownBy(call).isInstanceOfSatisfying(ServingException.class, e -> {
            assertThat(e.code()).isEqualTo(code);
            assertThat(e.getMessage()).contains(words);
        });
    }
}
