package dev.servedeck.core.signature;

import static dev.servedeck.core.signature.RestVerb.CLASSIFY;
import static dev.servedeck.core.signature.RestVerb.PREDICT;
import static dev.servedeck.core.signature.RestVerb.REGRESS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * How the console calls a signature, over the shapes TF2 and Keras exports have: the verbs offered, the verb
 * chosen first, and the template each verb starts from. One table, read row by row.
 */
class RequestTemplateTest {

    private static final String PREDICT_METHOD = "tensorflow/serving/predict";

    // ---- signatures as TF2 exports write them ----

    /** tf-java's saved_model_using_python: {@code add(a, b)}, both DT_FLOAT of unknown rank. */
    static final SignatureInfo ADD = predict("add", List.of(anyShape("a", "FLOAT"), anyShape("b", "FLOAT")),
            List.of(anyShape("output_0", "FLOAT")));
    /** A scalar input of known rank 0. */
    static final SignatureInfo SCALAR = predict("threshold", List.of(tensor("t", "DOUBLE")),
            List.of(tensor("y", "FLOAT", -1)));
    /** Unknown rank plus an input with a signature default ({@code y = x * factor}, factor 2.0 by default). */
    static final SignatureInfo SCALE = predict("scale",
            List.of(withDefault(tensor("factor", "FLOAT")), anyShape("x", "FLOAT")), List.of(anyShape("y", "FLOAT")));
    /** Batched inputs plus a defaulted flag: the row format cannot leave an input out, so columnar. */
    static final SignatureInfo DEFAULTED_FLAG = predict("serving_default",
            List.of(tensor("features", "FLOAT", -1, 3), withDefault(tensor("training", "BOOL"))),
            List.of(tensor("y", "FLOAT", -1)));
    /** Every input defaulted: the template sends none. */
    static final SignatureInfo ALL_DEFAULTED = predict("constants", List.of(withDefault(tensor("k", "INT32"))),
            List.of(tensor("y", "INT32")));
    /** A multi-input Keras model: float features, int64 ids, string text, all batched. */
    static final SignatureInfo MULTI_INPUT = predict("serving_default", List.of(tensor("features", "FLOAT", -1, 3),
            tensor("ids", "INT64", -1), tensor("text", "STRING", -1)),
            List.of(tensor("next_ids", "INT64", -1), tensor("weighted", "FLOAT", -1)));
    /** Unknown inner dims ([-1, -1]) and no serving_default. */
    static final SignatureInfo UNKNOWN_DIMS = predict("total", List.of(tensor("values", "FLOAT", -1, -1)),
            List.of(tensor("sum", "FLOAT"), tensor("count", "INT32")));
    /** Unbatched int64 ids and a bool mask of fixed size. */
    static final SignatureInfo FIXED_IDS = predict("lookup", List.of(tensor("ids", "INT64", 2), tensor("mask", "BOOL", 2)),
            List.of(tensor("found", "BOOL", 2)));
    /** TF Serving's TF2 half_plus_two: classify's form, yet the method says predict. */
    static final SignatureInfo CLASSIFY_SHAPED = predict("classify_x_to_y", List.of(tensor("inputs", "STRING", -1)),
            List.of(tensor("scores", "FLOAT", -1, 1)));
    /** ... and regress's form. */
    static final SignatureInfo REGRESS_SHAPED = predict("regress_x_to_y", List.of(tensor("inputs", "STRING", -1)),
            List.of(tensor("outputs", "FLOAT", -1, 1)));
    /** A TF1 classify signature: the method says classify. */
    static final SignatureInfo TF1_CLASSIFY = new SignatureInfo("classify_x", "tensorflow/serving/classify",
            List.of(tensor("inputs", "STRING", -1)), List.of(tensor("classes", "STRING", -1, 2),
                    tensor("scores", "FLOAT", -1, 2)));
    /** Named like classify's input but of another dtype: not classify's form. */
    static final SignatureInfo FLOAT_INPUTS = predict("serving_default", List.of(tensor("inputs", "FLOAT", -1, 4)),
            List.of(tensor("scores", "FLOAT", -1, 3)));

    static Stream<Arguments> signatures() {
        return Stream.of(
                row(ADD, List.of(PREDICT),
                        "{\"signature_name\":\"add\",\"inputs\":{\"a\":0.0,\"b\":0.0}}"),
                row(SCALAR, List.of(PREDICT),
                        "{\"signature_name\":\"threshold\",\"inputs\":{\"t\":0.0}}"),
                row(SCALE, List.of(PREDICT),
                        "{\"signature_name\":\"scale\",\"inputs\":{\"x\":0.0}}"),
                row(DEFAULTED_FLAG, List.of(PREDICT),
                        "{\"inputs\":{\"features\":[[0.0,0.0,0.0]]}}"),
                row(ALL_DEFAULTED, List.of(PREDICT),
                        "{\"signature_name\":\"constants\",\"inputs\":{}}"),
                row(MULTI_INPUT, List.of(PREDICT),
                        "{\"instances\":[{\"features\":[0.0,0.0,0.0],\"ids\":0,\"text\":\"\"}]}"),
                row(UNKNOWN_DIMS, List.of(PREDICT),
                        "{\"signature_name\":\"total\",\"instances\":[[0.0]]}"),
                row(FIXED_IDS, List.of(PREDICT),
                        "{\"signature_name\":\"lookup\",\"inputs\":{\"ids\":[0,0],\"mask\":[false,false]}}"),
                row(CLASSIFY_SHAPED, List.of(PREDICT, CLASSIFY),
                        "{\"signature_name\":\"classify_x_to_y\",\"instances\":[\"\"]}"),
                row(REGRESS_SHAPED, List.of(PREDICT, REGRESS),
                        "{\"signature_name\":\"regress_x_to_y\",\"instances\":[\"\"]}"),
                row(TF1_CLASSIFY, List.of(CLASSIFY, PREDICT),
                        "{\"signature_name\":\"classify_x\",\"examples\":[{\"feature\":0.0}]}"),
                row(FLOAT_INPUTS, List.of(PREDICT),
                        "{\"instances\":[[0.0,0.0,0.0,0.0]]}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("signatures")
    void offersTheVerbsTheSignatureFitsAndStartsFromTheMethodsVerb(String name, SignatureInfo signature,
            List<RestVerb> verbs, String template) {
        assertThat(RestVerb.offered(signature)).isEqualTo(verbs);
        assertThat(RestVerb.preferred(signature)).isEqualTo(verbs.get(0));
        assertThat(RequestTemplate.body(signature, RestVerb.preferred(signature), 0).toString()).isEqualTo(template);
    }

    @Test
    void aClassifyShapedPredictSignatureTakesExamplesWhenClassifiedOrRegressed() {
        assertThat(RequestTemplate.body(CLASSIFY_SHAPED, CLASSIFY, 0).toString())
                .isEqualTo("{\"signature_name\":\"classify_x_to_y\",\"examples\":[{\"feature\":0.0}]}");
        assertThat(RequestTemplate.body(REGRESS_SHAPED, REGRESS, 0).toString())
                .isEqualTo("{\"signature_name\":\"regress_x_to_y\",\"examples\":[{\"feature\":0.0}]}");
        assertThat(CLASSIFY.fits(REGRESS_SHAPED)).isFalse();
        assertThat(REGRESS.fits(CLASSIFY_SHAPED)).isFalse();
        assertThat(CLASSIFY.fits(predict("three", List.of(tensor("inputs", "STRING", -1)),
                List.of(tensor("classes", "STRING", -1), tensor("scores", "FLOAT", -1), tensor("extra", "FLOAT", -1)))))
                .as("TF Serving's classifier takes one or two outputs").isFalse();
    }

    @Test
    void oneRowPerValueForTheLoadGeneratorAndTheFirstValueForWholeTensors() {
        assertThat(RequestTemplate.body(MULTI_INPUT, PREDICT, 1, 2).toString()).isEqualTo("{\"instances\":["
                + "{\"features\":[1.0,1.0,1.0],\"ids\":1,\"text\":\"a\"},{\"features\":[2.0,2.0,2.0],\"ids\":2,\"text\":\"a\"}]}");
        assertThat(RequestTemplate.body(FIXED_IDS, PREDICT, 1, 2).toString())
                .isEqualTo("{\"signature_name\":\"lookup\",\"inputs\":{\"ids\":[1,1],\"mask\":[true,true]}}");
        assertThat(RequestTemplate.valuesPerRow(MULTI_INPUT)).isEqualTo(3);
        assertThat(RequestTemplate.valuesPerRow(ADD)).isEqualTo(1);
        assertThat(RequestTemplate.valuesPerRow(ALL_DEFAULTED)).isZero();
        assertThatThrownBy(() -> RequestTemplate.body(ADD, PREDICT)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aHugeShapeIsCutToOnesAndHalfTypesAreFloats() {
        SignatureInfo huge = predict("serving_default", List.of(tensor("video", "HALF", -1, 1000, 1000, 3)), List.of());
        assertThat(RequestTemplate.body(huge, PREDICT, 0).toString()).isEqualTo("{\"instances\":[[[[0.0]]]]}");
    }

    // ---- the signature a model is called with by default ----

    @Test
    void servingDefaultComesFirstElseTheFirstSignatureMeantForPredict() {
        assertThat(DefaultSignature.of(List.of(ADD, MULTI_INPUT))).contains(MULTI_INPUT);
        // TF Serving's TF2 half_plus_two without its serving_default: not the classify- or regress-shaped ones.
        assertThat(DefaultSignature.of(List.of(CLASSIFY_SHAPED, REGRESS_SHAPED, UNKNOWN_DIMS))).contains(UNKNOWN_DIMS);
        // The Python-written model: five signatures, none serving_default, sorted by name.
        assertThat(DefaultSignature.of(List.of(ADD, SCALE))).contains(ADD);
        assertThat(DefaultSignature.of(List.of(TF1_CLASSIFY, CLASSIFY_SHAPED))).contains(TF1_CLASSIFY);
        assertThat(DefaultSignature.of(List.of())).isEmpty();
    }

    // ---- helpers ----

    private static Arguments row(SignatureInfo signature, List<RestVerb> verbs, String template) {
        return Arguments.of(signature.name() + " " + signature.inputs().stream().map(RequestTemplateTest::shape).toList(),
                signature, verbs, template);
    }

    private static String shape(TensorInfo input) {
        return input.name() + ":" + input.dtype() + (input.unknownRank() ? "(any)" : input.dims().toString())
                + (input.hasDefault() ? "=default" : "");
    }

    private static SignatureInfo predict(String name, List<TensorInfo> inputs, List<TensorInfo> outputs) {
        return new SignatureInfo(name, PREDICT_METHOD, inputs, outputs);
    }

    private static TensorInfo tensor(String name, String dtype, long... dims) {
        return new TensorInfo(name, dtype, Arrays.stream(dims).boxed().toList(), false);
    }

    private static TensorInfo anyShape(String name, String dtype) {
        return new TensorInfo(name, dtype, List.of(), true);
    }

    private static TensorInfo withDefault(TensorInfo input) {
        return new TensorInfo(input.name(), input.dtype(), input.dims(), input.unknownRank(), true);
    }
}
