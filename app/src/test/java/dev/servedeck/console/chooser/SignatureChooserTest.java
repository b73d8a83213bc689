package dev.servedeck.console.chooser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servedeck.console.backend.ModelEntry;
import dev.servedeck.console.backend.ServerStatus;
import dev.servedeck.core.signature.SignatureInfo;
import dev.servedeck.core.signature.TensorInfo;
import dev.servedeck.console.backend.VersionChoice;
import dev.servedeck.console.backend.VersionEntry;
import dev.servedeck.core.signature.RestVerb;
import dev.servedeck.console.testing.DirectExecutor;
import dev.servedeck.console.testing.FakeBackend;
import dev.servedeck.core.servable.ManagerState;
import dev.servedeck.core.source.ServableVersionPolicy;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The shared model → version → signature chooser against a server that answers when the test says. */
class SignatureChooserTest {

    /** Signature reads wait here, by model name, until the test answers them. */
    private final Map<String, CompletableFuture<List<SignatureInfo>>> pending = new HashMap<>();
    private final FakeBackend backend = new FakeBackend() {
        @Override
        public CompletableFuture<List<SignatureInfo>> signatures(String model, VersionChoice version) {
            return pending.computeIfAbsent(model, name -> new CompletableFuture<>());
        }
    };
    private SignatureChooser chooser;

    @BeforeEach
    void setUp() {
        backend.state = ServerStatus.State.RUNNING;
        backend.models = List.of(model("half_plus_two", ManagerState.AVAILABLE), model("mlp", ManagerState.AVAILABLE),
                model("warming", ManagerState.LOADING));
        chooser = new SignatureChooser(backend, new DirectExecutor()).preferModel("mlp").start();
    }

    @Test
    void thePreferredModelIsChosenFirstAndItsDefaultSignatureOnceTheServerAnswers() {
        assertThat(chooser.models()).containsExactly("half_plus_two", "mlp", "warming");
        assertThat(chooser.modelProperty().get()).isEqualTo("mlp");
        assertThat(chooser.loadingProperty().get()).isTrue();

        pending.get("mlp").complete(List.of(signature("extra"), signature("serving_default")));

        assertThat(chooser.loadingProperty().get()).isFalse();
        assertThat(chooser.signatureProperty().get().name()).isEqualTo("serving_default");
        assertThat(chooser.restPath(RestVerb.PREDICT)).isEqualTo("/v1/models/mlp:predict");
    }

    @Test
    void aLateAnswerForTheModelChosenBeforeIsDropped() {
        chooser.modelProperty().set("half_plus_two");
        pending.get("half_plus_two").complete(List.of(signature("serving_default")));

        pending.get("mlp").complete(List.of(signature("mlp_only"))); // the slow server answers the old question

        assertThat(chooser.signatures()).extracting(SignatureInfo::name).containsExactly("serving_default");
        assertThat(chooser.modelProperty().get()).isEqualTo("half_plus_two");
    }

    @Test
    void aModelWithoutAnAvailableVersionSaysSoInsteadOfAsking() {
        chooser.modelProperty().set("warming");

        assertThat(pending).doesNotContainKey("warming");
        assertThat(chooser.errorProperty().get()).startsWith("No version of warming is AVAILABLE yet");
        assertThat(chooser.loadingProperty().get()).isFalse();
    }

    @Test
    void aFailedReadIsShownAndAVersionOrLabelGoesIntoThePath() {
        pending.get("mlp").completeExceptionally(new IllegalStateException("connection reset"));
        assertThat(chooser.errorProperty().get())
                .isEqualTo("Cannot read the signatures of mlp (latest): connection reset");

        chooser.versionProperty().set(VersionOption.label("stable"));
        assertThat(chooser.restPath(RestVerb.CLASSIFY)).isEqualTo("/v1/models/mlp/labels/stable:classify");
    }

    @Test
    void aFailedReadIsAskedAgainWhenTheModelsAreReadAgainEvenIfTheyDidNotChange() {
        // A remote server read while it still connects fails fast; its models, unchanged, arrive again once linked.
        pending.remove("mlp").completeExceptionally(new IllegalStateException("Cannot reach edge (…): connecting"));
        assertThat(chooser.errorProperty().get()).contains("connecting");

        backend.fireModelsChanged();

        assertThat(pending).containsKey("mlp"); // asked again
        pending.get("mlp").complete(List.of(signature("serving_default")));
        assertThat(chooser.errorProperty().get()).isEmpty();
        assertThat(chooser.signatureProperty().get().name()).isEqualTo("serving_default");

        backend.fireModelsChanged(); // nothing failed: a models change that changes nothing asks nothing
        assertThat(chooser.loadingProperty().get()).isFalse();
    }

    private static ModelEntry model(String name, ManagerState state) {
        return FakeBackend.model(name, new ServableVersionPolicy.Latest(1), Map.of(),
                List.of(new VersionEntry(1, state, "", Instant.EPOCH)));
    }

    private static SignatureInfo signature(String name) {
        return new SignatureInfo(name, "tensorflow/serving/predict",
                List.of(new TensorInfo("x", "FLOAT", List.of(-1L, 1L), false)),
                List.of(new TensorInfo("y", "FLOAT", List.of(-1L, 1L), false)));
    }
}
