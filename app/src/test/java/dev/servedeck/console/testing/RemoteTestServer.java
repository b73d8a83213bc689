package dev.servedeck.console.testing;

import dev.servedeck.console.backend.ServerStatus;
import dev.servedeck.console.backend.remote.RemoteBackend;
import dev.servedeck.console.connections.Connection;
import dev.servedeck.core.testing.CuttableTcpProxy;
import dev.servedeck.core.testing.ServerProcess;
import dev.servedeck.core.testing.TestFolders;
import dev.servedeck.core.testing.TestPki;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The headless server in a process of its own, as an edge box runs it, for the console's remote tests: TLS on both
 * ports (a CA made here), bearer tokens, batching, every request logged. Started once per test class (register it
 * as a static {@code @RegisterExtension} field) and stopped after it; by default it serves the console's demo
 * models, as the embedded server of the GUI tests does.
 *
 * <p>The console reaches it through two {@link CuttableTcpProxy}s (REST and gRPC), so a test can take the network
 * away and give it back on the same ports.
 */
public final class RemoteTestServer implements BeforeAllCallback, AfterAllCallback {

    /** Scopes admin and predict: everything the console does. */
    public static final String ADMIN_TOKEN = "console-admin-" + "0123456789abcdef0123456789abcdef";
    public static final String WRONG_TOKEN = "console-wrong-" + "0123456789abcdef0123456789abcdef";

    private final List<String> modelFlags;
    private final ModelsWriter models;
    private Path modelConfig;
    private boolean mutualTls;
    private TestPki.Issued clientCa;
    private Path folder;
    private TestPki.Issued ca;
    private Path caFile;
    private ServerProcess process;
    private List<String> flags;
    private int starts;
    private CuttableTcpProxy restProxy;
    private CuttableTcpProxy grpcProxy;

    private RemoteTestServer(List<String> modelFlags, ModelsWriter models) {
        this.modelFlags = modelFlags;
        this.models = models;
    }

    /** The server verifies clients: only a certificate signed by its client CA gets through ({@link #clientIdentity}). */
    public RemoteTestServer requiringClientCertificates() {
        mutualTls = true;
        return this;
    }

    /** Writes a test's models into the server's folder and answers the config file that serves them. */
    @FunctionalInterface
    public interface ModelsWriter {
        Path write(Path folder) throws Exception;
    }

    /** Serving the console's demo models (half_plus_two and mlp). */
    public static RemoteTestServer withDemoModels() {
        return new RemoteTestServer(List.of("--demo", "--demo_models_dir=" + TestModels.demoRoot()), null);
    }

    /** Serving the models {@code models} writes into the server's folder before it starts. */
    public static RemoteTestServer withModels(ModelsWriter models) {
        return new RemoteTestServer(List.of(), models);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        folder = Files.createTempDirectory("servedeck-remote-test-");
        ca = TestPki.ca("ServeDeck Console Remote Test CA");
        caFile = Files.writeString(folder.resolve("ca.pem"), ca.certificatePem());
        TestPki.Issued serverCertificate = TestPki.server(ca, 1);
        if (mutualTls) {
            clientCa = TestPki.ca("ServeDeck Console Remote Test Client CA");
        }
        Path ssl = Files.writeString(folder.resolve("ssl.config"), mutualTls
                ? TestPki.mutualSslConfig(serverCertificate, clientCa) : TestPki.sslConfig(serverCertificate));
        Path tokens = Files.writeString(folder.resolve("tokens"), ADMIN_TOKEN + " admin,predict\n");
        flags = new ArrayList<>(modelFlags);
        if (models != null) {
            modelConfig = models.write(folder);
            flags.add("--model_config_file=" + modelConfig.toAbsolutePath());
        }
        flags.addAll(List.of("--ssl_config_file=" + ssl, "--auth_tokens_file=" + tokens, "--enable_batching",
                "--request_log_sampling_rate=1", "--file_system_poll_wait_seconds=1"));
        process = launch();
        restProxy = new CuttableTcpProxy(process.restPort());
        grpcProxy = new CuttableTcpProxy(process.grpcPort());
    }

    private ServerProcess launch() throws IOException, InterruptedException {
        return ServerProcess.startAwaitingLog(folder.resolve("server-" + ++starts + ".log"), List.of("-Xmx768m"),
                flags, "ServeDeck serving");
    }

    /** Stops the server process (SIGTERM, as an orchestrator does); the console's ports stay, nothing answers. */
    public void stopProcess() throws InterruptedException {
        process.stop();
    }

    /** A new server process with the same flags, behind the same ports the console knows. */
    public void startProcessAgain() throws IOException, InterruptedException {
        process = launch();
        restProxy.retarget(process.restPort());
        grpcProxy.retarget(process.grpcPort());
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (restProxy != null) {
            restProxy.close();
            grpcProxy.close();
        }
        if (process != null) {
            process.stop();
        }
        if (folder != null) {
            TestFolders.delete(folder);
        }
    }

    /** The server as the console knows it: through the proxies, by the name its certificate carries. */
    public Connection connection() {
        return new Connection("remote-test-" + UUID.randomUUID(), "edge-test",
                URI.create("https://localhost:" + restProxy.port()), Optional.of(caFile), Optional.empty(),
                OptionalInt.of(grpcProxy.port()));
    }

    /**
     * A client certificate the server accepts (written to a file, as the Connections page takes it) and its key's
     * PEM text (as the secret store keeps it).
     */
    public ClientIdentity clientIdentity(String name) throws java.io.IOException {
        TestPki.Issued client = TestPki.client(clientCa, name);
        return new ClientIdentity(Files.writeString(folder.resolve(name + ".pem"), client.certificatePem()),
                client.keyPem());
    }

    public record ClientIdentity(Path certificate, String keyPem) {
    }

    /** The server as the console knows it, presenting {@code certificate}. */
    public Connection connection(Path certificate) {
        Connection plain = connection();
        return new Connection(plain.id(), plain.name(), plain.address(), plain.caCert(), Optional.of(certificate),
                plain.grpcPort());
    }

    /**
     * The real remote backend on this server with {@link #ADMIN_TOKEN}, linked (its first attempt answered), for
     * the ViewModel and backend contract tests that run on both backends; the caller closes it.
     */
    public RemoteBackend connectBackend() throws Exception {
        RemoteBackend backend = RemoteBackend.connect(connection(), Optional.of(ADMIN_TOKEN), Optional.empty());
        ServerStatus status = backend.start(null).get(1, TimeUnit.MINUTES);
        if (status.state() != ServerStatus.State.RUNNING) {
            backend.close();
            throw new IllegalStateException("The remote backend did not link: " + status + "\n" + log());
        }
        return backend;
    }

    /** Takes the network away: open connections end, new ones are refused. */
    public void cutNetwork() {
        restProxy.cut();
        grpcProxy.cut();
    }

    public void restoreNetwork() {
        restProxy.restore();
        grpcProxy.restore();
    }

    /** Everything the server logged, for failure messages. */
    public String log() {
        return process.log();
    }

    public Path folder() {
        return folder;
    }

    /** The config file the server started with ({@link #withModels}). */
    public Path modelConfig() {
        return modelConfig;
    }
}
