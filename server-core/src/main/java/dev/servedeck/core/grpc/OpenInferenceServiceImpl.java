package dev.servedeck.core.grpc;

import dev.servedeck.core.BatchSizeStatistics;
import dev.servedeck.core.DurationStatistic;
import dev.servedeck.core.VersionStatistics;
import dev.servedeck.core.oip.InferDatatype;
import dev.servedeck.core.oip.InferInput;
import dev.servedeck.core.oip.InferModelMetadata;
import dev.servedeck.core.oip.InferOutput;
import dev.servedeck.core.oip.InferRequest;
import dev.servedeck.core.oip.InferResponse;
import dev.servedeck.core.oip.InputTensorBuilder;
import dev.servedeck.core.oip.OpenInference;
import dev.servedeck.core.oip.RepositoryEntry;
import dev.servedeck.core.oip.ServerMetadata;
import dev.servedeck.core.oip.TensorMetadata;
import dev.servedeck.core.status.ServingException;
import dev.servedeck.proto.inference.GRPCInferenceServiceGrpc;
import dev.servedeck.proto.inference.InferBatchStatistics;
import dev.servedeck.proto.inference.InferParameter;
import dev.servedeck.proto.inference.InferStatistics;
import dev.servedeck.proto.inference.InferTensorContents;
import dev.servedeck.proto.inference.ModelInferRequest;
import dev.servedeck.proto.inference.ModelInferResponse;
import dev.servedeck.proto.inference.ModelMetadataRequest;
import dev.servedeck.proto.inference.ModelMetadataResponse;
import dev.servedeck.proto.inference.ModelReadyRequest;
import dev.servedeck.proto.inference.ModelReadyResponse;
import dev.servedeck.proto.inference.ModelRepositoryParameter;
import dev.servedeck.proto.inference.ModelStatistics;
import dev.servedeck.proto.inference.ModelStatisticsRequest;
import dev.servedeck.proto.inference.ModelStatisticsResponse;
import dev.servedeck.proto.inference.RepositoryIndexRequest;
import dev.servedeck.proto.inference.RepositoryIndexResponse;
import dev.servedeck.proto.inference.RepositoryModelLoadRequest;
import dev.servedeck.proto.inference.RepositoryModelLoadResponse;
import dev.servedeck.proto.inference.RepositoryModelUnloadRequest;
import dev.servedeck.proto.inference.RepositoryModelUnloadResponse;
import dev.servedeck.proto.inference.ServerLiveRequest;
import dev.servedeck.proto.inference.ServerLiveResponse;
import dev.servedeck.proto.inference.ServerMetadataRequest;
import dev.servedeck.proto.inference.ServerMetadataResponse;
import dev.servedeck.proto.inference.ServerReadyRequest;
import dev.servedeck.proto.inference.ServerReadyResponse;
import dev.servedeck.proto.inference.StatisticDuration;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * The Open Inference Protocol's {@code inference.GRPCInferenceService} over {@link OpenInference}, the mapping the
 * REST dialect uses too. Inputs come as typed {@code contents} or as {@code raw_input_contents}; outputs are
 * answered in the same form (as KServe's servers answer), raw when asked for with the binary parameters or when an
 * output has no typed field.
 */
final class OpenInferenceServiceImpl extends GRPCInferenceServiceGrpc.GRPCInferenceServiceImplBase {

    /** The binary tensor extension's request parameter: every output in binary (here: raw) form. */
    private static final String BINARY_DATA_OUTPUT = "binary_data_output";
    /** The binary tensor extension's output parameter: this output in binary (here: raw) form. */
    private static final String BINARY_DATA = "binary_data";

    private final OpenInference protocol;
    private final UnaryCalls calls;

    /** Calls run on {@code callExecutor}; the server should invoke these methods directly on its transport. */
    OpenInferenceServiceImpl(OpenInference protocol, Executor callExecutor) {
        this.protocol = protocol;
        this.calls = new UnaryCalls(callExecutor);
    }

    @Override
    public void serverLive(ServerLiveRequest request, StreamObserver<ServerLiveResponse> observer) {
        calls.answer("ServerLive", observer, () -> ServerLiveResponse.newBuilder().setLive(true).build());
    }

    @Override
    public void serverReady(ServerReadyRequest request, StreamObserver<ServerReadyResponse> observer) {
        calls.answer("ServerReady", observer,
                () -> ServerReadyResponse.newBuilder().setReady(protocol.ready().ready()).build());
    }

    @Override
    public void modelReady(ModelReadyRequest request, StreamObserver<ModelReadyResponse> observer) {
        calls.answer("ModelReady", observer, () -> ModelReadyResponse.newBuilder()
                .setReady(protocol.modelReady(request.getName(), request.getVersion()))
                .build());
    }

    @Override
    public void serverMetadata(ServerMetadataRequest request, StreamObserver<ServerMetadataResponse> observer) {
        calls.answer("ServerMetadata", observer, () -> {
            ServerMetadata metadata = protocol.serverMetadata();
            return ServerMetadataResponse.newBuilder()
                    .setName(metadata.name())
                    .setVersion(metadata.version())
                    .addAllExtensions(metadata.extensions())
                    .build();
        });
    }

    @Override
    public void modelMetadata(ModelMetadataRequest request, StreamObserver<ModelMetadataResponse> observer) {
        calls.answer("ModelMetadata", observer, () -> {
            InferModelMetadata metadata = protocol.modelMetadata(request.getName(), request.getVersion());
            return ModelMetadataResponse.newBuilder()
                    .setName(metadata.name())
                    .addAllVersions(metadata.versions())
                    .setPlatform(metadata.platform())
                    .addAllInputs(tensors(metadata.inputs()))
                    .addAllOutputs(tensors(metadata.outputs()))
                    .build();
        });
    }

    @Override
    public void modelInfer(ModelInferRequest request, StreamObserver<ModelInferResponse> observer) {
        // As Predict: while it waits for a call thread the request is company a partial batch may wait for.
        calls.answerAsync("ModelInfer", observer, protocol.expect(request.getModelName())::close,
                () -> protocol.inferAsync(inferRequest(request), UnaryCalls.timeLeft())
                        .thenApply(response -> inferResponse(response, answersRaw(request))));
    }

    @Override
    public void repositoryIndex(RepositoryIndexRequest request, StreamObserver<RepositoryIndexResponse> observer) {
        calls.answer("RepositoryIndex", observer, () -> {
            RepositoryIndexResponse.Builder index = RepositoryIndexResponse.newBuilder();
            for (RepositoryEntry entry : protocol.repository().index(request.getReady())) {
                index.addModelsBuilder()
                        .setName(entry.name())
                        .setVersion(entry.version())
                        .setState(entry.state())
                        .setReason(entry.reason());
            }
            return index.build();
        });
    }

    @Override
    public void repositoryModelLoad(RepositoryModelLoadRequest request,
            StreamObserver<RepositoryModelLoadResponse> observer) {
        calls.answer("RepositoryModelLoad", observer, () -> {
            protocol.repository().load(request.getModelName(), values(request.getParametersMap()));
            return RepositoryModelLoadResponse.getDefaultInstance();
        });
    }

    @Override
    public void repositoryModelUnload(RepositoryModelUnloadRequest request,
            StreamObserver<RepositoryModelUnloadResponse> observer) {
        calls.answer("RepositoryModelUnload", observer, () -> {
            protocol.repository().unload(request.getModelName(), values(request.getParametersMap()));
            return RepositoryModelUnloadResponse.getDefaultInstance();
        });
    }

    @Override
    public void modelStatistics(ModelStatisticsRequest request, StreamObserver<ModelStatisticsResponse> observer) {
        calls.answer("ModelStatistics", observer, () -> {
            ModelStatisticsResponse.Builder answer = ModelStatisticsResponse.newBuilder();
            for (VersionStatistics version : protocol.statistics().read(request.getName(), request.getVersion())) {
                answer.addModelStats(modelStatistics(version));
            }
            return answer.build();
        });
    }

    private static ModelStatistics modelStatistics(VersionStatistics version) {
        ModelStatistics.Builder statistics = ModelStatistics.newBuilder()
                .setName(version.id().name())
                .setVersion(Long.toString(version.id().version()))
                .setLastInference(version.lastInferenceMillis())
                .setInferenceCount(version.inferenceCount())
                .setExecutionCount(version.executionCount())
                .setInferenceStats(InferStatistics.newBuilder()
                        .setSuccess(duration(version.success()))
                        .setFail(duration(version.fail()))
                        .setQueue(duration(version.queue()))
                        .setComputeInput(duration(version.computeInput()))
                        .setComputeInfer(duration(version.computeInfer()))
                        .setComputeOutput(duration(version.computeOutput()))
                        .setCacheHit(duration(DurationStatistic.NONE))
                        .setCacheMiss(duration(DurationStatistic.NONE)));
        for (BatchSizeStatistics batch : version.batches()) {
            statistics.addBatchStats(InferBatchStatistics.newBuilder()
                    .setBatchSize(batch.batchSize())
                    .setComputeInput(duration(batch.computeInput()))
                    .setComputeInfer(duration(batch.computeInfer()))
                    .setComputeOutput(duration(batch.computeOutput())));
        }
        return statistics.build();
    }

    private static StatisticDuration duration(DurationStatistic duration) {
        return StatisticDuration.newBuilder().setCount(duration.count()).setNs(duration.nanos()).build();
    }

    /** The parameters as the repository reads them: String, Boolean, Long or ByteString values. */
    private static Map<String, Object> values(Map<String, ModelRepositoryParameter> parameters) {
        Map<String, Object> values = new LinkedHashMap<>();
        parameters.forEach((name, parameter) -> values.put(name, switch (parameter.getParameterChoiceCase()) {
            case BOOL_PARAM -> parameter.getBoolParam();
            case INT64_PARAM -> parameter.getInt64Param();
            case STRING_PARAM -> parameter.getStringParam();
            case BYTES_PARAM -> parameter.getBytesParam();
            case PARAMETERCHOICE_NOT_SET -> "";
        }));
        return values;
    }

    private static InferRequest inferRequest(ModelInferRequest request) {
        int raw = request.getRawInputContentsCount();
        if (raw > 0 && raw != request.getInputsCount()) {
            throw ServingException.invalidArgument("raw_input_contents has " + raw + " entries for "
                    + request.getInputsCount() + " inputs: with raw contents, every input needs one, in order");
        }
        List<InferInput> inputs = new ArrayList<>(request.getInputsCount());
        for (int i = 0; i < request.getInputsCount(); i++) {
            ModelInferRequest.InferInputTensor input = request.getInputs(i);
            InferDatatype datatype = InferDatatype.parse(input.getDatatype(), input.getName());
            long[] shape = input.getShapeList().stream().mapToLong(Long::longValue).toArray();
            if (raw > 0) {
                if (input.hasContents()) {
                    throw ServingException.invalidArgument("Input '" + input.getName() + "' has contents, but the "
                            + "request uses raw_input_contents: one or the other");
                }
                inputs.add(InputTensorBuilder.fromRaw(input.getName(), datatype, shape,
                        request.getRawInputContents(i)));
            } else {
                inputs.add(typed(input.getName(), datatype, shape, input.getContents()));
            }
        }
        List<String> outputs = request.getOutputsList().stream()
                .map(ModelInferRequest.InferRequestedOutputTensor::getName)
                .toList();
        InferParameter signature = request.getParametersMap().get(InferRequest.SIGNATURE_PARAMETER);
        if (signature != null && signature.getParameterChoiceCase() != InferParameter.ParameterChoiceCase.STRING_PARAM) {
            throw ServingException.invalidArgument("The '" + InferRequest.SIGNATURE_PARAMETER
                    + "' parameter must be a string_param");
        }
        return new InferRequest(request.getModelName(), request.getModelVersion(), request.getId(),
                signature == null ? "" : signature.getStringParam(), inputs, outputs);
    }

    /** Typed contents: the field the protocol gives the datatype, each value range-checked by the builder. */
    private static InferInput typed(String name, InferDatatype datatype, long[] shape, InferTensorContents contents) {
        InputTensorBuilder builder = new InputTensorBuilder(name, datatype, shape);
        switch (datatype) {
            case BOOL -> contents.getBoolContentsList().forEach(builder::addBool);
            case INT8, INT16, INT32 -> contents.getIntContentsList().forEach(value -> builder.addInteger(value));
            case INT64 -> contents.getInt64ContentsList().forEach(builder::addInteger);
            case UINT8, UINT16, UINT32 -> contents.getUintContentsList()
                    .forEach(value -> builder.addInteger(Integer.toUnsignedLong(value)));
            case UINT64 -> contents.getUint64ContentsList().forEach(builder::addUnsigned64);
            case FP32 -> contents.getFp32ContentsList().forEach(value -> builder.addFloating(value));
            case FP64 -> contents.getFp64ContentsList().forEach(builder::addFloating);
            case BYTES -> contents.getBytesContentsList().forEach(builder::addBytes);
            case FP16, BF16 -> throw ServingException.invalidArgument("Input '" + name + "' is " + datatype
                    + ", which the protocol sends only in raw_input_contents");
        }
        return builder.build();
    }

    /**
     * Whether the answer goes in {@code raw_output_contents}, as KServe's servers decide: raw inputs get raw outputs,
     * typed inputs typed ones, unless the request asks for binary outputs ({@code binary_data_output} on the request,
     * {@code binary_data} on a requested output: the REST binary extension's parameters, as bool_param). The
     * protocol lets an answer use only one of the two forms, so one output that can only travel raw (FP16, BF16)
     * makes them all raw.
     */
    private static boolean answersRaw(ModelInferRequest request) {
        if (request.getRawInputContentsCount() > 0 || isTrue(request.getParametersMap().get(BINARY_DATA_OUTPUT))) {
            return true;
        }
        return request.getOutputsList().stream()
                .anyMatch(output -> isTrue(output.getParametersMap().get(BINARY_DATA)));
    }

    private static boolean isTrue(InferParameter parameter) {
        return parameter != null && parameter.getParameterChoiceCase() == InferParameter.ParameterChoiceCase.BOOL_PARAM
                && parameter.getBoolParam();
    }

    private static ModelInferResponse inferResponse(InferResponse response, boolean askedRaw) {
        boolean raw = askedRaw || !response.outputs().stream().allMatch(TypedOutputContents::typed);
        ModelInferResponse.Builder answer = ModelInferResponse.newBuilder()
                .setModelName(response.model())
                .setModelVersion(response.version())
                .setId(response.id());
        for (InferOutput output : response.outputs()) {
            ModelInferResponse.InferOutputTensor.Builder tensor = answer.addOutputsBuilder()
                    .setName(output.name())
                    .setDatatype(output.datatype().name());
            for (long dim : output.shape()) {
                tensor.addShape(dim);
            }
            if (raw) {
                answer.addRawOutputContents(output.raw());
            } else {
                tensor.setContents(TypedOutputContents.of(output));
            }
        }
        return answer.build();
    }

    private static List<ModelMetadataResponse.TensorMetadata> tensors(List<TensorMetadata> tensors) {
        List<ModelMetadataResponse.TensorMetadata> described = new ArrayList<>(tensors.size());
        for (TensorMetadata tensor : tensors) {
            ModelMetadataResponse.TensorMetadata.Builder builder = ModelMetadataResponse.TensorMetadata.newBuilder()
                    .setName(tensor.name())
                    .setDatatype(tensor.datatype());
            for (long dim : tensor.shape()) {
                builder.addShape(dim);
            }
            described.add(builder.build());
        }
        return described;
    }
}
