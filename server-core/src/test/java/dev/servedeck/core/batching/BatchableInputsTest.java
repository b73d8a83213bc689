package dev.servedeck.core.batching;

import static dev.servedeck.core.batching.Tensors.dims;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;
import org.tensorflow.proto.TensorShapeProto;

class BatchableInputsTest {

    private static final SignatureDef MLP = SignatureDef.newBuilder()
            .putInputs("images", Signatures.info("images:0", DataType.DT_FLOAT, -1, 2))
            .putOutputs("probabilities", Signatures.info("probabilities:0", DataType.DT_FLOAT, -1, 3))
            .putOutputs("classes", Signatures.info("classes:0", DataType.DT_INT64, -1))
            .build();

    @Test
    void requestWithTheDeclaredBatchLayoutIsBatchable() {
        var batchable = BatchableInputs.inspect(MLP, Map.of("images", Tensors.floats(dims(2, 2), 1, 2, 3, 4)), Set.of());

        assertThat(batchable).isPresent();
        assertThat(batchable.get().rows()).isEqualTo(2);
        assertThat(batchable.get().outputAliases()).containsExactly("classes", "probabilities");
        assertThat(batchable.get().layouts().get("images")).isEqualTo(
                new InputLayout(DataType.DT_FLOAT, 2, java.util.List.of(2L)));
    }

    @Test
    void anythingElsePassesThrough() {
        // Squeeze-rule shape, wrong inner size, wrong dtype, extra input, zero rows, unknown output.
        assertThat(BatchableInputs.inspect(MLP, Map.of("images", Tensors.floats(dims(2), 1, 2)), Set.of())).isEmpty();
        assertThat(BatchableInputs.inspect(MLP, Map.of("images", Tensors.floats(dims(1, 3), 1, 2, 3)), Set.of()))
                .isEmpty();
        assertThat(BatchableInputs.inspect(MLP, Map.of("images", Tensors.longs(dims(1, 2), 1, 2)), Set.of())).isEmpty();
        assertThat(BatchableInputs.inspect(MLP, Map.of("images", Tensors.floats(dims(1, 2), 1, 2),
                "other", Tensors.floats(dims(1, 2), 1, 2)), Set.of())).isEmpty();
        assertThat(BatchableInputs.inspect(MLP, Map.of("images", Tensors.floats(dims(0, 2))), Set.of())).isEmpty();
        assertThat(BatchableInputs.inspect(MLP, Map.of("images", Tensors.floats(dims(1, 2), 1, 2)), Set.of("nope")))
                .isEmpty();
    }

    @Test
    void signaturesWithoutABatchDimensionPassThrough() {
        // The counter model: a scalar input and a scalar output.
        SignatureDef counter = SignatureDef.newBuilder()
                .putInputs("delta", Signatures.info("delta:0", DataType.DT_FLOAT))
                .putOutputs("output", Signatures.info("output:0", DataType.DT_FLOAT))
                .build();
        assertThat(BatchableInputs.inspect(counter, Map.of("delta", Tensors.typedFloats(dims(), 3)), Set.of())).isEmpty();
        assertThat(BatchableInputs.inspect(counter, Map.of(), Set.of())).isEmpty();

        SignatureDef unknownRankOutput = MLP.toBuilder().putOutputs("probabilities", TensorInfo.newBuilder()
                .setName("p:0").setDtype(DataType.DT_FLOAT)
                .setTensorShape(TensorShapeProto.newBuilder().setUnknownRank(true)).build()).build();
        assertThat(BatchableInputs.inspect(unknownRankOutput,
                Map.of("images", Tensors.floats(dims(1, 2), 1, 2)), Set.of())).isEmpty();
        assertThat(BatchableInputs.inspect(unknownRankOutput,
                Map.of("images", Tensors.floats(dims(1, 2), 1, 2)), Set.of("classes"))).isPresent();
    }
}
