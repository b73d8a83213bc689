package dev.servedeck.console.connections;

import dev.servedeck.console.backend.tfserving.TfServingHints;
import dev.servedeck.console.kit.OperationState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The Connections page: the embedded server and the remote servers the console knows, with add, edit, test and
 * remove. Names, addresses and certificate paths go to the preferences ({@link ConnectionStore}); tokens and
 * client keys to the {@link SecretStore} (the OS store, or this session only where there is none), never to a
 * preference file. Saving, testing and removing run as operations off the FX thread (the secret store may prompt,
 * the network may hang), with busy, notice and failure shown as on every page.
 *
 * <p>Open makes the selected server the one every page manages, while the console runs ({@link ActiveServer}); the
 * embedded server keeps running when the console looks elsewhere. Call on the FX thread.
 */
public final class ConnectionsViewModel {

    private final ConnectionStore store;
    private final CompletableFuture<SecretStore> secrets;
    private final ConnectionCheck check;
    private final Executor work;
    private final OperationState operation;
    /** The server of {@code --server}: listed and tested with its {@code --token-file} token, never saved. */
    private final Optional<Connection> commandLine;
    private final Optional<String> commandLineToken;

    private final ObservableList<Connection> connections = FXCollections.observableArrayList();
    private final ObjectProperty<Connection> selected = new SimpleObjectProperty<>();
    private final ReadOnlyStringWrapper managed = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper secretStoreText = new ReadOnlyStringWrapper("Looking for the OS secret store…");
    private final ReadOnlyStringWrapper details = new ReadOnlyStringWrapper("");

    /** The connection being edited (null: a new one) while the form is open. */
    private Connection editing;
    private final ReadOnlyBooleanWrapper formOpen = new ReadOnlyBooleanWrapper(false);
    private final StringProperty name = new SimpleStringProperty("");
    private final StringProperty address = new SimpleStringProperty("");
    private final StringProperty caCert = new SimpleStringProperty("");
    private final StringProperty clientCert = new SimpleStringProperty("");
    private final StringProperty clientKeyFile = new SimpleStringProperty("");
    private final StringProperty token = new SimpleStringProperty("");
    /** For a plain TF Serving: model names, comma-separated, and its Prometheus URL. */
    private final StringProperty tfServingModels = new SimpleStringProperty("");
    private final StringProperty prometheus = new SimpleStringProperty("");
    private final ReadOnlyStringWrapper formError = new ReadOnlyStringWrapper("");

    private final BooleanBinding canChangeSelected;
    private final BooleanBinding canOpenSelected;
    private final ActiveServer server;

    /**
     * @param secrets the secret store, found in the background (opening it may take a D-Bus round trip)
     * @param active the connection this console manages now: the embedded server, or {@code --server}'s
     * @param activeToken the token of {@code --token-file}, for a remote {@code active} connection
     * @param work runs secret store calls, preference writes and checks (all may block)
     */
    public ConnectionsViewModel(ConnectionStore store, CompletableFuture<SecretStore> secrets, ConnectionCheck check,
            Connection active, Optional<String> activeToken, ActiveServer server, Executor ui, Executor work) {
        this.store = store;
        this.secrets = secrets;
        this.check = check;
        this.work = work;
        this.operation = new OperationState(ui);
        this.commandLine = active.isEmbedded() ? Optional.empty() : Optional.of(active);
        this.commandLineToken = activeToken;
        this.server = server;
        showManaged(server.connection());
        // Switches happen on a worker thread (the Fleet page's too): the text follows on the FX thread.
        server.onSwitched(now -> ui.execute(() -> showManaged(now)));
        canOpenSelected = Bindings.createBooleanBinding(() -> selected.get() != null && !operation.isBusy(),
                selected, operation.busyProperty());
        canChangeSelected = Bindings.createBooleanBinding(() -> selected.get() != null && !fixed(selected.get())
                && !operation.isBusy(), selected, operation.busyProperty());
        selected.addListener((obs, old, now) -> showDetails(now));
        secrets.whenComplete((found, error) -> ui.execute(() -> secretStoreText.set(error != null
                ? "Tokens and keys: no secret store (" + error.getMessage() + ")"
                : "Tokens and keys are kept in " + found.description() + ".")));
        reload(active.id()); // the server managed now is the one selected first
    }

    private void showManaged(Connection now) {
        managed.set("This console manages: " + now.name() + (now.isEmbedded() ? "" : " (" + now.address() + ")")
                + ". Open another server to manage it; the embedded server keeps running.");
    }

    /** Makes the selected server the one every page manages (its backend opens off the FX thread). */
    public CompletableFuture<Void> open() {
        Connection chosen = selected.get();
        if (chosen == null) {
            return CompletableFuture.completedFuture(null);
        }
        if (chosen.equals(server.connection())) {
            operation.showNotice(chosen.name() + " is the server managed now");
            return CompletableFuture.completedFuture(null);
        }
        return operation.run("Opening " + chosen.name(), () -> CompletableFuture.runAsync(() -> server.open(chosen),
                work), ignored -> "Now managing " + chosen.name() + ": the other pages show it",
                "Could not open " + chosen.name() + ": ");
    }

    /** The embedded server and the command line's server are not the operator's to edit or remove here. */
    private boolean fixed(Connection connection) {
        return connection.isEmbedded() || commandLine.filter(connection::equals).isPresent();
    }

    private void reload(String selectId) {
        connections.setAll(store.loadWith(commandLine));
        selected.set(connections.stream().filter(c -> c.id().equals(selectId)).findFirst()
                .orElse(connections.get(0)));
    }

    private void showDetails(Connection connection) {
        if (connection == null) {
            details.set("");
        } else if (connection.isEmbedded()) {
            details.set("The server inside this console: the Server page starts, stops and configures it.");
        } else if (fixed(connection)) {
            details.set(connection.address() + " · given with --server" + (commandLineToken.isPresent()
                    ? " and a --token-file token (kept in memory only)" : ""));
        } else {
            details.set(connection.address() + (connection.usesTls() ? "  ·  TLS" : "  ·  no TLS")
                    + connection.caCert().map(ca -> "  ·  CA " + ca).orElse("")
                    + connection.clientCert().map(cert -> "  ·  client certificate " + cert).orElse("")
                    + (connection.tfServing().modelNames().isEmpty() ? ""
                            : "  ·  TF Serving models " + String.join(", ", connection.tfServing().modelNames()))
                    + connection.tfServing().prometheus().map(url -> "  ·  Prometheus " + url).orElse(""));
        }
    }

    // ---- the form ----

    /** Opens an empty form for a new remote server. */
    public void newConnection() {
        editing = null;
        fillForm("", "", "", "", TfServingHints.NONE);
    }

    /** Opens the form on the selected remote server; token and key fields stay empty ("keep what is stored"). */
    public void edit() {
        Connection chosen = selected.get();
        if (chosen == null || fixed(chosen)) {
            return;
        }
        editing = chosen;
        fillForm(chosen.name(), chosen.address().toString(), chosen.caCert().map(Path::toString).orElse(""),
                chosen.clientCert().map(Path::toString).orElse(""), chosen.tfServing());
    }

    private void fillForm(String nameText, String addressText, String caText, String certText,
            TfServingHints hints) {
        tfServingModels.set(String.join(", ", hints.modelNames()));
        prometheus.set(hints.prometheus().map(java.net.URI::toString).orElse(""));
        name.set(nameText);
        address.set(addressText);
        caCert.set(caText);
        clientCert.set(certText);
        clientKeyFile.set("");
        token.set("");
        formError.set("");
        operation.clear();
        formOpen.set(true);
    }

    public void cancelEdit() {
        formOpen.set(false);
        formError.set("");
    }

    /** What the form describes, with its secrets, or empty with {@link #formErrorProperty()} saying why. */
    private Optional<Draft> draft() {
        List<String> problems = new ArrayList<>();
        String nameText = name.get() == null ? "" : name.get().strip();
        if (nameText.isEmpty()) {
            problems.add("Give the connection a name, e.g. edge-3");
        } else if (connections.stream().anyMatch(c -> c.name().equalsIgnoreCase(nameText)
                && (editing == null || !c.id().equals(editing.id())))) {
            problems.add("A connection named '" + nameText + "' exists already");
        }
        java.net.URI uri = null;
        try {
            uri = Connection.parseAddress(address.get());
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
        Optional<Path> ca = existingFile(caCert.get(), "CA certificate", problems);
        Optional<Path> cert = existingFile(clientCert.get(), "client certificate", problems);
        Optional<Path> keyFile = existingFile(clientKeyFile.get(), "client key", problems);
        Optional<String> keyPem = Optional.empty();
        if (keyFile.isPresent()) {
            try {
                String pem = Files.readString(keyFile.get());
                ClientTls.checkPrivateKey(pem);
                keyPem = Optional.of(pem);
            } catch (IOException | IllegalArgumentException e) {
                problems.add("The client key " + keyFile.get() + ": " + e.getMessage());
            }
        }
        if (cert.isPresent() && keyPem.isEmpty() && (editing == null || editing.clientCert().isEmpty())) {
            problems.add("A client certificate needs its private key (PKCS#8 PEM): choose the key file");
        }
        if (uri != null && !"https".equals(uri.getScheme()) && (ca.isPresent() || cert.isPresent())) {
            problems.add("Certificates are for TLS: use an https:// address");
        }
        Optional<java.net.URI> metrics = Optional.empty();
        String metricsText = prometheus.get() == null ? "" : prometheus.get().strip();
        if (!metricsText.isEmpty()) {
            try {
                java.net.URI parsed = java.net.URI.create(metricsText);
                if (!"http".equals(parsed.getScheme()) && !"https".equals(parsed.getScheme()) || parsed.getHost() == null) {
                    throw new IllegalArgumentException("not an http(s) URL");
                }
                metrics = Optional.of(parsed);
            } catch (IllegalArgumentException e) {
                problems.add("The Prometheus URL is a full http:// or https:// URL, e.g."
                        + " http://edge-7:8501/monitoring/prometheus/metrics");
            }
        }
        formError.set(String.join("\n", problems));
        if (!problems.isEmpty()) {
            return Optional.empty();
        }
        String id = editing == null ? UUID.randomUUID().toString() : editing.id();
        String tokenText = token.get() == null ? "" : token.get().strip();
        // The form has no gRPC port field yet: an edited connection keeps the one it had.
        java.util.OptionalInt grpcPort = editing == null ? java.util.OptionalInt.empty() : editing.grpcPort();
        TfServingHints hints = new TfServingHints(List.of((tfServingModels.get() == null ? ""
                : tfServingModels.get()).split("[,\\s]+")), metrics);
        return Optional.of(new Draft(new Connection(id, nameText, uri, ca, cert, grpcPort, hints),
                tokenText.isEmpty() ? Optional.empty() : Optional.of(tokenText), keyPem));
    }

    /** A connection as the form describes it, with the secrets typed or chosen (empty: keep what is stored). */
    private record Draft(Connection connection, Optional<String> token, Optional<String> clientKeyPem) {
    }

    private static Optional<Path> existingFile(String text, String what, List<String> problems) {
        String trimmed = text == null ? "" : text.strip();
        if (trimmed.isEmpty()) {
            return Optional.empty();
        }
        try {
            Path path = Path.of(trimmed).toAbsolutePath();
            if (!Files.isRegularFile(path)) {
                problems.add("The " + what + " file " + path + " does not exist");
                return Optional.empty();
            }
            return Optional.of(path);
        } catch (InvalidPathException e) {
            problems.add("'" + trimmed + "' is not a valid path for the " + what + ": " + e.getReason());
            return Optional.empty();
        }
    }

    // ---- operations ----

    /** Saves the form: the connection to the preferences, its token and key to the secret store. */
    public CompletableFuture<Void> save() {
        Optional<Draft> checked = draft();
        if (checked.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        Draft draft = checked.get();
        Connection connection = draft.connection();
        return operation.run("Saving " + connection.name(), () -> secrets.thenApplyAsync(secretStore -> {
            draft.token().ifPresent(secret -> secretStore.write(connection.tokenAccount(), secret));
            draft.clientKeyPem().ifPresent(secret -> secretStore.write(connection.clientKeyAccount(), secret));
            if (connection.clientCert().isEmpty()) {
                secretStore.delete(connection.clientKeyAccount());
            }
            store.save(connection);
            return secretStore;
        }, work), secretStore -> {
            formOpen.set(false);
            reload(connection.id());
            boolean secret = draft.token().isPresent() || draft.clientKeyPem().isPresent();
            return "Saved " + connection.name() + (!secret ? "" : secretStore.persistent()
                    ? "; its token and key are in " + secretStore.description()
                    : "; its token and key are kept for this session only: no OS secret store here");
        }, "Could not save " + connection.name() + ": ");
    }

    /** Checks reachability, TLS and {@code /v1/health} of the form (while open) or of the selected connection. */
    public CompletableFuture<Void> test() {
        Connection target;
        Optional<String> typedToken = Optional.empty();
        Optional<String> typedKey = Optional.empty();
        if (formOpen.get()) {
            Optional<Draft> checked = draft();
            if (checked.isEmpty()) {
                return CompletableFuture.completedFuture(null);
            }
            target = checked.get().connection();
            typedToken = checked.get().token();
            typedKey = checked.get().clientKeyPem();
        } else {
            target = selected.get();
            if (target == null || target.isEmbedded()) {
                operation.showNotice("The embedded server is this console's own: the Server page shows its state.");
                return CompletableFuture.completedFuture(null);
            }
        }
        if (commandLine.filter(target::equals).isPresent()) {
            typedToken = commandLineToken;
        }
        Optional<String> tokenGiven = typedToken;
        Optional<String> keyGiven = typedKey;
        return operation.run("Testing " + target.name(), () -> secrets.thenComposeAsync(secretStore -> check.check(
                target, tokenGiven.or(() -> secretStore.read(target.tokenAccount())),
                keyGiven.or(() -> secretStore.read(target.clientKeyAccount()))), work),
                answer -> target.name() + ": " + answer, target.name() + ": ");
    }

    /** Removes the selected remote connection and its secrets (the view has asked the operator first). */
    public CompletableFuture<Void> remove() {
        Connection chosen = selected.get();
        if (chosen == null || fixed(chosen)) {
            return CompletableFuture.completedFuture(null);
        }
        return operation.run("Removing " + chosen.name(), () -> secrets.thenApplyAsync(secretStore -> {
            store.remove(chosen);
            secretStore.delete(chosen.tokenAccount());
            secretStore.delete(chosen.clientKeyAccount());
            return chosen;
        }, work), removed -> {
            formOpen.set(false);
            reload(null);
            return "Removed " + removed.name() + " and its token and key";
        }, "Could not remove " + chosen.name() + ": ");
    }

    /** The question the view asks before removing. */
    public String removeConfirmation() {
        Connection chosen = selected.get();
        return chosen == null ? "" : "Remove the connection " + chosen.name() + " (" + chosen.address()
                + ") and forget its token and key?";
    }

    // ---- properties ----

    public ObservableList<Connection> connections() {
        return connections;
    }

    public ObjectProperty<Connection> selectedProperty() {
        return selected;
    }

    /** Which server this console manages, and how to manage another. */
    public ReadOnlyStringProperty managedProperty() {
        return managed.getReadOnlyProperty();
    }

    /** Where tokens and keys are kept on this machine. */
    public ReadOnlyStringProperty secretStoreTextProperty() {
        return secretStoreText.getReadOnlyProperty();
    }

    /** The selected connection's address, TLS and certificates. */
    public ReadOnlyStringProperty detailsProperty() {
        return details.getReadOnlyProperty();
    }

    public OperationState operation() {
        return operation;
    }

    public ReadOnlyBooleanProperty formOpenProperty() {
        return formOpen.getReadOnlyProperty();
    }

    public StringProperty nameProperty() {
        return name;
    }

    public StringProperty addressProperty() {
        return address;
    }

    /** For a plain TF Serving: the models it serves, separated by commas. */
    public StringProperty tfServingModelsProperty() {
        return tfServingModels;
    }

    /** For a plain TF Serving: its Prometheus metrics' URL. */
    public StringProperty prometheusProperty() {
        return prometheus;
    }

    public StringProperty caCertProperty() {
        return caCert;
    }

    public StringProperty clientCertProperty() {
        return clientCert;
    }

    public StringProperty clientKeyFileProperty() {
        return clientKeyFile;
    }

    /** The token typed; empty keeps the stored one. */
    public StringProperty tokenProperty() {
        return token;
    }

    public ReadOnlyStringProperty formErrorProperty() {
        return formError.getReadOnlyProperty();
    }

    /** A connection is selected and no operation runs: Open applies. */
    public BooleanBinding canOpenSelectedProperty() {
        return canOpenSelected;
    }

    /** A saved remote connection is selected and no operation runs: Edit and Remove apply. */
    public BooleanBinding canChangeSelectedProperty() {
        return canChangeSelected;
    }
}
