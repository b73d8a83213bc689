package dev.servedeck.core.server;

import dev.servedeck.core.ServerCoreOptions;
import dev.servedeck.core.grpc.GrpcOptions;
import dev.servedeck.core.metrics.MonitoringOptions;
import dev.servedeck.core.rest.RestOptions;
import dev.servedeck.core.security.AuthOptions;
import dev.servedeck.core.tls.TlsOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A whole model server: the core, its front ends (absent = not exported, like TF Serving's
 * {@code --rest_api_port=0} and {@code --port=0}), and an optional model config file to watch.
 *
 * @param rest the REST front end, if exported
 * @param grpc the gRPC front end, if exported
 * @param configFile the {@code --model_config_file} to re-read, if any
 * @param configFilePollWait {@code --model_config_file_poll_wait_seconds}; zero means read once
 * @param monitoring metrics, live statistics and the request log
 * @param tls TLS (and client certificates) on both front ends, from {@code --ssl_config_file}; absent: plain text
 * @param auth who may call the front ends (bearer tokens with scopes)
 * @param commandLine the flags the server was started with, as given (for the admin API's server info); empty for
 *     a server started from code
 */
public record ModelServerOptions(
        ServerCoreOptions core,
        Optional<RestOptions> rest,
        Optional<GrpcOptions> grpc,
        Optional<Path> configFile,
        Duration configFilePollWait,
        MonitoringOptions monitoring,
        Optional<TlsOptions> tls,
        AuthOptions auth,
        List<String> commandLine) {

    /** Started from code: no command line. */
    public ModelServerOptions(ServerCoreOptions core, Optional<RestOptions> rest, Optional<GrpcOptions> grpc,
            Optional<Path> configFile, Duration configFilePollWait, MonitoringOptions monitoring,
            Optional<TlsOptions> tls, AuthOptions auth) {
        this(core, rest, grpc, configFile, configFilePollWait, monitoring, tls, auth, List.of());
    }

    /** Open to every caller, as TF Serving. */
    public ModelServerOptions(ServerCoreOptions core, Optional<RestOptions> rest, Optional<GrpcOptions> grpc,
            Optional<Path> configFile, Duration configFilePollWait, MonitoringOptions monitoring,
            Optional<TlsOptions> tls) {
        this(core, rest, grpc, configFile, configFilePollWait, monitoring, tls, AuthOptions.none());
    }

    /** Without TLS, open to every caller. */
    public ModelServerOptions(ServerCoreOptions core, Optional<RestOptions> rest, Optional<GrpcOptions> grpc,
            Optional<Path> configFile, Duration configFilePollWait, MonitoringOptions monitoring) {
        this(core, rest, grpc, configFile, configFilePollWait, monitoring, Optional.empty());
    }

    /** Without gRPC, with default monitoring: metrics recorded, no Prometheus endpoint, no request log. */
    public ModelServerOptions(ServerCoreOptions core, Optional<RestOptions> rest, Optional<Path> configFile,
            Duration configFilePollWait) {
        this(core, rest, Optional.empty(), configFile, configFilePollWait, MonitoringOptions.defaults());
    }

    /** With default monitoring. */
    public ModelServerOptions(ServerCoreOptions core, Optional<RestOptions> rest, Optional<GrpcOptions> grpc,
            Optional<Path> configFile, Duration configFilePollWait) {
        this(core, rest, grpc, configFile, configFilePollWait, MonitoringOptions.defaults());
    }

    public ModelServerOptions {
        Objects.requireNonNull(core, "core");
        Objects.requireNonNull(rest, "rest");
        Objects.requireNonNull(grpc, "grpc");
        Objects.requireNonNull(configFile, "configFile");
        Objects.requireNonNull(configFilePollWait, "configFilePollWait");
        Objects.requireNonNull(monitoring, "monitoring");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(auth, "auth");
        commandLine = List.copyOf(commandLine);
    }

    public ModelServerOptions withMonitoring(MonitoringOptions newMonitoring) {
        return new ModelServerOptions(core, rest, grpc, configFile, configFilePollWait, newMonitoring, tls, auth, commandLine);
    }

    public ModelServerOptions withGrpc(GrpcOptions options) {
        return new ModelServerOptions(core, rest, Optional.of(options), configFile, configFilePollWait, monitoring,
                tls, auth, commandLine);
    }

    public ModelServerOptions withTls(TlsOptions options) {
        return new ModelServerOptions(core, rest, grpc, configFile, configFilePollWait, monitoring,
                Optional.of(options), auth, commandLine);
    }

    public ModelServerOptions withAuth(AuthOptions newAuth) {
        return new ModelServerOptions(core, rest, grpc, configFile, configFilePollWait, monitoring, tls, newAuth, commandLine);
    }

    public ModelServerOptions withCommandLine(List<String> flags) {
        return new ModelServerOptions(core, rest, grpc, configFile, configFilePollWait, monitoring, tls, auth, flags);
    }
}
