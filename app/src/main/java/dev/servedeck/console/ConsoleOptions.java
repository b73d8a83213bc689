package dev.servedeck.console;

import dev.servedeck.console.backend.ModelSource;
import dev.servedeck.console.backend.ServerSettings;
import dev.servedeck.console.backend.TlsSettings;
import dev.servedeck.console.backend.tfserving.TfServingHints;
import dev.servedeck.console.connections.ClientTls;
import dev.servedeck.console.connections.Connection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The console's command line. Everything is optional: with no flags the console serves the models of its
 * last run (or the demo models on the first) on the ports of its last run (8501 REST, 8500 gRPC by default).
 */
@Command(name = "servedeck-console",
        description = "ServeDeck console: a desktop admin console with an embedded TensorFlow-Serving-compatible server.")
public final class ConsoleOptions {

    /** The id of the connection given on the command line (shown, tested, never saved). */
    static final String COMMAND_LINE_ID = "command-line";

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Option(names = "--host", paramLabel = "ADDRESS",
            description = "Address the embedded server binds (default: last run's, else 127.0.0.1).")
    String host;

    @Option(names = "--rest-port", paramLabel = "PORT", description = "REST port; 0 picks a free one (default 8501).")
    Integer restPort;

    @Option(names = "--grpc-port", paramLabel = "PORT",
            description = "gRPC port; 0 picks a free one, -1 turns gRPC off (default 8500). With --server: the remote "
                    + "server's gRPC port, where its admin API answers (default: the REST port minus one).")
    Integer grpcPort;

    @Option(names = "--model_config_file", paramLabel = "FILE", description = "Serve the models of this TF Serving model config file.")
    Path modelConfigFile;

    @Option(names = "--model_base_path", paramLabel = "DIR", description = "Serve one model from this base path.")
    Path modelBasePath;

    @Option(names = "--model_name", paramLabel = "NAME", description = "The name for --model_base_path (default: the folder's name).")
    String modelName;

    @Option(names = "--demo", description = "Serve the demo models, whatever the last run served.")
    boolean demo;

    @Option(names = "--no-batching", description = "Do not batch Predict requests.")
    boolean noBatching;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Where the console keeps demo models, its saved model config and the request log (default ~/.servedeck).")
    Path dataDir;

    @Option(names = "--ssl_config_file", paramLabel = "FILE",
            description = "Serve REST and gRPC over TLS with this TF Serving SSLConfig (as servedeck-server's flag); "
                    + "the console's own requests trust the certificate it serves.")
    Path sslConfigFile;

    @Option(names = "--ssl_client_pem", paramLabel = "FILE",
            description = "With an SSL config that has client_verify: true, the key and certificate (PEM, one file) "
                    + "the console presents to its own server.")
    Path sslClientPem;

    @Option(names = "--server", paramLabel = "URL",
            description = "Manage this remote ServeDeck server instead of an embedded one (no embedded server starts), "
                    + "e.g. https://edge-3.local:8501 (its REST root; the admin API is on --grpc-port).")
    String server;

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "With --server: a file holding the bearer token for that server (kept in memory, never saved).")
    Path tokenFile;

    @Option(names = "--ca-cert", paramLabel = "FILE",
            description = "With --server: the PEM certificate of the CA that signed the server's certificate "
                    + "(default: the JDK's trusted CAs).")
    Path caCert;

    @Option(names = "--client-cert", paramLabel = "FILE",
            description = "With --server and an https:// address: the PEM certificate the console presents (mutual TLS).")
    Path clientCert;

    @Option(names = "--client-key", paramLabel = "FILE",
            description = "With --client-cert: its private key, PKCS#8 PEM (read into memory, never saved).")
    Path clientKey;

    @Option(names = "--tf-serving-models", paramLabel = "NAME,...", split = ",",
            description = "With --server on a plain tensorflow_model_server (reduced mode): the models it serves, which "
                    + "TF Serving cannot list.")
    List<String> tfServingModels;

    @Option(names = "--prometheus-url", paramLabel = "URL",
            description = "With --server on a plain tensorflow_model_server: its Prometheus metrics, for the Monitor's "
                    + "charts, e.g. http://edge-7:8501/monitoring/prometheus/metrics.")
    String prometheusUrl;

    @Option(names = "--smoke-test", description = "Start, wait until the server serves and the first chart point arrives, log the times, exit.")
    boolean smokeTest;

    /** Parses {@code args}; throws {@link CommandLine.ParameterException} with a message for bad flags. */
    static ConsoleOptions parse(List<String> args) {
        ConsoleOptions options = new ConsoleOptions();
        CommandLine line = new CommandLine(options);
        line.parseArgs(args.toArray(String[]::new));
        options.checkRemoteFlags(line);
        return options;
    }

    /** The remote flags go together, and the address and files must make sense before any window opens. */
    private void checkRemoteFlags(CommandLine line) {
        if (server == null) {
            if (tokenFile != null || caCert != null || clientCert != null || clientKey != null
                    || tfServingModels != null || prometheusUrl != null) {
                throw new CommandLine.ParameterException(line, "--token-file, --ca-cert, --client-cert, --client-key,"
                        + " --tf-serving-models and --prometheus-url go with --server URL");
            }
            return;
        }
        if ((clientCert == null) != (clientKey == null)) {
            throw new CommandLine.ParameterException(line, "--client-cert and --client-key go together");
        }
        if (grpcPort != null && (grpcPort < 1 || grpcPort > 65535)) {
            throw new CommandLine.ParameterException(line, "--grpc-port with --server is the remote server's gRPC "
                    + "port, 1 to 65535, not " + grpcPort);
        }
        if (prometheusUrl != null && !isHttpUrl(prometheusUrl)) {
            throw new CommandLine.ParameterException(line, "--prometheus-url " + prometheusUrl
                    + ": a full http:// or https:// URL, e.g. http://edge-7:8501/monitoring/prometheus/metrics");
        }
        try {
            URI address = Connection.parseAddress(server);
            if ((caCert != null || clientCert != null) && !"https".equals(address.getScheme())) {
                throw new IllegalArgumentException("--ca-cert and --client-cert are for TLS: use an https:// address"
                        + " with them");
            }
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(line, "--server " + server + ": " + e.getMessage());
        }
        for (Path file : new Path[] {tokenFile, caCert, clientCert, clientKey}) {
            if (file != null && !Files.isReadable(file)) {
                throw new CommandLine.ParameterException(line, "Cannot read " + file);
            }
        }
        // Certificates and the key that do not read stop here, with the reason, rather than in the window.
        Connection connection = remoteServer().orElseThrow();
        if (connection.usesTls() && (caCert != null || clientCert != null)) {
            try {
                ClientTls.of(connection, remoteClientKey());
            } catch (IllegalArgumentException | UncheckedIOException e) {
                throw new CommandLine.ParameterException(line, e.getMessage());
            }
        }
    }

    /** The server given with {@code --server}, when the console manages a remote server instead of its own. */
    Optional<Connection> remoteServer() {
        if (server == null) {
            return Optional.empty();
        }
        URI address = Connection.parseAddress(server);
        return Optional.of(new Connection(COMMAND_LINE_ID, address.getHost() + ":" + address.getPort(), address,
                Optional.ofNullable(caCert).map(Path::toAbsolutePath),
                Optional.ofNullable(clientCert).map(Path::toAbsolutePath),
                grpcPort == null ? OptionalInt.empty() : OptionalInt.of(grpcPort),
                new TfServingHints(tfServingModels == null ? List.of() : tfServingModels,
                        Optional.ofNullable(prometheusUrl).map(URI::create))));
    }

    private static boolean isHttpUrl(String text) {
        try {
            URI url = URI.create(text);
            return url.getHost() != null && List.of("http", "https").contains(String.valueOf(url.getScheme()));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The private key of {@code --client-key} (PEM text); kept in memory, never stored anywhere. */
    Optional<String> remoteClientKey() {
        if (clientKey == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.readString(clientKey));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the client key " + clientKey, e);
        }
    }

    /** The token of {@code --token-file} (its first line, trimmed); never stored anywhere. */
    Optional<String> remoteToken() {
        if (tokenFile == null) {
            return Optional.empty();
        }
        try {
            return Files.readAllLines(tokenFile).stream().map(String::strip).filter(line -> !line.isEmpty())
                    .findFirst();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the token file " + tokenFile, e);
        }
    }

    static String usage() {
        return new CommandLine(new ConsoleOptions()).getUsageMessage();
    }

    boolean isHelp() {
        return help;
    }

    Path dataDir() {
        return dataDir != null ? dataDir : Path.of(System.getProperty("user.home"), ".servedeck");
    }

    /** The model config the console saves on exit and serves again at the next start. */
    Path rememberedModels() {
        return dataDir().resolve("console").resolve("models.config");
    }

    /** What to serve: flags first, then the last run's models, then the demo models. */
    ModelSource models() {
        if (modelConfigFile != null) {
            return new ModelSource.ConfigFile(modelConfigFile.toAbsolutePath());
        }
        if (modelBasePath != null) {
            Path base = modelBasePath.toAbsolutePath();
            String name = modelName != null ? modelName : Optional.ofNullable(base.getFileName())
                    .map(Path::toString).orElse("default");
            return new ModelSource.BasePath(name, base);
        }
        if (!demo && Files.isRegularFile(rememberedModels())) {
            return new ModelSource.ConfigFile(rememberedModels());
        }
        return demoModels();
    }

    ModelSource demoModels() {
        return new ModelSource.Demo(dataDir().resolve("demo-models"));
    }

    /** Settings from flags, else remembered ones ({@code fallback}). */
    ServerSettings settings(ServerSettings fallback) {
        return new ServerSettings(
                host != null ? host : fallback.host(),
                restPort != null ? restPort : fallback.restPort(),
                grpcPort != null ? grpcPort : fallback.grpcPort(),
                !noBatching && fallback.batching(),
                models(),
                dataDir().resolve("logs"),
                sslConfigFile == null ? fallback.tls() : Optional.of(new TlsSettings(sslConfigFile.toAbsolutePath(),
                        Optional.ofNullable(sslClientPem).map(Path::toAbsolutePath))));
    }
}
