package dev.servedeck.core.grpc.admin;

import dev.servedeck.core.ServerCore;
import dev.servedeck.core.config.ModelServerConfigFile;
import dev.servedeck.core.events.ServerEvent;
import dev.servedeck.core.grpc.UnaryCalls;
import dev.servedeck.core.metrics.ProcessLoad;
import dev.servedeck.core.requestlog.RequestLog;
import dev.servedeck.core.requestlog.RequestLogEntry;
import dev.servedeck.core.servable.ServableState;
import dev.servedeck.core.status.ServingException;
import dev.servedeck.proto.admin.v1.AddModelRequest;
import dev.servedeck.proto.admin.v1.AdminServiceGrpc;
import dev.servedeck.proto.admin.v1.ApplyBatchingParametersRequest;
import dev.servedeck.proto.admin.v1.BatchingParameters;
import dev.servedeck.proto.admin.v1.EventUpdate;
import dev.servedeck.proto.admin.v1.GetBatchingParametersRequest;
import dev.servedeck.proto.admin.v1.GetModelConfigRequest;
import dev.servedeck.proto.admin.v1.GetServerInfoRequest;
import dev.servedeck.proto.admin.v1.ListModelsRequest;
import dev.servedeck.proto.admin.v1.ListModelsResponse;
import dev.servedeck.proto.admin.v1.LoadVersionRequest;
import dev.servedeck.proto.admin.v1.ModelConfigText;
import dev.servedeck.proto.admin.v1.ModelResponse;
import dev.servedeck.proto.admin.v1.RemoveLabelRequest;
import dev.servedeck.proto.admin.v1.RemoveModelRequest;
import dev.servedeck.proto.admin.v1.RemoveModelResponse;
import dev.servedeck.proto.admin.v1.ReplaceModelConfigRequest;
import dev.servedeck.proto.admin.v1.RequestLogUpdate;
import dev.servedeck.proto.admin.v1.ServerInfo;
import dev.servedeck.proto.admin.v1.SetLabelRequest;
import dev.servedeck.proto.admin.v1.SetVersionPolicyRequest;
import dev.servedeck.proto.admin.v1.StatisticsUpdate;
import dev.servedeck.proto.admin.v1.StreamEventsRequest;
import dev.servedeck.proto.admin.v1.StreamStatisticsRequest;
import dev.servedeck.proto.admin.v1.TailRequestLogRequest;
import dev.servedeck.proto.admin.v1.UnloadVersionRequest;
import dev.servedeck.proto.admin.v1.VersionPolicy;
import dev.servedeck.proto.config.ModelConfig;
import dev.servedeck.proto.config.ModelServerConfig;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.Comparator;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ServeDeck's admin API ({@code servedeck.admin.v1.AdminService}, see its {@code .proto} and docs/admin-api.md):
 * everything the console does, for a console or tool on another machine. Unary calls run on the gRPC call executor;
 * streams are fed from one thread ({@link AdminStreams}) and never buffer more than a bounded amount per client.
 * Who may call what is decided before a call gets here (core.security's ApiOperation, through the gRPC interceptor).
 */
public final class AdminServiceImpl extends AdminServiceGrpc.AdminServiceImplBase implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AdminServiceImpl.class);

    /** Events and log entries one stream may have waiting for its client; more push the oldest out. */
    static final int STREAM_BUFFER = 1000;
    /** The request log entries a tail may start with. */
    static final int MAX_RECENT_LOG_ENTRIES = 1000;

    private final AdminSources sources;
    private final UnaryCalls calls;
    private final AdminStreams streams;
    private final StatisticsBroadcast statistics;
    /** The process's CPU is measured between two GetServerInfo calls: one meter for the server. */
    private final ProcessLoad processLoad = new ProcessLoad();

    /** Unary calls run on {@code callExecutor}; the server should invoke these methods directly on its transport. */
    public AdminServiceImpl(AdminSources sources, Executor callExecutor) {
        this.sources = sources;
        this.calls = new UnaryCalls(callExecutor);
        this.streams = new AdminStreams(sources.maxStreams());
        this.statistics = sources.statistics()
                .map(snapshots -> new StatisticsBroadcast(snapshots, sources.statisticsStep(), streams))
                .orElse(null);
    }

    // ----------------------------------------------------------------------------------------------- reads

    @Override
    public void getServerInfo(GetServerInfoRequest request, StreamObserver<ServerInfo> observer) {
        calls.answer("GetServerInfo", observer, () -> {
            ServerFacts facts = sources.facts();
            return ServerInfo.newBuilder()
                    .setServedeckVersion(facts.servedeckVersion())
                    .setTensorflowVersion(facts.tensorflowVersion())
                    .setTensorflowJavaVersion(facts.tensorflowJavaVersion())
                    .setStartedAt(Timestamps.of(facts.startedAt()))
                    .setUptimeMillis(Duration.between(facts.startedAt(), Instant.now()).toMillis())
                    .addAllFlags(facts.flags())
                    .setHost(HostResourcesReader.read(processLoad))
                    .setInstanceId(facts.instanceId())
                    .setBatchingEnabled(sources.core().batchingEnabled())
                    .setAdminStreamsOpen(streams.openCount())
                    .setMaxAdminStreams(streams.maxStreams())
                    .build();
        });
    }

    @Override
    public void listModels(ListModelsRequest request, StreamObserver<ListModelsResponse> observer) {
        calls.answer("ListModels", observer, () -> {
            Map<String, SortedMap<Long, ServableState>> states = sources.states().get();
            ListModelsResponse.Builder response = ListModelsResponse.newBuilder();
            sources.core().config().getModelConfigList().getConfigList().stream()
                    .sorted(Comparator.comparing(ModelConfig::getName))
                    .forEach(model -> response.addModels(ModelMessages.model(model,
                            states.getOrDefault(model.getName(), Collections.emptySortedMap()))));
            return response.build();
        });
    }

    @Override
    public void getBatchingParameters(GetBatchingParametersRequest request,
            StreamObserver<BatchingParameters> observer) {
        calls.answer("GetBatchingParameters", observer, this::batchingParameters);
    }

    @Override
    public void getModelConfig(GetModelConfigRequest request, StreamObserver<ModelConfigText> observer) {
        calls.answer("GetModelConfig", observer, this::configText);
    }

    // ----------------------------------------------------------------------------------------------- changes

    @Override
    public void addModel(AddModelRequest request, StreamObserver<ModelResponse> observer) {
        calls.answer("AddModel", observer, () -> {
            LOG.info("Admin API: add model {} from {}", request.getName(), request.getBasePath());
            sources.models().addModel(request.getName(), request.getBasePath(),
                    ModelMessages.configPolicy(request.getPolicy()));
            return modelResponse(request.getName());
        });
    }

    @Override
    public void removeModel(RemoveModelRequest request, StreamObserver<RemoveModelResponse> observer) {
        calls.answer("RemoveModel", observer, () -> {
            LOG.info("Admin API: remove model {}", request.getName());
            sources.models().removeModel(request.getName());
            RemoveModelResponse.Builder response = RemoveModelResponse.newBuilder();
            sources.states().get().getOrDefault(request.getName(), Collections.emptySortedMap())
                    .values().forEach(state -> response.addVersions(ModelMessages.version(state, Map.of())));
            return response.build();
        });
    }

    @Override
    public void setVersionPolicy(SetVersionPolicyRequest request, StreamObserver<ModelResponse> observer) {
        calls.answer("SetVersionPolicy", observer, () -> {
            if (request.getPolicy().getPolicyCase() == VersionPolicy.PolicyCase.POLICY_NOT_SET) {
                throw ServingException.invalidArgument("A version policy is required (latest, all or specific)");
            }
            LOG.info("Admin API: set the version policy of {} to {}", request.getModel(),
                    request.getPolicy().getPolicyCase());
            sources.models().setVersionPolicy(request.getModel(), ModelMessages.configPolicy(request.getPolicy()));
            return modelResponse(request.getModel());
        });
    }

    @Override
    public void loadVersion(LoadVersionRequest request, StreamObserver<ModelResponse> observer) {
        calls.answer("LoadVersion", observer, () -> {
            LOG.info("Admin API: load version {} of {}", request.getVersion(), request.getModel());
            sources.models().loadVersion(request.getModel(), request.getVersion());
            return modelResponse(request.getModel());
        });
    }

    @Override
    public void unloadVersion(UnloadVersionRequest request, StreamObserver<ModelResponse> observer) {
        calls.answer("UnloadVersion", observer, () -> {
            LOG.info("Admin API: unload version {} of {}", request.getVersion(), request.getModel());
            sources.models().unloadVersion(request.getModel(), request.getVersion());
            return modelResponse(request.getModel());
        });
    }

    @Override
    public void setLabel(SetLabelRequest request, StreamObserver<ModelResponse> observer) {
        calls.answer("SetLabel", observer, () -> {
            LOG.info("Admin API: label {} of {} -> version {}", request.getLabel(), request.getModel(),
                    request.getVersion());
            sources.models().setLabel(request.getModel(), request.getLabel(), request.getVersion());
            return modelResponse(request.getModel());
        });
    }

    @Override
    public void removeLabel(RemoveLabelRequest request, StreamObserver<ModelResponse> observer) {
        calls.answer("RemoveLabel", observer, () -> {
            LOG.info("Admin API: remove label {} of {}", request.getLabel(), request.getModel());
            sources.models().removeLabel(request.getModel(), request.getLabel());
            return modelResponse(request.getModel());
        });
    }

    @Override
    public void applyBatchingParameters(ApplyBatchingParametersRequest request,
            StreamObserver<BatchingParameters> observer) {
        calls.answer("ApplyBatchingParameters", observer, () -> {
            LOG.info("Admin API: apply batching parameters");
            sources.core().updateBatchingParameters(request.getParametersText());
            return batchingParameters();
        });
    }

    @Override
    public void replaceModelConfig(ReplaceModelConfigRequest request, StreamObserver<ModelConfigText> observer) {
        calls.answer("ReplaceModelConfig", observer, () -> {
            ModelServerConfig config = ModelServerConfigFile.parse(request.getConfigText(), "the new model config");
            if (config.getConfigCase() != ModelServerConfig.ConfigCase.MODEL_CONFIG_LIST) {
                throw ServingException.invalidArgument("The model config needs a model_config_list");
            }
            LOG.info("Admin API: replace the model config ({} model(s))",
                    config.getModelConfigList().getConfigCount());
            // As the embedded console opens a file: its models served even when one of its labels cannot be yet.
            sources.models().replaceConfig(config);
            return configText();
        });
    }

    // ----------------------------------------------------------------------------------------------- streams

    @Override
    public void streamStatistics(StreamStatisticsRequest request, StreamObserver<StatisticsUpdate> observer) {
        ServerCallStreamObserver<StatisticsUpdate> call = (ServerCallStreamObserver<StatisticsUpdate>) observer;
        if (statistics == null) {
            call.onError(Status.FAILED_PRECONDITION.withDescription(
                    "Live statistics are off on this server (metrics are disabled)").asRuntimeException());
            return;
        }
        StatisticsStream stream = new StatisticsStream(call, streams, Set.copyOf(request.getModelsList()));
        if (!open(call, stream)) {
            return;
        }
        stream.attach();
        streams.execute(() -> statistics.add(stream));
    }

    @Override
    public void streamEvents(StreamEventsRequest request, StreamObserver<EventUpdate> observer) {
        ServerCallStreamObserver<EventUpdate> call = (ServerCallStreamObserver<EventUpdate>) observer;
        String instanceId = sources.facts().instanceId();
        QueuedStream<ServerEvent, EventUpdate> stream = new QueuedStream<>(call, streams, STREAM_BUFFER,
                event -> StreamMessages.event(event, instanceId), StreamMessages::eventsDropped,
                () -> StreamMessages.eventsHeartbeat(sources.events().lastSequence()), AdminStreams.HEARTBEAT);
        if (!open(call, stream)) {
            return;
        }
        stream.attach();
        // A sequence from another server instance (before a restart) means nothing here: start with what is held.
        long after = instanceId.equals(request.getInstanceId()) ? request.getAfterSequence() : 0;
        stream.holdUntilEnd(sources.events().subscribe(after, stream::lost, stream::offer));
    }

    @Override
    public void tailRequestLog(TailRequestLogRequest request, StreamObserver<RequestLogUpdate> observer) {
        ServerCallStreamObserver<RequestLogUpdate> call = (ServerCallStreamObserver<RequestLogUpdate>) observer;
        if (sources.requestLog().isEmpty()) {
            call.onError(Status.FAILED_PRECONDITION.withDescription(
                    "The request log is off on this server (metrics are disabled)").asRuntimeException());
            return;
        }
        QueuedStream<RequestLogEntry, RequestLogUpdate> stream = new QueuedStream<>(call, streams, STREAM_BUFFER,
                StreamMessages::logEntry, StreamMessages::logDropped, StreamMessages::logHeartbeat,
                AdminStreams.HEARTBEAT);
        if (!open(call, stream)) {
            return;
        }
        stream.attach();
        String model = request.getModel();
        int recent = Math.max(0, Math.min(MAX_RECENT_LOG_ENTRIES, request.getRecent()));
        RequestLog log = sources.requestLog().get();
        log.recent(recent).stream().filter(entry -> model.isEmpty() || entry.model().equals(model))
                .forEach(stream::offer);
        stream.holdUntilEnd(log.subscribe(entry -> {
            if (model.isEmpty() || entry.model().equals(model)) {
                stream.offer(entry);
            }
        }));
    }

    /** Counts the stream in, or refuses it when the cap is reached. */
    private boolean open(ServerCallStreamObserver<?> call, AdminStreams.OpenStream stream) {
        if (streams.tryOpen(stream)) {
            return true;
        }
        LOG.warn("Admin stream refused: {} streams are open already", streams.maxStreams());
        call.onError(Status.RESOURCE_EXHAUSTED.withDescription("Too many admin streams open (limit "
                + streams.maxStreams() + "); close one or retry later").asRuntimeException());
        return false;
    }

    // ----------------------------------------------------------------------------------------------- helpers

    private ModelResponse modelResponse(String name) {
        ModelConfig config = sources.core().config().getModelConfigList().getConfigList().stream()
                .filter(model -> model.getName().equals(name)).findFirst()
                .orElseThrow(() -> ServingException.notFound("Could not find model " + name + " in the model config"));
        return ModelResponse.newBuilder().setModel(ModelMessages.model(config, sources.states().get()
                .getOrDefault(name, Collections.emptySortedMap()))).build();
    }

    private BatchingParameters batchingParameters() {
        ServerCore core = sources.core();
        return core.batchingEnabled()
                ? BatchingParameters.newBuilder().setEnabled(true).setParametersText(core.batchingParametersText())
                        .build()
                : BatchingParameters.newBuilder().setEnabled(false).build();
    }

    private ModelConfigText configText() {
        return ModelConfigText.newBuilder().setConfigText(ModelServerConfigFile.format(sources.core().config()))
                .build();
    }

    /** Ends every stream (the server is shutting down) so that the graceful shutdown need not wait for them. */
    public void endStreams() {
        streams.endAll();
    }

    @Override
    public void close() {
        streams.close();
    }
}
