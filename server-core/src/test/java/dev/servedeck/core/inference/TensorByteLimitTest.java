package dev.servedeck.core.inference;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.servedeck.core.servable.ExampleBatch;
import dev.servedeck.core.status.Code;
import dev.servedeck.core.status.ServingException;
import dev.servedeck.core.wire.Shapes;
import dev.servedeck.core.wire.TensorBytes;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.tensorflow.proto.BytesList;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.Example;
import org.tensorflow.proto.Feature;
import org.tensorflow.proto.Features;
import org.tensorflow.proto.FloatList;
import org.tensorflow.proto.TensorProto;

class TensorByteLimitTest {

    private final TensorByteLimit limit = new TensorByteLimit(1000);

    private static TensorProto floats(long... dims) {
        return TensorProto.newBuilder().setDtype(DataType.DT_FLOAT).setTensorShape(Shapes.of(dims)).addFloatVal(1f)
                .build();
    }

    @Test
    void aTensorUpToTheBoundPassesAndOneByteMoreIsRefusedNamingItAndItsSize() {
        assertThatCode(() -> limit.checkInputs(Map.of("x", floats(250)))).doesNotThrowAnyException();
        assertThatThrownBy(() -> limit.checkInputs(Map.of("x", floats(251))))
                .isInstanceOfSatisfying(ServingException.class, e -> org.assertj.core.api.Assertions
                        .assertThat(e.code()).isEqualTo(Code.INVALID_ARGUMENT))
                .hasMessage("Input tensor 'x' (float [251]) declares 1004 bytes, more than the 1000 a tensor may take "
                        + "(--max_tensor_bytes)");
    }

    @Test
    void theIssuesBroadcastIsRefusedByTheDefaultBound() {
        assertThatThrownBy(() -> TensorByteLimit.DEFAULT.checkInputs(Map.of("x", floats(500_000_000))))
                .hasMessageContaining("'x' (float [500000000]) declares 2000000000 bytes");
    }

    @Test
    void tensorsUnderTheBoundEachAreRefusedWhenTogetherTheyAreOver() {
        assertThatThrownBy(() -> limit.checkInputs(Map.of("a", floats(200), "b", floats(60))))
                .hasMessage("Input tensors declare 1040 bytes together {a=800, b=240}, more than the 1000 a request "
                        + "may take (--max_tensor_bytes)");
    }

    @Test
    void shapesWithoutASizeAreLeftToValidation() {
        assertThatCode(() -> limit.checkInputs(Map.of("x", floats(-1, 5)))).doesNotThrowAnyException();
    }

    @Test
    void contextTimesExamplesCountsAsTheTensorItBecomes() {
        Example context = Example.newBuilder().setFeatures(Features.newBuilder().putFeature("blob",
                Feature.newBuilder().setBytesList(BytesList.newBuilder().addValue(ByteString.copyFrom(new byte[90])))
                        .build())).build();
        Example example = Example.newBuilder().setFeatures(Features.newBuilder().putFeature("x",
                Feature.newBuilder().setFloatList(FloatList.newBuilder().addValue(1f)).build())).build();
        long perExample = context.getSerializedSize() + example.getSerializedSize() + TensorBytes.STRING_ELEMENT_BYTES;
        int fits = (int) (1000 / perExample);
        assertThatCode(() -> limit.checkExamples(new ExampleBatch(Collections.nCopies(fits, example), Optional.of(context))))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> limit.checkExamples(
                new ExampleBatch(Collections.nCopies(fits + 1, example), Optional.of(context))))
                .hasMessageStartingWith("Input tensor 'inputs' of " + (fits + 1) + " serialized tf.Examples (each with the "
                        + context.getSerializedSize() + "-byte context in front) declares " + (fits + 1) * perExample
                        + " bytes");
        assertThatCode(() -> limit.checkExamples(ExampleBatch.of(List.of(example, example))))
                .doesNotThrowAnyException();
    }

    @Test
    void theBoundIsPositive() {
        assertThatIllegalArgumentException().isThrownBy(() -> new TensorByteLimit(0)).withMessageContaining("--max_tensor_bytes");
    }
}
