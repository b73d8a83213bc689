package dev.servedeck.core.main;

import dev.servedeck.core.ServerCoreOptions;
import dev.servedeck.core.batching.BatchingConfig;
import dev.servedeck.core.batching.BatchingOptions;
import dev.servedeck.core.batching.BatchingParametersFile;
import dev.servedeck.core.config.MonitoringConfigFile;
import dev.servedeck.core.config.PlatformConfigFile;
import dev.servedeck.core.config.TensorflowPlatform;
import dev.servedeck.core.grpc.ChannelArguments;
import dev.servedeck.core.grpc.GrpcOptions;
import dev.servedeck.core.metrics.LiveStatisticsOptions;
import dev.servedeck.core.metrics.MonitoringOptions;
import dev.servedeck.core.requestlog.RequestLogOptions;
import dev.servedeck.core.rest.AllowedHosts;
import dev.servedeck.core.rest.RestOptions;
import dev.servedeck.core.security.AuthOptions;
import dev.servedeck.core.security.ModelBasePathAllowlist;
import dev.servedeck.core.server.ModelServer;
import dev.servedeck.core.server.ModelServerOptions;
import dev.servedeck.core.status.ServingException;
import dev.servedeck.core.tls.TlsOptions;
import dev.servedeck.proto.config.ModelServerConfig;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/**
 * {@code tensorflow_model_server}'s command line: every flag of its 2.x {@code main.cc} is accepted, honoured
 * where ServeDeck has the feature and otherwise named in a warning ({@link IgnoredFlag}), so a script that starts
 * tensorflow_model_server starts ServeDeck unchanged; plus a few ServeDeck extensions (marked as such in their
 * descriptions). Build it with {@link #commandLine}, which declares the ignored flags too.
 */
@Command(name = "servedeck-server", versionProvider = VersionInfo.class,
        sortOptions = false, usageHelpWidth = 110,
        description = "A TensorFlow-Serving-compatible model server (gRPC and REST APIs of tensorflow_model_server).")
public final class ServerCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(ServerCommand.class);

    @Spec
    CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean helpRequested;

    // A plain boolean rather than picocli's versionHelp, which would print for --version=false too.
    @Option(names = {"-V", "--version"}, arity = "0..1", fallbackValue = "true", defaultValue = "false",
            description = "Print the version and exit (--version=true, as tensorflow_model_server takes it, too).")
    boolean versionRequested;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "8500",
            description = "Port for the gRPC API (default ${DEFAULT-VALUE}); 0 does not export it.")
    int grpcPort;

    @Option(names = "--grpc_host", paramLabel = "HOST", defaultValue = "127.0.0.1",
            description = "ServeDeck: address the gRPC API binds to (default ${DEFAULT-VALUE}; 0.0.0.0 for all).")
    String grpcHost;

    @Option(names = "--grpc_max_threads", paramLabel = "N", defaultValue = "-1",
            description = "Threads that run gRPC calls (default: 4 x CPU cores).")
    int grpcMaxThreads;

    @Option(names = "--grpc_channel_arguments", paramLabel = "K=V,...", defaultValue = "",
            description = "gRPC channel arguments, e.g. grpc.max_receive_message_length=1073741824,"
                    + "grpc.keepalive_time_ms=30000; those without a grpc-java server equivalent are logged and "
                    + "ignored.")
    String grpcChannelArguments;

    @Option(names = "--admin_api", arity = "0..1", fallbackValue = "true", defaultValue = "true",
            description = "ServeDeck: serve the admin API (servedeck.admin.v1.AdminService) on the gRPC port (default "
                    + "${DEFAULT-VALUE}); false leaves exactly tensorflow_model_server's gRPC surface, and admin calls "
                    + "answer UNIMPLEMENTED.")
    boolean adminApi;

    @Option(names = "--grpc_max_message_bytes", paramLabel = "BYTES", defaultValue = "268435456",
            description = "ServeDeck: largest gRPC request message (default 256 MiB; at most 2147483647).")
    int grpcMaxMessageBytes;

    @Option(names = "--rest_api_port", paramLabel = "PORT", defaultValue = "0",
            description = "Port for the HTTP/REST API; 0 does not export it (as tensorflow_model_server).")
    int restApiPort;

    @Option(names = "--rest_api_host", paramLabel = "HOST", defaultValue = "127.0.0.1",
            description = "ServeDeck: address the REST API binds to (default ${DEFAULT-VALUE}; 0.0.0.0 for all).")
    String restApiHost;

    @Option(names = "--rest_api_num_threads", paramLabel = "N", defaultValue = "-1",
            description = "Threads that process REST requests (default: 4 x CPU cores, as TF Serving; the core count gives a shorter latency tail at some cost in throughput).")
    int restApiNumThreads;

    @Option(names = "--rest_api_timeout_in_ms", paramLabel = "MS", defaultValue = "30000",
            description = "Timeout for REST requests, in milliseconds.")
    long restApiTimeoutMs;

    @Option(names = "--rest_api_enable_cors_support", arity = "0..1", fallbackValue = "true", defaultValue = "false",
            description = "Answer CORS preflight requests and allow any origin.")
    boolean restApiEnableCors;

    @Option(names = "--rest_api_max_body_bytes", paramLabel = "BYTES", defaultValue = "67108864",
            description = "ServeDeck: largest accepted REST request body (default 64 MiB); larger ones get 413.")
    int restApiMaxBodyBytes;

    @Option(names = "--rest_api_allowed_hosts", paramLabel = "HOST,...", defaultValue = "",
            description = "ServeDeck: answer only REST requests whose Host header names one of these (port aside), "
                    + "e.g. localhost,127.0.0.1,[::1] against DNS rebinding; others get 403 (default: any Host).")
    String restApiAllowedHosts;

    @Option(names = "--auth_tokens_file", paramLabel = "FILE", converter = PathOrUnset.class,
            description = "ServeDeck: require bearer tokens. One token a line, TOKEN SCOPE[,SCOPE] (scopes: predict, "
                    + "admin, metrics); re-read when it changes. Health and reflection stay open "
                    + "(docs/security-tokens.md).")
    Path authTokensFile;

    @Option(names = "--model_base_path_allowlist", paramLabel = "DIR,...", defaultValue = "",
            description = "ServeDeck: model configs (the first one, --model_config_file reloads and gRPC "
                    + "ReloadConfig) may only name base paths inside these folders (links followed); others are "
                    + "refused with INVALID_ARGUMENT (default: any folder).")
    String modelBasePathAllowlist;

    @Option(names = "--model_name", paramLabel = "NAME",
            description = "Name of the model (default: $MODEL_NAME, else 'default').")
    String modelName;

    @Option(names = "--model_base_path", paramLabel = "PATH",
            description = "Path of the model's version folders (default: $MODEL_BASE_PATH/$MODEL_NAME when "
                    + "MODEL_NAME is set).")
    String modelBasePath;

    @Option(names = "--model_config_file", paramLabel = "FILE", converter = PathOrUnset.class,
            description = "ModelServerConfig in protobuf text format; overrides --model_name/--model_base_path.")
    Path modelConfigFile;

    @Option(names = "--model_config_file_poll_wait_seconds", paramLabel = "S", defaultValue = "0",
            description = "Re-read --model_config_file this often; 0 reads it once.")
    int modelConfigFilePollWaitSeconds;

    @Option(names = "--file_system_poll_wait_seconds", paramLabel = "S", defaultValue = "1",
            description = "How often to look for new or removed model versions; 0 looks once.")
    int fileSystemPollWaitSeconds;

    @Option(names = "--allow_version_labels_for_unavailable_models", arity = "0..1", fallbackValue = "true",
            defaultValue = "false", description = "Allow labels to point at versions that are not AVAILABLE.")
    boolean allowVersionLabelsForUnavailableModels;

    @Mixin
    ModelLoadingFlags loading;

    @Mixin
    TensorflowFlags tensorflow;

    @Mixin
    ResourceBoundsFlags bounds;

    @Option(names = "--platform_config_file", paramLabel = "FILE", converter = PathOrUnset.class,
            description = "PlatformConfigMap in protobuf text format; its tensorflow platform's SessionBundleConfig "
                    + "(session config, batching parameters, tags, warmup) replaces --enable_batching and the session "
                    + "flags, as in tensorflow_model_server. What ServeDeck cannot honour is named in a warning.")
    Path platformConfigFile;

    @Option(names = "--demo", arity = "0..1", fallbackValue = "true", defaultValue = "false",
            description = "ServeDeck: generate demo models (half_plus_two, mlp) if missing and serve them.")
    boolean demo;

    @Option(names = "--demo_models_dir", paramLabel = "DIR", converter = PathOrUnset.class,
            description = "ServeDeck: where --demo keeps its models (default ~/.servedeck/demo-models).")
    Path demoModelsDir;

    @Option(names = "--ssl_config_file", paramLabel = "FILE", converter = PathOrUnset.class,
            description = "SSLConfig in protobuf text format (server_key, server_cert, custom_ca, client_verify, as "
                    + "PEM text; ServeDeck also takes server_key_file, server_cert_file, custom_ca_file): TLS on the "
                    + "gRPC port as in tensorflow_model_server and, beyond it, on the REST port; client_verify: true "
                    + "requires client certificates signed by custom_ca on both.")
    Path sslConfigFile;

    @Option(names = "--ssl_config_file_poll_wait_seconds", paramLabel = "S", defaultValue = "60",
            description = "ServeDeck: check --ssl_config_file and the PEM files it names this often and serve new "
                    + "certificates to new connections without a restart; 0 reads it once (default ${DEFAULT-VALUE}).")
    int sslConfigFilePollWaitSeconds;

    @Option(names = "--use_alts_credentials", arity = "0..1", fallbackValue = "true", defaultValue = "false",
            description = "Google ALTS is not supported: with true the server refuses to start rather than serve "
                    + "without it.")
    boolean useAltsCredentials;

    @Option(names = "--enable_batching", arity = "0..1", fallbackValue = "true", defaultValue = "false",
            description = "Batch Predict requests that can share a batch (parameters: --batching_parameters_file).")
    boolean enableBatching;

    @Option(names = "--batching_parameters_file", paramLabel = "FILE", converter = PathOrUnset.class,
            description = "BatchingParameters in protobuf text format; without it, TF Serving's defaults.")
    Path batchingParametersFile;

    @Option(names = "--enable_per_model_batching_parameters", arity = "0..1", fallbackValue = "true",
            defaultValue = "false",
            description = "With --enable_batching: a version folder's batching_params.pbtxt replaces the file's "
                    + "parameters for that version.")
    boolean enablePerModelBatchingParameters;

    @Option(names = "--batching_adaptive_timeout", arity = "0..1", fallbackValue = "true", defaultValue = "true",
            description = "ServeDeck: run a partial batch before batch_timeout_micros when no other request can join "
                    + "it soon (default true; false: TF Serving's fixed timeout). When given, it replaces the "
                    + "adaptive_batch_timeout of the batching parameters file or platform config.")
    boolean batchingAdaptiveTimeout;

    @Option(names = "--monitoring_config_file", paramLabel = "FILE", converter = PathOrUnset.class,
            description = "MonitoringConfig in protobuf text format; prometheus_config { enable: true } serves "
                    + "Prometheus metrics on the REST port (default path /monitoring/prometheus/metrics).")
    Path monitoringConfigFile;

    @Option(names = "--request_log_file", paramLabel = "FILE", converter = PathOrUnset.class,
            description = "ServeDeck: write sampled requests as JSON lines to FILE (rotated by size).")
    Path requestLogFile;

    @Option(names = "--request_log_sampling_rate", paramLabel = "RATE", defaultValue = "0",
            description = "ServeDeck: share of requests logged (0..1) for models without a logging_config in "
                    + "the model config (those use its sampling_rate); default ${DEFAULT-VALUE}.")
    double requestLogSamplingRate;

    @Option(names = "--request_log_include_bodies", arity = "0..1", fallbackValue = "true", defaultValue = "false",
            description = "ServeDeck: also log input and output tensors (large; off by default).")
    boolean requestLogIncludeBodies;

    @Option(names = "--request_log_max_file_bytes", paramLabel = "BYTES", defaultValue = "104857600",
            description = "ServeDeck: rotate the request log file at this size (default 100 MiB).")
    long requestLogMaxFileBytes;

    @Option(names = "--request_log_max_files", paramLabel = "N", defaultValue = "5",
            description = "ServeDeck: request log files kept, the current one included (default ${DEFAULT-VALUE}).")
    int requestLogMaxFiles;

    @Option(names = "--disable_metrics", arity = "0..1", fallbackValue = "true", defaultValue = "false", hidden = true,
            description = "ServeDeck: serve without measuring (to measure what metrics cost).")
    boolean disableMetrics;

    /** The command line, with the flags ServeDeck accepts and ignores declared too; use it to run or parse. */
    public static CommandLine commandLine(ServerCommand command) {
        CommandLine commandLine = new CommandLine(command).setCaseInsensitiveEnumValuesAllowed(true);
        IgnoredFlag.declareOn(commandLine.getCommandSpec());
        return commandLine;
    }

    @Override
    public Integer call() throws Exception {
        if (versionRequested) {
            spec.commandLine().printVersionHelp(spec.commandLine().getOut());
            return 0;
        }
        // First, so that SIGTERM while models load stops the start and exits 0 instead of killing the JVM.
        ShutdownSignal shutdown = new ShutdownSignal();
        IgnoredFlag.warnings(spec.commandLine().getParseResult()).forEach(LOG::warn);
        if (useAltsCredentials) {
            LOG.error("--use_alts_credentials is not supported; refusing to serve without the credentials you asked for");
            return 1;
        }
        ModelServerConfig config;
        try {
            config = new ModelConfigChoice(modelName, modelBasePath, modelConfigFile, demo, demoModelsDir,
                    System.getenv()).resolve();
        } catch (ServingException e) {
            LOG.error("{}", e.getMessage());
            return 1;
        }
        ModelServerOptions options;
        try {
            options = serverOptions();
        } catch (ServingException | IllegalArgumentException e) {
            LOG.error("{}", e.getMessage());
            return 1;
        }
        ModelServer server;
        try {
            server = shutdown.interruptingOnSignal(() -> ModelServer.start(options, config));
        } catch (RuntimeException e) {
            if (shutdown.received()) {
                LOG.info("Stopped before the server was up ({}); exiting", e.getMessage());
                return 0;
            }
            if (e instanceof ServingException || e instanceof IllegalArgumentException
                    || e instanceof UncheckedIOException) {
                LOG.error("Cannot start: {}", e.getMessage());
                return 1;
            }
            throw e;
        }
        LOG.info("ServeDeck serving {} model(s){}{}", config.getModelConfigList().getConfigCount(),
                server.grpcPort().map(port -> "; gRPC on port " + port).orElse("; gRPC API not exported"),
                server.restPort().map(port -> "; REST on port " + port).orElse("; REST API not exported "
                        + "(use --rest_api_port)"));
        shutdown.awaitTermination();
        server.close();
        return 0;
    }

    /** The options the flags ask for; package-private so tests check flag handling without starting a server. */
    ModelServerOptions serverOptions() {
        Optional<TensorflowPlatform> platform = platformConfig();
        ServerCoreOptions core = loading.applyTo(ServerCoreOptions.defaults())
                .withFileSystemPollWait(Duration.ofSeconds(fileSystemPollWaitSeconds))
                .withAllowVersionLabelsForUnavailableModels(allowVersionLabelsForUnavailableModels)
                .withTensorflow(platform.map(TensorflowPlatform::tensorflow).orElseGet(tensorflow::options))
                .withBatching(withAdaptiveTimeoutFlag(platform
                        .map(p -> p.batching().withPerModelParameters(enablePerModelBatchingParameters))
                        .orElseGet(this::batchingConfig)))
                .withModelBasePathAllowlist(ModelBasePathAllowlist.parse(modelBasePathAllowlist));
        int threads = restApiNumThreads > 0 ? restApiNumThreads : RestOptions.defaultNumThreads();
        Optional<RestOptions> rest = restApiPort > 0
                ? Optional.of(new RestOptions(restApiHost, restApiPort, threads, Duration.ofMillis(restApiTimeoutMs),
                        restApiEnableCors, restApiMaxBodyBytes)
                        .withAllowedHosts(AllowedHosts.parse(restApiAllowedHosts)))
                : Optional.empty();
        AuthOptions auth = authTokensFile == null ? AuthOptions.none() : AuthOptions.none().withTokensFile(authTokensFile);
        Optional<GrpcOptions> grpc = grpcOptions();
        return new ModelServerOptions(bounds.applyTo(core, grpc), rest.map(bounds::applyTo), grpc.map(bounds::applyTo),
                Optional.ofNullable(modelConfigFile), Duration.ofSeconds(modelConfigFilePollWaitSeconds),
                monitoringOptions(), tlsOptions(), auth).withCommandLine(flagsGiven());
    }

    /** The flags as given on the command line, for the admin API's server info. */
    private List<String> flagsGiven() {
        ParseResult parsed = spec == null ? null : spec.commandLine().getParseResult();
        return parsed == null ? List.of() : parsed.originalArgs();
    }

    private Optional<TlsOptions> tlsOptions() {
        if (sslConfigFile == null) {
            return Optional.empty();
        }
        if (sslConfigFilePollWaitSeconds < 0) {
            throw new IllegalArgumentException("--ssl_config_file_poll_wait_seconds must not be negative, was "
                    + sslConfigFilePollWaitSeconds);
        }
        return Optional.of(new TlsOptions(sslConfigFile, Duration.ofSeconds(sslConfigFilePollWaitSeconds)));
    }

    private MonitoringOptions monitoringOptions() {
        Optional<String> prometheusPath = monitoringConfigFile == null ? Optional.empty()
                : MonitoringConfigFile.prometheusPath(MonitoringConfigFile.read(monitoringConfigFile));
        RequestLogOptions requestLog = RequestLogOptions.defaults()
                .withSamplingRate(requestLogSamplingRate)
                .withIncludeBodies(requestLogIncludeBodies)
                .withRotation(requestLogMaxFileBytes, requestLogMaxFiles);
        if (requestLogFile != null) {
            requestLog = requestLog.withFile(requestLogFile);
            if (requestLogSamplingRate == 0) {
                LOG.warn("--request_log_file is set but --request_log_sampling_rate is 0: only models with a "
                        + "logging_config in the model config are logged");
            }
        }
        // Half-second steps over the same minute, as the console's embedded server: the admin API streams a step
        // each, the console's Monitor page draws a point each.
        return new MonitoringOptions(!disableMetrics, prometheusPath, requestLog,
                new LiveStatisticsOptions(Duration.ofMillis(500), 120));
    }

    /** Empty for --port=0, as tensorflow_model_server. */
    private Optional<GrpcOptions> grpcOptions() {
        if (grpcPort == 0) {
            return Optional.empty();
        }
        int threads = grpcMaxThreads > 0 ? grpcMaxThreads : GrpcOptions.defaultMaxThreads();
        return Optional.of(new GrpcOptions(grpcHost, grpcPort, threads, grpcMaxMessageBytes,
                ChannelArguments.parse(grpcChannelArguments)).withAdminApi(adminApi));
    }

    /** As tensorflow_model_server: the parameters file and per-model parameters only count with --enable_batching. */
    private BatchingConfig batchingConfig() {
        if (!enableBatching) {
            if (batchingParametersFile != null || enablePerModelBatchingParameters) {
                LOG.warn("--batching_parameters_file and --enable_per_model_batching_parameters are ignored "
                        + "without --enable_batching");
            }
            return BatchingConfig.disabled();
        }
        BatchingOptions options = batchingParametersFile == null
                ? BatchingOptions.defaults()
                : BatchingParametersFile.read(batchingParametersFile);
        return BatchingConfig.enabled(options).withPerModelParameters(enablePerModelBatchingParameters);
    }

    /**
     * {@code --batching_adaptive_timeout}, when given, decides for the shared parameters whatever their file says
     * (TF Serving's files cannot say); per-model files keep their own.
     */
    private BatchingConfig withAdaptiveTimeoutFlag(BatchingConfig config) {
        if (!given("--batching_adaptive_timeout")) {
            return config;
        }
        return new BatchingConfig(config.enabled(), config.options().withAdaptiveBatchTimeout(batchingAdaptiveTimeout),
                config.perModelParameters());
    }

    /**
     * As tensorflow_model_server: a platform config file decides how SavedModels load and whether requests are
     * batched, and the flags it replaces are ignored (here with a warning that names them).
     */
    private Optional<TensorflowPlatform> platformConfig() {
        if (platformConfigFile == null) {
            return Optional.empty();
        }
        List<String> replaced = new ArrayList<>(TensorflowFlags.REPLACED_BY_PLATFORM_CONFIG);
        replaced.addAll(List.of("--enable_batching", "--batching_parameters_file"));
        for (String flag : replaced) {
            if (given(flag)) {
                LOG.warn("{} is ignored: --platform_config_file decides how models load and batch (as in "
                        + "tensorflow_model_server)", flag);
            }
        }
        return Optional.of(PlatformConfigFile.read(platformConfigFile, tensorflow.baseForPlatformConfig()));
    }

    private boolean given(String flag) {
        ParseResult parsed = spec.commandLine().getParseResult();
        return parsed != null && parsed.hasMatchedOption(flag);
    }
}
