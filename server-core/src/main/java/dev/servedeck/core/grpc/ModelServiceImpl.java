package dev.servedeck.core.grpc;

import dev.servedeck.core.ModelSpec;
import dev.servedeck.core.ServerCore;
import dev.servedeck.core.servable.ManagerState;
import dev.servedeck.core.servable.ServableState;
import dev.servedeck.core.status.Code;
import dev.servedeck.core.status.ServingException;
import dev.servedeck.core.status.Status;
import dev.servedeck.proto.apis.GetModelStatusRequest;
import dev.servedeck.proto.apis.GetModelStatusResponse;
import dev.servedeck.proto.apis.ModelServiceGrpc;
import dev.servedeck.proto.apis.ModelVersionStatus;
import dev.servedeck.proto.apis.ReloadConfigRequest;
import dev.servedeck.proto.apis.ReloadConfigResponse;
import dev.servedeck.proto.apis.StatusProto;
import dev.servedeck.proto.config.ModelConfig;
import dev.servedeck.proto.config.ModelServerConfig;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TF Serving's {@code tensorflow.serving.ModelService}: model status, and replacing the model config at run
 * time. It needs the whole {@link ServerCore} (not only {@code ServingApi}) because reloading is an
 * administrative act: it goes through the core's {@code ModelAdministration}, and reads states through its
 * {@code ModelStates}.
 */
public final class ModelServiceImpl extends ModelServiceGrpc.ModelServiceImplBase {

    private static final Logger LOG = LoggerFactory.getLogger(ModelServiceImpl.class);

    private final ServerCore core;
    private final UnaryCalls calls;

    /** Calls run on {@code callExecutor}; the server should invoke these methods directly on its transport. */
    public ModelServiceImpl(ServerCore core, Executor callExecutor) {
        this.core = core;
        this.calls = new UnaryCalls(callExecutor);
    }

    @Override
    public void getModelStatus(GetModelStatusRequest request, StreamObserver<GetModelStatusResponse> observer) {
        calls.answer("GetModelStatus", observer, () -> {
            ModelSpec spec = ModelSpecs.fromProto(request.hasModelSpec(), request.getModelSpec());
            GetModelStatusResponse.Builder response = GetModelStatusResponse.newBuilder();
            for (ServableState state : core.status(spec)) {
                response.addModelVersionStatus(ModelVersionStatus.newBuilder()
                        .setVersion(state.id().version())
                        .setState(stateOf(state.state()))
                        .setStatus(statusProto(state.health())));
            }
            return response.build();
        });
    }

    /**
     * As TF Serving: only a model_config_list is accepted; models left out are unloaded; the call waits for the
     * models to load. On failure the RPC fails with the error's code and message (TF Serving fills the
     * response's status too, but gRPC sends no response message with a failed call); on success the response
     * carries status OK.
     */
    @Override
    public void handleReloadConfigRequest(ReloadConfigRequest request, StreamObserver<ReloadConfigResponse> observer) {
        calls.answer("HandleReloadConfigRequest", observer, () -> {
            ModelServerConfig config = request.getConfig();
            if (config.getConfigCase() != ModelServerConfig.ConfigCase.MODEL_CONFIG_LIST) {
                throw ServingException.invalidArgument("ServerModelConfig type not supported by "
                        + "HandleReloadConfigRequest. Only ModelConfigList is currently supported");
            }
            LOG.info("ReloadConfig over gRPC with {} model(s)", config.getModelConfigList().getConfigCount());
            try {
                core.administration().replaceConfig(config);
                requireModelsAvailable(config);
            } catch (ServingException e) {
                LOG.error("ReloadConfig failed: {}", e.getMessage());
                throw e;
            }
            return ReloadConfigResponse.newBuilder().setStatus(statusProto(Status.OK)).build();
        });
    }

    /** TF Serving's ReloadConfig fails, with these words, when a model of the new config did not load. */
    private void requireModelsAvailable(ModelServerConfig config) {
        List<String> unavailable = new ArrayList<>();
        for (ModelConfig model : config.getModelConfigList().getConfigList()) {
            if (!core.states().hasAvailableVersion(model.getName())) {
                List<ServableState> states = List.copyOf(core.states().versions(model.getName()).values());
                unavailable.add(states.isEmpty() ? "{name: " + model.getName() + "}"
                        : states.get(states.size() - 1).id().toString());
            }
        }
        if (!unavailable.isEmpty()) {
            StringBuilder message = new StringBuilder("Some models did not become available: {");
            unavailable.forEach(id -> message.append(id).append(", "));
            throw new ServingException(Code.UNKNOWN, message.append('}').toString());
        }
    }

    static ModelVersionStatus.State stateOf(ManagerState state) {
        return switch (state) {
            case START -> ModelVersionStatus.State.START;
            case LOADING -> ModelVersionStatus.State.LOADING;
            case AVAILABLE -> ModelVersionStatus.State.AVAILABLE;
            case UNLOADING -> ModelVersionStatus.State.UNLOADING;
            case END -> ModelVersionStatus.State.END;
        };
    }

    static StatusProto statusProto(Status status) {
        return StatusProto.newBuilder()
                .setErrorCodeValue(status.code().number())
                .setErrorMessage(status.message())
                .build();
    }
}
