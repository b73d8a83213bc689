package dev.servedeck.core.tensorflow;

import static dev.servedeck.core.tensorflow.HalfPlusTwoServableTest.assertStatus;
import static dev.servedeck.core.tensorflow.TestTensors.floats;
import static dev.servedeck.core.tensorflow.TestTensors.shape;
import static org.assertj.core.api.Assertions.assertThat;

import dev.servedeck.core.status.Code;
import dev.servedeck.core.wire.Shapes;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;

/** The request rules on hand-made signatures (no TensorFlow runtime involved). */
class PredictRequestValidatorTest {

    private static final SignatureDef TWO_INPUTS = SignatureDef.newBuilder()
            .putInputs("a", info("a:0", Shapes.of(-1, 2)))
            .putInputs("b", info("b:0", Shapes.of(-1)))
            .putInputs("any", info("any:0", TensorShapeProto.newBuilder().setUnknownRank(true).build()))
            .putOutputs("out", info("out:0", Shapes.of(-1)))
            .setMethodName("tensorflow/serving/predict")
            .build();

    private static TensorInfo info(String name, TensorShapeProto shape) {
        return TensorInfo.newBuilder().setName(name).setDtype(DataType.DT_FLOAT).setTensorShape(shape).build();
    }

    @Test
    void inputsThatDisagreeOnTheBatchDimensionAreNotedForTheError() {
        var plan = PredictRequestValidator.validate(TWO_INPUTS, Map.of(
                "a", floats(shape(2, 2), 1f), "b", floats(shape(3), 1f), "any", floats(shape(7, 7), 1f)), Set.of());

        assertThat(plan.shapeNotes()).containsExactly("inputs disagree on the batch size (dim 0): 'a' has 2 but 'b' has 3");
        assertThat(plan.explain("Incompatible shapes: [2] vs. [3]")).isEqualTo("Incompatible shapes: [2] vs. [3] "
                + "(inputs disagree on the batch size (dim 0): 'a' has 2 but 'b' has 3)");
    }

    @Test
    void unknownRankAcceptsAnyShapeAndFeedsAreResolvedToTensorNames() {
        var plan = PredictRequestValidator.validate(TWO_INPUTS, Map.of(
                "a", floats(shape(2, 2), 1f), "b", floats(shape(2), 1f), "any", floats(shape(7, 1, 3), 1f)), Set.of());

        assertThat(plan.feeds()).extracting(PredictRequestValidator.Feed::tensorName)
                .containsExactly("a:0", "any:0", "b:0");
        assertThat(plan.fetches()).containsExactly(new PredictRequestValidator.Fetch("out", "out:0"));
    }

    @Test
    void signatureDefaultsFillMissingInputs() {
        SignatureDef withDefault = TWO_INPUTS.toBuilder().putDefaults("any", floats(shape(), 0f)).build();

        var plan = PredictRequestValidator.validate(withDefault,
                Map.of("a", floats(shape(1, 2), 1f), "b", floats(shape(1), 1f)), Set.of());

        assertThat(plan.feeds()).hasSize(3);
    }

    @Test
    void shapeRuleMatchesDimByDimOrAfterSqueezingSizeOneDims() {
        assertThat(PredictRequestValidator.shapeAccepted(shape(-1, 1), shape(3, 1))).isTrue();
        assertThat(PredictRequestValidator.shapeAccepted(shape(-1, 1), shape(3))).isTrue();
        assertThat(PredictRequestValidator.shapeAccepted(shape(-1, 1), shape(1))).isTrue();
        assertThat(PredictRequestValidator.shapeAccepted(shape(-1, 784), shape(1, 784))).isTrue();
        assertThat(PredictRequestValidator.shapeAccepted(shape(-1, 28, 28, 1), shape(5, 28, 28))).isTrue();
        assertThat(PredictRequestValidator.shapeAccepted(shape(), shape(1))).isTrue();

        assertThat(PredictRequestValidator.shapeAccepted(shape(-1, 784), shape(784))).isFalse();
        assertThat(PredictRequestValidator.shapeAccepted(shape(-1, 784), shape(2, 10))).isFalse();
        assertThat(PredictRequestValidator.shapeAccepted(shape(-1, 1), shape(2, 2))).isFalse();
        assertThat(PredictRequestValidator.shapeAccepted(shape(-1, 1), shape(1, 2))).isFalse();
        assertThat(PredictRequestValidator.shapeAccepted(shape(-1, 1), shape())).isFalse();
        assertThat(PredictRequestValidator.shapeAccepted(shape(-1, 2), shape(3))).isFalse();
    }

    @Test
    void aShapeThatDoesNotFitIsFedAndNotedWithBothShapes() {
        SignatureDef mnist = SignatureDef.newBuilder()
                .putInputs("x", info("x:0", Shapes.of(-1, 784)))
                .putOutputs("y", info("y:0", Shapes.of(-1, 10)))
                .build();

        var plan = PredictRequestValidator.validate(mnist, Map.of("x", floats(shape(2, 10), 0f)), Set.of());

        assertThat(plan.feeds()).hasSize(1);
        assertThat(plan.shapeNotes()).containsExactly("input 'x' was sent with shape [2,10]; the signature declares [-1,784]");
        assertThat(PredictRequestValidator.validate(mnist, Map.of("x", floats(shape(2, 784), 0f)), Set.of()).shapeNotes())
                .isEmpty();
        assertThat(plan.explain("boom")).isEqualTo("boom (input 'x' was sent with shape [2,10]; the signature "
                + "declares [-1,784])");
    }

    @Test
    void dtypeErrorsNameTheSentDtypeAsTensorflowDoes() {
        SignatureDef mnist = SignatureDef.newBuilder().putInputs("x", info("x:0", Shapes.of(-1, 784))).build();
        TensorProto x = floats(shape(1, 784), 0f);

        assertStatus(() -> PredictRequestValidator.validate(mnist,
                Map.of("x", x.toBuilder().setDtype(DataType.DT_FLOAT_REF).build()), Set.of()),
                Code.INVALID_ARGUMENT, "Expects input 'x' to be float but float_ref is provided");
        assertStatus(() -> PredictRequestValidator.validate(mnist,
                Map.of("x", x.toBuilder().setDtypeValue(77).build()), Set.of()),
                Code.INVALID_ARGUMENT, "Expects input 'x' to be float but unknown dtype enum is provided");
    }
}
