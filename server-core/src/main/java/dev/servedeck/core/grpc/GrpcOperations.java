package dev.servedeck.core.grpc;

import dev.servedeck.core.security.ApiOperation;
import dev.servedeck.proto.apis.ModelServiceGrpc;
import dev.servedeck.proto.apis.PredictionServiceGrpc;
import dev.servedeck.proto.inference.GRPCInferenceServiceGrpc;
import io.grpc.MethodDescriptor;
import io.grpc.health.v1.HealthGrpc;
import dev.servedeck.proto.admin.v1.AdminServiceGrpc;
import java.util.HashMap;
import java.util.Map;

/** Which {@link ApiOperation} each gRPC method is: the gRPC side of the one table of who may do what. */
final class GrpcOperations {

    private static final Map<String, ApiOperation> BY_METHOD = withAdminMethods(Map.ofEntries(
            // The Open Inference Protocol's: probes are open as gRPC health is; the rest as their TF Serving twins.
            Map.entry(GRPCInferenceServiceGrpc.getServerLiveMethod().getFullMethodName(), ApiOperation.HEALTH),
            Map.entry(GRPCInferenceServiceGrpc.getServerReadyMethod().getFullMethodName(), ApiOperation.HEALTH),
            Map.entry(GRPCInferenceServiceGrpc.getModelReadyMethod().getFullMethodName(), ApiOperation.HEALTH),
            Map.entry(GRPCInferenceServiceGrpc.getServerMetadataMethod().getFullMethodName(),
                    ApiOperation.SERVER_METADATA),
            Map.entry(GRPCInferenceServiceGrpc.getModelMetadataMethod().getFullMethodName(),
                    ApiOperation.GET_MODEL_METADATA),
            Map.entry(GRPCInferenceServiceGrpc.getModelInferMethod().getFullMethodName(), ApiOperation.PREDICT),
            Map.entry(GRPCInferenceServiceGrpc.getRepositoryIndexMethod().getFullMethodName(),
                    ApiOperation.REPOSITORY_INDEX),
            Map.entry(GRPCInferenceServiceGrpc.getRepositoryModelLoadMethod().getFullMethodName(),
                    ApiOperation.REPOSITORY_MODEL_LOAD),
            Map.entry(GRPCInferenceServiceGrpc.getRepositoryModelUnloadMethod().getFullMethodName(),
                    ApiOperation.REPOSITORY_MODEL_UNLOAD),
            Map.entry(GRPCInferenceServiceGrpc.getModelStatisticsMethod().getFullMethodName(),
                    ApiOperation.MODEL_STATISTICS),
            Map.entry(PredictionServiceGrpc.getPredictMethod().getFullMethodName(), ApiOperation.PREDICT),
            Map.entry(PredictionServiceGrpc.getClassifyMethod().getFullMethodName(), ApiOperation.CLASSIFY),
            Map.entry(PredictionServiceGrpc.getRegressMethod().getFullMethodName(), ApiOperation.REGRESS),
            Map.entry(PredictionServiceGrpc.getMultiInferenceMethod().getFullMethodName(),
                    ApiOperation.MULTI_INFERENCE),
            Map.entry(PredictionServiceGrpc.getGetModelMetadataMethod().getFullMethodName(),
                    ApiOperation.GET_MODEL_METADATA),
            Map.entry(ModelServiceGrpc.getGetModelStatusMethod().getFullMethodName(),
                    ApiOperation.GET_MODEL_STATUS),
            Map.entry(ModelServiceGrpc.getHandleReloadConfigRequestMethod().getFullMethodName(),
                    ApiOperation.HANDLE_RELOAD_CONFIG)));

    /** Whole services that are open: probes and tools must reach them without a token. */
    private static final Map<String, ApiOperation> BY_SERVICE = Map.of(
            HealthGrpc.SERVICE_NAME, ApiOperation.HEALTH,
            "grpc.reflection.v1.ServerReflection", ApiOperation.REFLECTION,
            "grpc.reflection.v1alpha.ServerReflection", ApiOperation.REFLECTION);

    private GrpcOperations() {
    }

    /** TF Serving's methods and the admin API's ({@code servedeck.admin.v1.AdminService}). */
    private static Map<String, ApiOperation> withAdminMethods(Map<String, ApiOperation> tfServing) {
        Map<String, ApiOperation> all = new HashMap<>(tfServing);
        all.put(AdminServiceGrpc.getGetServerInfoMethod().getFullMethodName(), ApiOperation.ADMIN_GET_SERVER_INFO);
        all.put(AdminServiceGrpc.getListModelsMethod().getFullMethodName(), ApiOperation.ADMIN_LIST_MODELS);
        all.put(AdminServiceGrpc.getGetBatchingParametersMethod().getFullMethodName(),
                ApiOperation.ADMIN_GET_BATCHING_PARAMETERS);
        all.put(AdminServiceGrpc.getGetModelConfigMethod().getFullMethodName(), ApiOperation.ADMIN_GET_MODEL_CONFIG);
        all.put(AdminServiceGrpc.getStreamStatisticsMethod().getFullMethodName(),
                ApiOperation.ADMIN_STREAM_STATISTICS);
        all.put(AdminServiceGrpc.getStreamEventsMethod().getFullMethodName(), ApiOperation.ADMIN_STREAM_EVENTS);
        all.put(AdminServiceGrpc.getTailRequestLogMethod().getFullMethodName(), ApiOperation.ADMIN_TAIL_REQUEST_LOG);
        all.put(AdminServiceGrpc.getAddModelMethod().getFullMethodName(), ApiOperation.ADMIN_ADD_MODEL);
        all.put(AdminServiceGrpc.getRemoveModelMethod().getFullMethodName(), ApiOperation.ADMIN_REMOVE_MODEL);
        all.put(AdminServiceGrpc.getSetVersionPolicyMethod().getFullMethodName(),
                ApiOperation.ADMIN_SET_VERSION_POLICY);
        all.put(AdminServiceGrpc.getLoadVersionMethod().getFullMethodName(), ApiOperation.ADMIN_LOAD_VERSION);
        all.put(AdminServiceGrpc.getUnloadVersionMethod().getFullMethodName(), ApiOperation.ADMIN_UNLOAD_VERSION);
        all.put(AdminServiceGrpc.getSetLabelMethod().getFullMethodName(), ApiOperation.ADMIN_SET_LABEL);
        all.put(AdminServiceGrpc.getRemoveLabelMethod().getFullMethodName(), ApiOperation.ADMIN_REMOVE_LABEL);
        all.put(AdminServiceGrpc.getApplyBatchingParametersMethod().getFullMethodName(),
                ApiOperation.ADMIN_APPLY_BATCHING_PARAMETERS);
        all.put(AdminServiceGrpc.getReplaceModelConfigMethod().getFullMethodName(),
                ApiOperation.ADMIN_REPLACE_MODEL_CONFIG);
        return Map.copyOf(all);
    }

    /**
     * The operation of a method; {@link ApiOperation#UNKNOWN} (any valid token) for a method of neither table,
     * which a test keeps from happening for every service the server registers.
     */
    static ApiOperation of(MethodDescriptor<?, ?> method) {
        ApiOperation operation = BY_METHOD.get(method.getFullMethodName());
        if (operation != null) {
            return operation;
        }
        return BY_SERVICE.getOrDefault(method.getServiceName(), ApiOperation.UNKNOWN);
    }
}
