package dev.servedeck.console.connections;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servedeck.console.testing.DirectExecutor;
import dev.servedeck.console.testing.FakeBackend;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.prefs.Preferences;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Connections without a toolkit: what goes to the preferences, what to the secret store, and Test's answers. */
class ConnectionsViewModelTest {

    private final Preferences node = Preferences.userRoot().node("/dev/servedeck/test/" + UUID.randomUUID());
    private final RecordingSecrets secrets = new RecordingSecrets();
    private final FakeBackend embedded = new FakeBackend();
    private final ActiveServer server = managing(Connection.EMBEDDED, Optional.empty());
    private final ConnectionsViewModel viewModel = new ConnectionsViewModel(new ConnectionStore(node),
            CompletableFuture.completedFuture(secrets), new ConnectionCheck(Runnable::run), Connection.EMBEDDED,
            Optional.empty(), server, new DirectExecutor(), Runnable::run);

    /** The application's switching over the application's factory; the embedded server is a fake here. */
    private ActiveServer managing(Connection first, Optional<String> token) {
        return new ActiveServer(new OpenBackends(new ConnectionBackends(() -> embedded,
                new ConnectionContext(first, token, () -> secrets))), first);
    }

    @AfterEach
    void removeNode() throws Exception {
        node.removeNode();
    }

    @Test
    void theEmbeddedServerIsAlwaysFirstAndCannotBeEditedOrRemoved() {
        assertThat(viewModel.connections()).containsExactly(Connection.EMBEDDED);
        assertThat(viewModel.selectedProperty().get()).isEqualTo(Connection.EMBEDDED);
        assertThat(viewModel.canChangeSelectedProperty().get()).isFalse();
        assertThat(viewModel.secretStoreTextProperty().get()).contains("this session only");
    }

    @Test
    void savingPutsTheTokenInTheSecretStoreAndNeverInThePreferences() throws Exception {
        viewModel.newConnection();
        viewModel.nameProperty().set("edge-3");
        viewModel.addressProperty().set("http://127.0.0.1:8501");
        viewModel.tokenProperty().set("s3cret-token");

        viewModel.save().join();

        assertThat(viewModel.operation().noticeProperty().get()).startsWith("Saved edge-3");
        assertThat(viewModel.connections()).extracting(Connection::name).containsExactly("Embedded server", "edge-3");
        Connection saved = viewModel.selectedProperty().get();
        assertThat(saved.name()).isEqualTo("edge-3");
        assertThat(secrets.entries).containsEntry(saved.tokenAccount(), "s3cret-token");
        assertThat(allPreferenceValues(node)).contains("edge-3", "http://127.0.0.1:8501")
                .noneMatch(value -> value.contains("s3cret"));
        // A console started later reads the same connection back.
        assertThat(new ConnectionStore(node).load()).containsExactly(Connection.EMBEDDED, saved);
    }

    @Test
    void editingWithAnEmptyTokenKeepsTheStoredOneAndRemovingForgetsIt() {
        viewModel.newConnection();
        viewModel.nameProperty().set("edge-3");
        viewModel.addressProperty().set("edge-3:8501");
        viewModel.tokenProperty().set("first");
        viewModel.save().join();
        Connection saved = viewModel.selectedProperty().get();

        viewModel.edit();
        assertThat(viewModel.tokenProperty().get()).isEmpty();
        viewModel.nameProperty().set("edge-3 (line 2)");
        viewModel.save().join();
        assertThat(viewModel.selectedProperty().get().name()).isEqualTo("edge-3 (line 2)");
        assertThat(secrets.entries).containsEntry(saved.tokenAccount(), "first");

        viewModel.remove().join();
        assertThat(viewModel.connections()).containsExactly(Connection.EMBEDDED);
        assertThat(secrets.entries).doesNotContainKey(saved.tokenAccount());
    }

    @Test
    void aPlainTfServingsModelNamesAndPrometheusUrlAreKeptWithTheConnection() {
        viewModel.newConnection();
        viewModel.nameProperty().set("tfs-7");
        viewModel.addressProperty().set("http://edge-7:8501");
        viewModel.tfServingModelsProperty().set("resnet, bert_en  half_plus_two,");
        viewModel.prometheusProperty().set("edge-7:8501/metrics");

        viewModel.save().join();
        assertThat(viewModel.formErrorProperty().get()).startsWith("The Prometheus URL is a full http:// or https://");

        viewModel.prometheusProperty().set("http://edge-7:8501/monitoring/prometheus/metrics");
        viewModel.save().join();

        Connection saved = viewModel.selectedProperty().get();
        assertThat(saved.tfServing().modelNames()).containsExactly("resnet", "bert_en", "half_plus_two");
        assertThat(saved.tfServing().prometheus()).hasValue(
                java.net.URI.create("http://edge-7:8501/monitoring/prometheus/metrics"));
        assertThat(viewModel.detailsProperty().get()).contains("TF Serving models resnet, bert_en, half_plus_two")
                .contains("Prometheus http://edge-7:8501/monitoring/prometheus/metrics");
        assertThat(new ConnectionStore(node).load()).containsExactly(Connection.EMBEDDED, saved);
        viewModel.edit();
        assertThat(viewModel.tfServingModelsProperty().get()).isEqualTo("resnet, bert_en, half_plus_two");
    }

    @Test
    void theFormSaysWhatIsWrongAndSavesNothing() {
        viewModel.newConnection();
        viewModel.addressProperty().set("https://edge-3");
        viewModel.caCertProperty().set("/nowhere/ca.pem");

        viewModel.save().join();

        assertThat(viewModel.formErrorProperty().get()).contains("Give the connection a name")
                .contains("host and the REST port").contains("/nowhere/ca.pem does not exist");
        assertThat(viewModel.formOpenProperty().get()).isTrue();
        assertThat(viewModel.connections()).hasSize(1);
        assertThat(secrets.entries).isEmpty();
    }

    @Test
    void testSendsTheStoredTokenAndReportsWhatTheServerAnswered() throws Exception {
        try (HealthStub server = new HealthStub("right-token")) {
            viewModel.newConnection();
            viewModel.nameProperty().set("stub");
            viewModel.addressProperty().set(server.address().toString());
            viewModel.tokenProperty().set("wrong-token");
            viewModel.save().join();

            viewModel.test().join();
            assertThat(viewModel.operation().failureProperty().get())
                    .startsWith("stub: Reachable, plain HTTP (no TLS), but /v1/health answered HTTP 401");

            viewModel.edit();
            viewModel.tokenProperty().set("right-token");
            viewModel.save().join();
            viewModel.test().join();
            assertThat(viewModel.operation().noticeProperty().get())
                    .isEqualTo("stub: Reachable, plain HTTP (no TLS); /v1/health: ready {\"status\":\"SERVING\"}");
            assertThat(server.authorizations).containsExactly("Bearer wrong-token", "Bearer right-token");
        }
    }

    @Test
    void anAddressNobodyListensOnIsReportedAsUnreachable() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        viewModel.newConnection();
        viewModel.nameProperty().set("gone");
        viewModel.addressProperty().set("http://127.0.0.1:" + closedPort);

        viewModel.test().join(); // the form's values, before saving

        assertThat(viewModel.operation().failureProperty().get())
                .startsWith("gone: Cannot reach 127.0.0.1:" + closedPort + " over TCP");
        assertThat(viewModel.connections()).hasSize(1);
    }

    @Test
    void openMakesTheSelectedServerTheManagedOneAndBackClosesTheRemoteBackend() throws Exception {
        viewModel.newConnection();
        viewModel.nameProperty().set("edge-3");
        viewModel.addressProperty().set("http://127.0.0.1:8501");
        viewModel.save().join();
        Connection edge = viewModel.selectedProperty().get();

        viewModel.open().join();

        assertThat(server.connection()).isEqualTo(edge);
        assertThat(server.backend().capabilities().serverName()).isEqualTo("edge-3");
        assertThat(viewModel.managedProperty().get()).startsWith("This console manages: edge-3 (http://127.0.0.1:8501)");
        assertThat(viewModel.operation().noticeProperty().get()).isEqualTo("Now managing edge-3: the other pages show it");

        viewModel.selectedProperty().set(Connection.EMBEDDED);
        viewModel.open().join();

        assertThat(server.connection()).isEqualTo(Connection.EMBEDDED);
        assertThat(server.backend().status()).isEqualTo(embedded.status());
        assertThat(viewModel.managedProperty().get()).startsWith("This console manages: Embedded server.");
        viewModel.open().join();
        assertThat(viewModel.operation().noticeProperty().get()).isEqualTo("Embedded server is the server managed now");
    }

    @Test
    void theCommandLinesServerIsListedAndTestedWithItsTokenFileButNeverSaved() throws Exception {
        try (HealthStub server = new HealthStub("file-token")) {
            Connection given = new Connection("command-line", "stub", server.address(), Optional.empty(),
                    Optional.empty());
            ConnectionsViewModel remote = new ConnectionsViewModel(new ConnectionStore(node),
                    CompletableFuture.completedFuture(secrets), new ConnectionCheck(Runnable::run), given,
                    Optional.of("file-token"), managing(given, Optional.of("file-token")), new DirectExecutor(),
                    Runnable::run);

            assertThat(remote.connections()).containsExactly(Connection.EMBEDDED, given);
            assertThat(remote.managedProperty().get()).startsWith("This console manages: stub");
            remote.selectedProperty().set(given);
            assertThat(remote.canChangeSelectedProperty().get()).isFalse();
            remote.test().join();

            assertThat(remote.operation().noticeProperty().get()).startsWith("stub: Reachable");
            assertThat(node.childrenNames()).isEmpty();
            assertThat(secrets.entries).isEmpty();
        }
    }

    @Test
    void theOsSecretStoreIsFoundOrThisSessionIsUsedWithoutHanging() {
        long started = System.nanoTime();
        SecretStore found = OsSecretStore.open();
        // Either way it works: here (headless Debian, no Secret Service) it keeps secrets for this session.
        String account = "test/" + UUID.randomUUID();
        found.write(account, "value");
        try {
            assertThat(found.read(account)).contains("value");
        } finally {
            found.delete(account);
        }
        assertThat(found.read(account)).isEmpty();
        assertThat(found.description()).isNotBlank();
        assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(30_000);
    }

    private static List<String> allPreferenceValues(Preferences root) throws Exception {
        List<String> values = new ArrayList<>();
        for (String key : root.keys()) {
            values.add(root.get(key, ""));
        }
        for (String child : root.childrenNames()) {
            values.addAll(allPreferenceValues(root.node(child)));
        }
        return values;
    }

    /** A secret store in memory that lets the test see what was stored. */
    private static final class RecordingSecrets implements SecretStore {
        final Map<String, String> entries = new ConcurrentHashMap<>();

        @Override
        public Optional<String> read(String account) {
            return Optional.ofNullable(entries.get(account));
        }

        @Override
        public void write(String account, String secret) {
            entries.put(account, secret);
        }

        @Override
        public void delete(String account) {
            entries.remove(account);
        }

        @Override
        public boolean persistent() {
            return false;
        }

        @Override
        public String description() {
            return "this session only (test)";
        }
    }
}
