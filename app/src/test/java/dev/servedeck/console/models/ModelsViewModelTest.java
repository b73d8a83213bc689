package dev.servedeck.console.models;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servedeck.console.backend.ServerStatus;
import dev.servedeck.core.signature.SignatureInfo;
import dev.servedeck.core.signature.TensorInfo;
import dev.servedeck.console.backend.VersionEntry;
import dev.servedeck.console.testing.DirectExecutor;
import dev.servedeck.console.testing.FakeBackend;
import dev.servedeck.core.servable.ManagerState;
import dev.servedeck.core.source.ServableVersionPolicy;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ModelsViewModelTest {

    private static final Instant NOON = Instant.parse("2025-03-01T12:00:05Z");

    private FakeBackend backend;
    private ModelsViewModel viewModel;

    @BeforeEach
    void setUp() {
        backend = new FakeBackend();
        backend.state = ServerStatus.State.RUNNING;
        backend.models = List.of(
                FakeBackend.model("hp2", new ServableVersionPolicy.Specific(new TreeSet<>(List.of(1L, 2L))),
                        Map.of("stable", 2L), List.of(
                                new VersionEntry(1, ManagerState.AVAILABLE, "", NOON),
                                new VersionEntry(2, ManagerState.AVAILABLE, "", NOON),
                                new VersionEntry(3, ManagerState.END, "", NOON))),
                FakeBackend.model("mlp", new ServableVersionPolicy.Latest(1), Map.of(), List.of(
                        new VersionEntry(1, ManagerState.END, "Could not load: saved_model.pb missing", NOON))));
        backend.configText = "model_config_list {\n  config { name: \"hp2\" }\n}\n";
        viewModel = new ModelsViewModel(backend, new DirectExecutor(), ZoneOffset.UTC);
    }

    // ---- rows ----

    @Test
    void mapsModelsAndVersionsToRowsWithStatesInWords() {
        assertThat(viewModel.models()).extracting(ModelRow::name).containsExactly("hp2", "mlp");
        ModelRow hp2 = viewModel.models().get(0);
        assertThat(hp2.isModel()).isTrue();
        assertThat(hp2.state()).isEqualTo("2 available");
        assertThat(hp2.tone()).isEqualTo(ManagerState.AVAILABLE);
        assertThat(hp2.policy()).isEqualTo("specific 1, 2");
        assertThat(hp2.labels()).isEqualTo("stable → 2");
        assertThat(hp2.basePath()).isEqualTo(Path.of("/models", "hp2").toString());
        assertThat(hp2.versions()).extracting(ModelRow::name).containsExactly("version 1", "version 2", "version 3");
        assertThat(hp2.versions()).extracting(ModelRow::state)
                .containsExactly("AVAILABLE", "AVAILABLE", "END (unloaded)");
        assertThat(hp2.versions()).extracting(ModelRow::labels).containsExactly("", "stable", "");
        assertThat(hp2.versions().get(0).since()).isEqualTo("12:00:05");
        assertThat(hp2.versions().get(1).key()).isEqualTo("hp2:2");

        ModelRow mlp = viewModel.models().get(1);
        assertThat(mlp.state()).isEqualTo("0 available, 1 failed");
        assertThat(mlp.failed()).isTrue();
        ModelRow broken = mlp.versions().get(0);
        assertThat(broken.state()).isEqualTo("END (failed to load)");
        assertThat(broken.failed()).isTrue();
        assertThat(broken.details()).isEqualTo("Could not load: saved_model.pb missing");

        assertThat(viewModel.configTextProperty().get()).contains("name: \"hp2\"");
        assertThat(viewModel.runningProperty().get()).isTrue();
    }

    @Test
    void showsTheChangingStatesAsTheyArrive() {
        backend.models = List.of(FakeBackend.model("hp2", new ServableVersionPolicy.Latest(1), Map.of(), List.of(
                new VersionEntry(1, ManagerState.UNLOADING, "", NOON),
                new VersionEntry(2, ManagerState.LOADING, "", NOON),
                new VersionEntry(3, ManagerState.START, "", NOON))));

        backend.fireModelsChanged();

        ModelRow hp2 = viewModel.models().get(0);
        assertThat(hp2.state()).isEqualTo("0 available, 3 changing");
        assertThat(hp2.tone()).isEqualTo(ManagerState.LOADING);
        assertThat(hp2.versions()).extracting(ModelRow::state)
                .containsExactly("UNLOADING", "LOADING", "START (waiting to load)");
    }

    @Test
    void listsTheSignaturesOfTheSelectedVersionOnceItIsAvailable() {
        backend.signatures = List.of(
                new SignatureInfo("add", "tensorflow/serving/predict", List.of(new TensorInfo("a", "FLOAT", List.of(), true),
                        new TensorInfo("b", "FLOAT", List.of(), true)), List.of(new TensorInfo("output_0", "FLOAT", List.of(), true))),
                new SignatureInfo("classify_x_to_y", "tensorflow/serving/predict",
                        List.of(new TensorInfo("inputs", "STRING", List.of(-1L), false)),
                        List.of(new TensorInfo("scores", "FLOAT", List.of(-1L, 1L), false))));
        viewModel.select("hp2", OptionalLong.empty());
        assertThat(backend.calls).contains("signatures hp2 Number[version=2]"); // the latest AVAILABLE version
        assertThat(viewModel.signaturesTextProperty().get()).isEqualTo("""
                version 2: 2 signatures
                add (predict)
                    inputs a: FLOAT (any shape), b: FLOAT (any shape)  →  outputs output_0: FLOAT (any shape)
                classify_x_to_y (predict, classify)
                    inputs inputs: STRING [-1]  →  outputs scores: FLOAT [-1, 1]""");

        viewModel.select("hp2", OptionalLong.of(3));
        assertThat(viewModel.signaturesTextProperty().get())
                .isEqualTo("Version 3 is END: it has no signatures to show while it does not serve.");

        // A version warming up is LOADING: no read until it is AVAILABLE, then one.
        backend.models = List.of(FakeBackend.model("tf2", new ServableVersionPolicy.Latest(1), Map.of(), List.of(
                new VersionEntry(123, ManagerState.LOADING, "", NOON))));
        backend.fireModelsChanged();
        viewModel.select("tf2", OptionalLong.empty());
        assertThat(viewModel.models().get(0).versions()).extracting(ModelRow::state).containsExactly("LOADING");
        assertThat(viewModel.signaturesTextProperty().get()).isEqualTo("Version 123 is LOADING (restoring, "
                + "initializing or warming up): its signatures show when it is AVAILABLE.");
        assertThat(backend.calls).noneMatch(call -> call.startsWith("signatures tf2"));
        backend.models = List.of(FakeBackend.model("tf2", new ServableVersionPolicy.Latest(1), Map.of(), List.of(
                new VersionEntry(123, ManagerState.AVAILABLE, "", NOON))));
        backend.fireModelsChanged();
        backend.fireModelsChanged();
        assertThat(backend.calls).filteredOn(call -> call.startsWith("signatures tf2")).containsExactly(
                "signatures tf2 Number[version=123]");
        assertThat(viewModel.signaturesTextProperty().get()).startsWith("version 123: 2 signatures\nadd (predict)");

        viewModel.select(null, OptionalLong.empty());
        assertThat(viewModel.signaturesTextProperty().get()).isEmpty();
    }

    @Test
    void aVersionWaitingToBeCompleteSaysWhatForWithoutFailing() {
        backend.models = List.of(FakeBackend.model("hp2", new ServableVersionPolicy.Latest(1), Map.of(), List.of(
                new VersionEntry(1, ManagerState.AVAILABLE, "", NOON),
                new VersionEntry(2, ManagerState.START, "", "waiting for variables/variables.index", NOON))));

        backend.fireModelsChanged();

        ModelRow waiting = viewModel.models().get(0).versions().get(1);
        assertThat(waiting.state()).isEqualTo("START (waiting to load)");
        assertThat(waiting.failed()).isFalse();
        assertThat(waiting.details()).isEqualTo("waiting for variables/variables.index");
    }

    @Test
    void aBurstOfChangesCostsOneRefresh() {
        List<Runnable> posted = new ArrayList<>();
        Executor queued = posted::add;
        ModelsViewModel queuedModel = new ModelsViewModel(backend, queued, ZoneOffset.UTC);
        backend.calls.clear();

        for (int i = 0; i < 50; i++) {
            backend.fireModelsChanged();
        }
        assertThat(posted).hasSize(1);
        backend.models = List.of();
        posted.remove(0).run();
        assertThat(queuedModel.models()).isEmpty();

        backend.fireModelsChanged();
        assertThat(posted).as("a change after the refresh ran asks for another").hasSize(1);
        queuedModel.close();
    }

    @Test
    void aStoppedServerShowsNoModelsAndAllowsNoAction() {
        backend.state = ServerStatus.State.STOPPED;
        backend.fireModelsChanged();

        assertThat(viewModel.models()).isEmpty();
        assertThat(viewModel.runningProperty().get()).isFalse();
        assertThat(viewModel.canActProperty().get()).isFalse();
        assertThat(viewModel.configTextProperty().get()).isEmpty();
    }

    @Test
    void closingStopsListening() {
        viewModel.close();
        backend.models = List.of();
        backend.fireModelsChanged();
        assertThat(viewModel.models()).hasSize(2);
    }

    // ---- selection ----

    @Test
    void selectingAVersionFillsTheFormsAndSelectingAModelShowsItsPolicy() {
        viewModel.select("hp2", OptionalLong.of(2));

        assertThat(viewModel.selectionTextProperty().get()).isEqualTo("hp2, version 2");
        assertThat(viewModel.versionProperty().get()).isEqualTo("2");
        assertThat(viewModel.labelVersionProperty().get()).isEqualTo("2");
        assertThat(viewModel.policyKindProperty().get()).isEqualTo(PolicyKind.SPECIFIC);
        assertThat(viewModel.policyValueProperty().get()).isEqualTo("1, 2");
        assertThat(viewModel.versionChoices()).containsExactly("1", "2", "3");
        assertThat(viewModel.labelChoices()).containsExactly("stable");
        assertThat(viewModel.canActOnModelProperty().get()).isTrue();

        viewModel.select("mlp", OptionalLong.empty());
        assertThat(viewModel.policyKindProperty().get()).isEqualTo(PolicyKind.LATEST);
        assertThat(viewModel.policyValueProperty().get()).isEqualTo("1");
        assertThat(viewModel.labelChoices()).isEmpty();
    }

    @Test
    void thePolicyFieldsFollowTheServersPolicyWhenItChanges() {
        viewModel.select("mlp", OptionalLong.empty());
        viewModel.policyValueProperty().set("3");
        backend.fireModelsChanged();
        assertThat(viewModel.policyValueProperty().get()).as("the operator's edit stays").isEqualTo("3");

        backend.models = List.of(backend.models.get(0), FakeBackend.model("mlp",
                new ServableVersionPolicy.Specific(new TreeSet<>(List.of(1L, 4L))), Map.of(), List.of()));
        backend.fireModelsChanged();

        assertThat(viewModel.policyKindProperty().get()).isEqualTo(PolicyKind.SPECIFIC);
        assertThat(viewModel.policyValueProperty().get()).isEqualTo("1, 4");
    }

    @Test
    void aRemovedModelIsNoLongerSelected() {
        viewModel.select("mlp", OptionalLong.of(1));
        backend.models = backend.models.subList(0, 1);

        backend.fireModelsChanged();

        assertThat(viewModel.selectedModelProperty().get()).isNull();
        assertThat(viewModel.canActOnModelProperty().get()).isFalse();
    }

    @Test
    void deleteUnloadsAServingVersionAndRemovesAModel() {
        viewModel.select("hp2", OptionalLong.of(2));
        assertThat(viewModel.deleteAction()).isEqualTo(ModelsViewModel.DeleteAction.UNLOAD_VERSION);
        viewModel.versionProperty().set("1");
        viewModel.unloadSelectedVersion();
        assertThat(operations(backend)).containsExactly("unloadVersion hp2 2");

        viewModel.select("hp2", OptionalLong.of(3));
        assertThat(viewModel.deleteAction()).as("an unloaded version").isEqualTo(ModelsViewModel.DeleteAction.NONE);

        viewModel.select("hp2", OptionalLong.empty());
        assertThat(viewModel.deleteAction()).isEqualTo(ModelsViewModel.DeleteAction.REMOVE_MODEL);
        assertThat(viewModel.removeConfirmation()).contains("hp2").contains("stay on disk");
    }

    // ---- actions call the port ----

    @Test
    void loadAndUnloadCallTheBackendAndSayWhatHappened() {
        viewModel.select("hp2", OptionalLong.of(3));

        viewModel.loadVersion().join();
        assertThat(operations(backend)).containsExactly("loadVersion hp2 3");
        assertThat(viewModel.noticeProperty().get()).isEqualTo("Version 3 of hp2 is loaded");

        viewModel.versionProperty().set(" 1 ");
        viewModel.unloadVersion().join();
        assertThat(operations(backend)).containsExactly("loadVersion hp2 3", "unloadVersion hp2 1");
        assertThat(viewModel.failureProperty().get()).isEmpty();
    }

    @Test
    void policiesAreReadFromTheFieldsAndApplied() {
        viewModel.select("hp2", OptionalLong.empty());

        viewModel.policyKindProperty().set(PolicyKind.LATEST);
        viewModel.policyValueProperty().set("2");
        viewModel.applyPolicy().join();
        viewModel.policyKindProperty().set(PolicyKind.ALL);
        viewModel.applyPolicy().join();
        viewModel.policyKindProperty().set(PolicyKind.SPECIFIC);
        viewModel.policyValueProperty().set("3, 1 4");
        viewModel.applyPolicy().join();

        assertThat(operations(backend)).containsExactly(
                "setVersionPolicy hp2 Latest[numVersions=2]",
                "setVersionPolicy hp2 All[]",
                "setVersionPolicy hp2 Specific[versions=[1, 3, 4]]");
        assertThat(viewModel.noticeProperty().get()).isEqualTo("The policy of hp2 is specific 1, 3, 4");
    }

    @Test
    void labelsAreSetMovedAndRemoved() {
        viewModel.select("hp2", OptionalLong.of(1));
        viewModel.labelNameProperty().set("stable");

        viewModel.setLabel().join();
        viewModel.removeLabel().join();

        assertThat(operations(backend)).containsExactly("setLabel hp2 stable 1", "removeLabel hp2 stable");
        assertThat(viewModel.labelErrorProperty().get()).isEmpty();
    }

    @Test
    void addingAModelNamesItAfterItsFolderUnlessTheOperatorTypedAName() {
        viewModel.basePathChosen(Path.of("/srv/models/resnet"));
        assertThat(viewModel.addNameProperty().get()).isEqualTo("resnet");
        viewModel.basePathChosen(Path.of("/srv/models/bert"));
        assertThat(viewModel.addNameProperty().get()).as("still the default").isEqualTo("bert");

        viewModel.addNameProperty().set("my_bert");
        viewModel.basePathChosen(Path.of("/srv/models/bert2"));
        assertThat(viewModel.addNameProperty().get()).as("typed by the operator").isEqualTo("my_bert");

        viewModel.addPolicyKindProperty().set(PolicyKind.SPECIFIC);
        viewModel.addPolicyValueProperty().set("1,2");
        viewModel.addModel().join();

        assertThat(operations(backend)).containsExactly(
                "addModel my_bert " + Path.of("/srv/models/bert2").toAbsolutePath() + " Specific[versions=[1, 2]]");
        assertThat(viewModel.noticeProperty().get()).isEqualTo("Added my_bert (specific 1, 2)");
        assertThat(viewModel.addNameProperty().get()).as("the form is cleared for the next model").isEmpty();
        assertThat(viewModel.addBasePathProperty().get()).isEmpty();
    }

    @Test
    void removeOpenAndSaveCallTheBackend() {
        viewModel.select("mlp", OptionalLong.empty());
        viewModel.removeModel().join();
        viewModel.openConfig(Path.of("/tmp/in.config")).join();
        viewModel.saveConfig(Path.of("/tmp/out.config")).join();

        assertThat(operations(backend)).containsExactly("removeModel mlp", "openModelConfig /tmp/in.config",
                "saveModelConfig /tmp/out.config");
        assertThat(viewModel.noticeProperty().get()).isEqualTo("Saved the model config to /tmp/out.config");
    }

    // ---- validation ----

    @Test
    void refusesBadModelsWithAReasonAndCallsNothing() {
        viewModel.addModel().join();
        assertThat(viewModel.addErrorProperty().get())
                .contains("A model needs a name").contains("Choose the base path");

        viewModel.addNameProperty().set("hp2");
        viewModel.addBasePathProperty().set("/srv/x");
        viewModel.addNameProperty().set("hp2");
        viewModel.addModel().join();
        assertThat(viewModel.addErrorProperty().get()).contains("A model named 'hp2' is already served");

        viewModel.addNameProperty().set("my model");
        viewModel.addModel().join();
        assertThat(viewModel.addErrorProperty().get()).contains("may not hold '/', ':' or spaces");

        viewModel.addNameProperty().set("fresh");
        viewModel.addPolicyKindProperty().set(PolicyKind.LATEST);
        viewModel.addPolicyValueProperty().set("0");
        viewModel.addModel().join();
        assertThat(viewModel.addErrorProperty().get()).contains("Latest needs how many versions").contains("'0'");

        assertThat(operations(backend)).isEmpty();
    }

    @Test
    void refusesNonNumericVersionsAndPolicies() {
        viewModel.loadVersion().join();
        assertThat(viewModel.versionErrorProperty().get()).isEqualTo("Select a model first");

        viewModel.select("hp2", OptionalLong.empty());
        viewModel.versionProperty().set("two");
        viewModel.loadVersion().join();
        assertThat(viewModel.versionErrorProperty().get()).isEqualTo("A version is a whole number such as 2, not 'two'");
        viewModel.versionProperty().set("-1");
        viewModel.unloadVersion().join();
        assertThat(viewModel.versionErrorProperty().get()).contains("not '-1'");

        viewModel.policyKindProperty().set(PolicyKind.SPECIFIC);
        viewModel.policyValueProperty().set("1, x");
        viewModel.applyPolicy().join();
        assertThat(viewModel.policyErrorProperty().get()).startsWith("'x' is not a version number");
        viewModel.policyValueProperty().set(" ");
        viewModel.applyPolicy().join();
        assertThat(viewModel.policyErrorProperty().get()).contains("e.g. 1, 3");

        assertThat(operations(backend)).isEmpty();

        viewModel.versionProperty().set("2");
        viewModel.loadVersion().join();
        assertThat(viewModel.versionErrorProperty().get()).as("cleared once the input is good").isEmpty();
    }

    @Test
    void refusesBadLabelNamesAndVersionsBeforeAskingTheServer() {
        viewModel.select("hp2", OptionalLong.of(2));

        viewModel.labelNameProperty().set("");
        viewModel.setLabel().join();
        assertThat(viewModel.labelErrorProperty().get()).contains("Enter a label name");

        viewModel.labelNameProperty().set("new stable");
        viewModel.setLabel().join();
        assertThat(viewModel.labelErrorProperty().get()).contains("letters, digits");

        viewModel.labelNameProperty().set("canary");
        viewModel.labelVersionProperty().set("v2");
        viewModel.setLabel().join();
        assertThat(viewModel.labelErrorProperty().get()).contains("not 'v2'");

        viewModel.removeLabel().join();
        assertThat(viewModel.labelErrorProperty().get()).isEqualTo("hp2 has no label 'canary'");

        assertThat(operations(backend)).isEmpty();
    }

    // ---- failures and progress ----

    @Test
    void aRefusedOperationShowsTheServersMessage() {
        viewModel.select("hp2", OptionalLong.of(9));
        backend.failNext("Model hp2 has no version folder /models/hp2/9");

        viewModel.loadVersion().join();

        assertThat(viewModel.failureProperty().get())
                .isEqualTo("Could not load version 9 of hp2: Model hp2 has no version folder /models/hp2/9");
        assertThat(viewModel.noticeProperty().get()).isEmpty();
        assertThat(viewModel.busyProperty().get()).isFalse();

        viewModel.versionProperty().set("1");
        viewModel.loadVersion().join();
        assertThat(viewModel.failureProperty().get()).as("the next success clears it").isEmpty();
    }

    @Test
    void busyWhileAnOperationRunsAndOneAtATime() {
        CompletableFuture<Void> pending = new CompletableFuture<>();
        FakeBackend slow = new FakeBackend() {
            @Override
            public CompletableFuture<Void> unloadVersion(String model, long version) {
                calls.add("unloadVersion " + model + " " + version);
                return pending;
            }
        };
        slow.state = ServerStatus.State.RUNNING;
        slow.models = backend.models;
        ModelsViewModel slowModel = new ModelsViewModel(slow, new DirectExecutor(), ZoneOffset.UTC);
        slowModel.select("hp2", OptionalLong.of(2));

        CompletableFuture<Void> finished = slowModel.unloadVersion();

        assertThat(slowModel.busyProperty().get()).isTrue();
        assertThat(slowModel.busyTextProperty().get()).isEqualTo("Unloading hp2 version 2…");
        assertThat(slowModel.canActProperty().get()).isFalse();
        assertThat(slowModel.canActOnModelProperty().get()).isFalse();
        assertThat(slowModel.deleteAction()).isEqualTo(ModelsViewModel.DeleteAction.NONE);
        slowModel.loadVersion().join();
        assertThat(operations(slow)).as("no second operation while one runs").containsExactly("unloadVersion hp2 2");
        assertThat(finished).isNotDone();

        pending.complete(null);

        assertThat(finished).isDone();
        assertThat(slowModel.busyProperty().get()).isFalse();
        assertThat(slowModel.busyTextProperty().get()).isEmpty();
        assertThat(slowModel.canActProperty().get()).isTrue();
        assertThat(slowModel.noticeProperty().get()).isEqualTo("Version 2 of hp2 is unloading");
    }

    // ---- warmup ----

    @Test
    void savesTheRecentRequestsAsTheSelectedVersionsWarmupFile() {
        viewModel.select("hp2", OptionalLong.of(2));
        List<String> questions = new ArrayList<>();

        viewModel.saveWarmupToVersion(question -> questions.add(question)).join();

        Path file = Path.of("/models", "hp2", "2", "assets.extra", "tf_serving_warmup_requests");
        assertThat(questions).isEmpty();
        assertThat(backend.calls).containsSubsequence("warmupTarget hp2 2", "saveRecentRequestsAsWarmup hp2 " + file);
        assertThat(viewModel.noticeProperty().get())
                .isEqualTo("Saved 3 recent requests of hp2 to " + file + "; version 2 replays them when it next loads");
        assertThat(viewModel.failureProperty().get()).isEmpty();
        assertThat(viewModel.busyProperty().get()).isFalse();
    }

    @Test
    void asksBeforeReplacingAVersionsWarmupFileAndKeepsItWhenTheAnswerIsNo() {
        backend.warmupFileExists = true;
        viewModel.select("hp2", OptionalLong.of(2));
        List<String> questions = new ArrayList<>();

        viewModel.saveWarmupToVersion(question -> {
            questions.add(question);
            return false;
        }).join();

        assertThat(questions).singleElement().asString()
                .startsWith("Version 2 of hp2 already has a warmup file:")
                .contains(Path.of("/models", "hp2", "2", "assets.extra", "tf_serving_warmup_requests").toString());
        assertThat(backend.calls).noneMatch(call -> call.startsWith("saveRecentRequestsAsWarmup"));
        assertThat(viewModel.noticeProperty().get()).isEqualTo("Not saved: version 2 of hp2 keeps its warmup file");

        backend.recentRequests = 1;
        viewModel.saveWarmupToVersion(question -> true).join();
        assertThat(backend.calls).anyMatch(call -> call.startsWith("saveRecentRequestsAsWarmup hp2 "));
        assertThat(viewModel.noticeProperty().get()).startsWith("Saved 1 recent request of hp2 to ");
    }

    @Test
    void savingIntoAVersionNeedsAModelAndAVersionNumber() {
        viewModel.saveWarmupToVersion(question -> true).join();
        assertThat(viewModel.warmupErrorProperty().get()).isEqualTo("Select a model first");

        viewModel.select("hp2", OptionalLong.empty());
        viewModel.versionProperty().set("two");
        viewModel.saveWarmupToVersion(question -> true).join();
        assertThat(viewModel.warmupErrorProperty().get()).isNotEmpty();

        assertThat(backend.calls).noneMatch(call -> call.startsWith("warmupTarget"));
        viewModel.versionProperty().set("1");
        viewModel.saveWarmupToVersion(question -> true).join();
        assertThat(viewModel.warmupErrorProperty().get()).isEmpty();
        assertThat(backend.calls).contains("warmupTarget hp2 1");
    }

    @Test
    void savesToAChosenFileAndShowsTheServersRefusal() {
        viewModel.select("mlp", OptionalLong.empty());
        Path file = Path.of("/tmp", "warmup.tfrecord");

        viewModel.saveWarmupToFile(file).join();
        assertThat(backend.calls).contains("saveRecentRequestsAsWarmup mlp " + file);
        assertThat(viewModel.noticeProperty().get()).isEqualTo("Saved 3 recent requests of mlp to " + file);

        backend.failNext("No successful Predict, Classify or Regress request of mlp was recorded since the server started");
        viewModel.saveWarmupToFile(file).join();
        assertThat(viewModel.failureProperty().get()).isEqualTo("Could not save the recent requests of mlp: "
                + "No successful Predict, Classify or Regress request of mlp was recorded since the server started");
        assertThat(viewModel.noticeProperty().get()).isEmpty();
    }

    /** The operations asked of the backend: its calls without the signature reads the page makes on its own. */
    private static List<String> operations(FakeBackend backend) {
        return backend.calls.stream().filter(call -> !call.startsWith("signatures ")).toList();
    }

    @Test
    void aRemoteServersBasePathsAreSaidToBeOnItsMachine() {
        assertThat(viewModel.basePathNoteProperty().get()).isEmpty();
        assertThat(viewModel.canBrowseBasePathProperty().get()).isTrue();

        FakeBackend remote = new FakeBackend() {
            @Override
            public dev.servedeck.console.backend.BackendCapabilities capabilities() {
                return new dev.servedeck.console.backend.BackendCapabilities("edge-3", false, false,
                        java.util.Optional.empty());
            }
        };
        ModelsViewModel remoteModels = new ModelsViewModel(remote, new DirectExecutor());

        assertThat(remoteModels.basePathNoteProperty().get()).isEqualTo(
                "Base paths are folders on edge-3's machine, not on this one: type the path as that server sees it.");
        assertThat(remoteModels.canBrowseBasePathProperty().get()).isFalse();
    }

    @Test
    void changesWaitWhileTheBackendSaysWhyAndFollowWhenItStopsSaying() {
        assertThat(viewModel.canChangeModelsProperty().get()).isTrue();
        java.util.concurrent.atomic.AtomicReference<java.util.Optional<String>> off =
                new java.util.concurrent.atomic.AtomicReference<>(java.util.Optional.of("Open the config file first"));
        FakeBackend tfServing = new FakeBackend() {
            @Override
            public dev.servedeck.console.backend.BackendCapabilities capabilities() {
                return new dev.servedeck.console.backend.BackendCapabilities("tfs-7", false, false,
                        java.util.Optional.empty(), off.get(), java.util.Optional.empty());
            }
        };
        tfServing.state = ServerStatus.State.RUNNING;
        tfServing.models = backend.models;
        tfServing.configText = backend.configText;
        ModelsViewModel models = new ModelsViewModel(tfServing, new DirectExecutor());
        models.select("hp2", OptionalLong.empty());

        assertThat(models.modelChangesNoteProperty().get()).isEqualTo("Open the config file first");
        assertThat(models.canChangeModelsProperty().get()).isFalse();
        assertThat(models.canChangeModelProperty().get()).isFalse();
        assertThat(models.canActProperty().get()).as("opening a config file is still possible").isTrue();

        off.set(java.util.Optional.empty());
        tfServing.fireModelsChanged();

        assertThat(models.modelChangesNoteProperty().get()).isEmpty();
        assertThat(models.canChangeModelProperty().get()).isTrue();
    }
}
