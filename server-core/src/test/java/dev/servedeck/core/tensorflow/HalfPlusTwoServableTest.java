package dev.servedeck.core.tensorflow;

import static dev.servedeck.core.tensorflow.TestTensors.floatValues;
import static dev.servedeck.core.tensorflow.TestTensors.floats;
import static dev.servedeck.core.tensorflow.TestTensors.shape;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.util.JsonFormat;
import dev.servedeck.core.servable.Classification;
import dev.servedeck.core.servable.ExampleBatch;
import dev.servedeck.core.status.Code;
import dev.servedeck.core.status.ServingException;
import dev.servedeck.core.testing.TfServingTestData;
import dev.servedeck.core.wire.Shapes;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.Example;
import org.tensorflow.proto.TensorProto;

/** TF Serving's saved_model_half_plus_two_cpu: the answers TF Serving's own tests expect, and every request check. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HalfPlusTwoServableTest {

    private SavedModelServable servable;

    @BeforeAll
    void load() throws Exception {
        servable = new SavedModelLoader(TfServingTestData.version("saved_model_half_plus_two_cpu", "00000123"),
                TensorflowOptions.defaults()).load();
    }

    @AfterAll
    void close() {
        if (servable != null) {
            servable.close();
        }
    }

    @Test
    void predictsAFlatInstancesListLikeTfServingsRestExample() {
        Map<String, TensorProto> outputs = servable.predict("", Map.of("x", floats(shape(3), 2f, 3f, 4f)), Set.of());

        assertThat(outputs).containsOnlyKeys("y");
        assertThat(floatValues(outputs.get("y"))).containsExactly(3.0f, 3.5f, 4.0f);
        assertThat(TestTensors.dims(outputs.get("y"))).containsExactly(3);
        assertThat(outputs.get("y").getDtype()).isEqualTo(DataType.DT_FLOAT);
    }

    @Test
    void predictsABatchOfColumnVectors() {
        Map<String, TensorProto> outputs = servable.predict("serving_default",
                Map.of("x", floats(shape(3, 1), 2f, 3f, 4f)), Set.of("y"));

        assertThat(floatValues(outputs.get("y"))).containsExactly(3.0f, 3.5f, 4.0f);
        assertThat(TestTensors.dims(outputs.get("y"))).containsExactly(3, 1);
    }

    @Test
    void predictsOneInstanceAndBroadcastsASingleTypedValue() {
        assertThat(floatValues(servable.predict("", Map.of("x", floats(shape(1), 2f)), Set.of()).get("y")))
                .containsExactly(3.0f);
        assertThat(floatValues(servable.predict("", Map.of("x", floats(shape(2, 1), 4f)), Set.of()).get("y")))
                .containsExactly(4.0f, 4.0f);
    }

    @Test
    void predictsThroughTheFloatInputRegressionSignature() {
        Map<String, TensorProto> outputs = servable.predict("regress_x2_to_y3",
                Map.of("inputs", floats(shape(2, 1), 1f, 2f)), Set.of());

        assertThat(floatValues(outputs.get("outputs"))).containsExactly(3.5f, 4.0f);
    }

    @Test
    void classifiesLikeTfServing() {
        List<List<Classification>> results = servable.classify("classify_x_to_y",
                ExampleBatch.of(List.of(TestTensors.example("x", 2f))));

        assertThat(results).containsExactly(List.of(new Classification("", 3.0f)));
    }

    @Test
    void regressesLikeTfServing() {
        assertThat(servable.regress("regress_x_to_y", ExampleBatch.of(List.of(TestTensors.example("x", 2f)))))
                .containsExactly(3.0f);
        assertThat(servable.regress("regress_x_to_y2",
                ExampleBatch.of(List.of(TestTensors.example("x", 2f), TestTensors.example("x", 4f)))))
                .containsExactly(4.0f, 5.0f);
    }

    @Test
    void contextFeaturesReachEveryExample() {
        ExampleBatch batch = new ExampleBatch(List.of(Example.getDefaultInstance(), Example.getDefaultInstance()),
                Optional.of(TestTensors.example("x", 2f)));

        assertThat(servable.regress("regress_x_to_y", batch)).containsExactly(3.0f, 3.0f);
    }

    @Test
    void classifyAndRegressCheckTheSignatureLikeTfServing() {
        ExampleBatch batch = ExampleBatch.of(List.of(TestTensors.example("x", 2f)));

        // TF Serving's default --enable_signature_method_name_check=false: the signature's form decides.
        assertThatThrownBy(() -> servable.classify("regress_x_to_y", batch))
                .isInstanceOf(ServingException.class)
                .satisfies(e -> assertThat(((ServingException) e).code()).isEqualTo(Code.FAILED_PRECONDITION))
                .hasMessageStartingWith("Expected classification signature outputs to contain at least one of");
        assertThatThrownBy(() -> servable.regress("", batch))
                .isInstanceOf(ServingException.class)
                .satisfies(e -> assertThat(((ServingException) e).code()).isEqualTo(Code.FAILED_PRECONDITION))
                .hasMessageStartingWith("No regression inputs found in SignatureDef");
        assertStatus(() -> servable.regress("nope", batch), Code.INVALID_ARGUMENT,
                "No signature was found with the name: nope. Signatures of this model: classify_x_to_y, "
                        + "regress_x2_to_y3, regress_x_to_y, regress_x_to_y2, serving_default.");
        assertStatus(() -> servable.regress("regress_x_to_y", ExampleBatch.of(List.of())), Code.INVALID_ARGUMENT,
                "Input is empty.");
        assertThatThrownBy(() -> servable.regress("regress_x2_to_y3", batch))
                .isInstanceOf(ServingException.class)
                .satisfies(e -> assertThat(((ServingException) e).code()).isEqualTo(Code.INVALID_ARGUMENT))
                .hasMessageStartingWith("Expects input 'inputs' (x2:0) to be float but string is provided");
    }

    @Test
    void withTheMethodNameCheckOnClassifyAndRegressNeedTheirMethodNames() {
        ExampleBatch batch = ExampleBatch.of(List.of(TestTensors.example("x", 2f)));
        try (SavedModelServable checked = new SavedModelLoader(
                TfServingTestData.version("saved_model_half_plus_two_cpu", "00000123"),
                TensorflowOptions.defaults().withSignatureMethodNameCheck(true)).load()) {
            assertStatus(() -> checked.classify("regress_x_to_y", batch), Code.INVALID_ARGUMENT,
                    "Expected classification signature method_name to be tensorflow/serving/classify. "
                            + "Was: tensorflow/serving/regress");
            assertStatus(() -> checked.regress("", batch), Code.INVALID_ARGUMENT,
                    "Expected regression signature method_name to be tensorflow/serving/regress. "
                            + "Was: tensorflow/serving/predict");
            assertThat(checked.regress("regress_x_to_y", batch)).containsExactly(3.0f);
        }
    }

    @Test
    void unknownSignatureIsAFailedPreconditionAsInTfServing() {
        assertStatus(() -> servable.predict("foo", Map.of("x", floats(shape(1), 1f)), Set.of()),
                Code.FAILED_PRECONDITION, "Serving signature key \"foo\" not found. Signatures of this model: "
                        + "classify_x_to_y, regress_x2_to_y3, regress_x_to_y, regress_x_to_y2, serving_default.");
    }

    @Test
    void missingAndExtraInputsAreNamed() {
        assertStatus(() -> servable.predict("", Map.of(), Set.of()), Code.INVALID_ARGUMENT,
                "input size does not match signature: 0!=1 len({}) != len({x}). Sent extra: {}. "
                        + "Missing but required: {x}.");
        assertStatus(() -> servable.predict("", Map.of("x", floats(shape(1), 1f), "z", floats(shape(1), 1f)), Set.of()),
                Code.INVALID_ARGUMENT, "input size does not match signature: 2!=1 len({x,z}) != len({x}). "
                        + "Sent extra: {z}. Missing but required: {}.");
        assertStatus(() -> servable.predict("", Map.of("z", floats(shape(1), 1f)), Set.of()), Code.INVALID_ARGUMENT,
                "input tensor alias not found in signature: z. Inputs expected to be in the set {x}.");
    }

    @Test
    void wrongDtypeIsRejectedBeforeTensorflowRuns() {
        TensorProto strings = TensorProto.newBuilder().setDtype(DataType.DT_STRING)
                .setTensorShape(Shapes.of(1, 1)).addStringVal(ByteString.copyFromUtf8("2")).build();

        assertStatus(() -> servable.predict("", Map.of("x", strings), Set.of()), Code.INVALID_ARGUMENT,
                "Expects input 'x' to be float but string is provided");
    }

    @Test
    void aShapeTheSignatureDoesNotDeclareRunsWhenTheGraphAcceptsIt() {
        // TF Serving feeds what it gets and TensorFlow's ops decide: x + 0.5 works on any shape.
        Map<String, TensorProto> outputs = servable.predict("", Map.of("x", floats(shape(2, 2), 1f, 2f, 3f, 4f)),
                Set.of());

        assertThat(TestTensors.dims(outputs.get("y"))).containsExactly(2, 2);
        assertThat(floatValues(outputs.get("y"))).containsExactly(2.5f, 3.0f, 3.5f, 4.0f);
        assertThat(floatValues(servable.predict("", Map.of("x", floats(shape(), 2f)), Set.of()).get("y")))
                .containsExactly(3.0f);
    }

    @Test
    void unknownOutputFilterAliasIsRejected() {
        assertStatus(() -> servable.predict("", Map.of("x", floats(shape(1), 1f)), Set.of("z")), Code.INVALID_ARGUMENT,
                "output tensor alias not found in signature: z Outputs expected to be in the set {y}.");
    }

    @Test
    void elementCountMustAgreeWithTheShape() {
        assertStatus(() -> servable.predict("", Map.of("x", floats(shape(3, 1), 1f, 2f)), Set.of()),
                Code.INVALID_ARGUMENT, "tensor parsing error: x (it has 2 float_val values but shape [3,1] has 3 "
                        + "elements (send 3, or 1 to fill every element))");
        TensorProto shortContent = TensorProto.newBuilder().setDtype(DataType.DT_FLOAT)
                .setTensorShape(Shapes.of(2, 1)).setTensorContent(ByteString.copyFrom(new byte[5])).build();
        assertStatus(() -> servable.predict("", Map.of("x", shortContent), Set.of()), Code.INVALID_ARGUMENT,
                "tensor parsing error: x (its tensor_content has 5 bytes but shape [2,1] of DT_FLOAT needs 8)");
        TensorProto negative = floats(shape(-1, 1), 1f);
        assertThatThrownBy(() -> servable.predict("", Map.of("x", negative), Set.of()))
                .isInstanceOf(ServingException.class)
                .hasMessageStartingWith("tensor parsing error: x (its tensor_shape [-1,1] has a negative size");
    }

    @Test
    void metadataEqualsWhatTfServingAnswers() throws Exception {
        ObjectMapper json = new ObjectMapper();
        JsonNode expected = json.readTree(Files.readString(TfServingTestData.root().resolve("half_plus_two_model_metadata.json")))
                .path("metadata").path("signature_def").path("signature_def");
        JsonFormat.Printer printer = JsonFormat.printer().includingDefaultValueFields().preservingProtoFieldNames();
        ObjectNode actual = json.createObjectNode();
        for (var entry : servable.signatureDefs().entrySet()) {
            actual.set(entry.getKey(), json.readTree(printer.print(entry.getValue())));
        }

        assertThat(actual).isEqualTo(expected);
        assertThat(servable.signatureDefs().get("classify_x_to_y").getInputsOrThrow("inputs").getTensorShape()
                .getUnknownRank()).isTrue();
    }

    @Test
    void concurrentRequestsShareTheSession() throws Exception {
        List<Thread> threads = new java.util.ArrayList<>();
        List<Throwable> failures = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        for (int t = 0; t < 4; t++) {
            float x = t;
            Thread thread = new Thread(() -> {
                try {
                    for (int i = 0; i < 200; i++) {
                        float[] y = floatValues(servable.predict("", Map.of("x", floats(shape(1, 1), x)), Set.of()).get("y"));
                        assertThat(y[0]).isCloseTo(0.5f * x + 2, within(1e-6f));
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            });
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertThat(failures).isEmpty();
    }

    static void assertStatus(ThrowingCallable call, Code code, String message) {
        assertThatThrownBy(call)
                .isInstanceOf(ServingException.class)
                .hasMessage(message)
                .satisfies(e -> assertThat(((ServingException) e).code()).isEqualTo(code));
    }
}
