package dev.servedeck.console.models;

import dev.servedeck.console.backend.ConsoleBackend;
import dev.servedeck.console.backend.Failures;
import dev.servedeck.console.backend.ModelEntry;
import dev.servedeck.core.signature.SignatureInfo;
import dev.servedeck.console.backend.VersionChoice;
import dev.servedeck.console.backend.VersionEntry;
import dev.servedeck.console.kit.LatestAnswer;
import dev.servedeck.console.signatures.SignatureText;
import dev.servedeck.core.servable.ManagerState;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Executor;
import java.util.stream.Collectors;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

/**
 * The Models page's list of signatures: those of the selected version, or of the selected model's latest
 * AVAILABLE version, read from the server (so a TF2 export shows what it serves: its
 * {@code __saved_model_init_op} is no signature, and it may have no serving_default). Only an AVAILABLE version
 * has signatures to read; one still LOADING, which includes replaying its warm-up requests, says so.
 *
 * <p>Reads again only when the selection or that version's state changes; an answer for an earlier
 * selection is dropped. Call on the FX thread; answers come back through {@code ui}.
 */
final class SelectedSignatures {

    /** What was shown last: a new read only when this changes. */
    private record Shown(String model, long version, ManagerState state) {
    }

    private final ConsoleBackend backend;
    /** Drops a late answer for an earlier selection. */
    private final LatestAnswer<List<SignatureInfo>> reads;
    private final ReadOnlyStringWrapper text = new ReadOnlyStringWrapper("");
    private Shown shown;

    SelectedSignatures(ConsoleBackend backend, Executor ui) {
        this.backend = backend;
        this.reads = new LatestAnswer<>(ui);
    }

    /** Shows the signatures of {@code version} of {@code model} (its latest AVAILABLE one when empty); null for none. */
    void show(ModelEntry model, OptionalLong version) {
        Optional<VersionEntry> target = model == null ? Optional.empty() : version.isPresent()
                ? model.versions().stream().filter(v -> v.version() == version.getAsLong()).findFirst()
                : latestAvailable(model).or(() -> latest(model));
        Shown now = target.map(v -> new Shown(model.name(), v.version(), v.state())).orElse(null);
        if (Objects.equals(now, shown) && now != null) {
            return;
        }
        shown = now;
        reads.cancel();
        if (now == null) {
            text.set(model == null ? "" : "No version of " + model.name() + " yet.");
        } else if (now.state() != ManagerState.AVAILABLE) {
            text.set(notServing(now));
        } else {
            text.set("Reading the signatures of version " + now.version() + "…");
            read(now);
        }
    }

    private void read(Shown version) {
        reads.ask(() -> backend.signatures(version.model(), new VersionChoice.Number(version.version())),
                signatures -> text.set(describe(version.version(), signatures)),
                failure -> text.set("Cannot read the signatures of version " + version.version() + ": "
                        + Failures.message(failure)));
    }

    /** {@code version 1: 5 signatures}, then each one's title and, indented, its inputs and outputs. */
    static String describe(long version, List<SignatureInfo> signatures) {
        String heading = "version " + version + ": " + signatures.size()
                + (signatures.size() == 1 ? " signature" : " signatures");
        return signatures.stream()
                .map(signature -> SignatureText.title(signature) + "\n    " + SignatureText.tensors(signature))
                .collect(Collectors.joining("\n", heading + "\n", ""));
    }

    private static String notServing(Shown version) {
        String which = "Version " + version.version() + " is " + version.state();
        return switch (version.state()) {
            case START, LOADING -> which + " (restoring, initializing or warming up): its signatures show when it"
                    + " is AVAILABLE.";
            default -> which + ": it has no signatures to show while it does not serve.";
        };
    }

    private static Optional<VersionEntry> latestAvailable(ModelEntry model) {
        return model.versions().stream().filter(v -> v.state() == ManagerState.AVAILABLE)
                .max(Comparator.comparingLong(VersionEntry::version));
    }

    private static Optional<VersionEntry> latest(ModelEntry model) {
        return model.versions().stream().max(Comparator.comparingLong(VersionEntry::version));
    }

    ReadOnlyStringProperty textProperty() {
        return text.getReadOnlyProperty();
    }
}
