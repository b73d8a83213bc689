package dev.servedeck.core.signature;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * The Open Inference Protocol's template: the same tensors as TF Serving's template for the same signatures
 * ({@link RequestTemplateTest}'s table), written as the protocol's inputs with the server's datatype names.
 */
class InferRequestTemplateTest {

    static Stream<Arguments> signatures() {
        return Stream.of(
                // Row format: rows stacked on the batch dimension, data flat in row-major order.
                Arguments.of(RequestTemplateTest.FLOAT_INPUTS, """
                        {"inputs":[{"name":"inputs","shape":[2,4],"datatype":"FP32","data":[1.0,1.0,1.0,1.0,2.0,2.0,2.0,2.0]}]}"""),
                Arguments.of(RequestTemplateTest.MULTI_INPUT, """
                        {"inputs":[{"name":"features","shape":[2,3],"datatype":"FP32","data":[1.0,1.0,1.0,2.0,2.0,2.0]},\
                        {"name":"ids","shape":[2],"datatype":"INT64","data":[1,2]},\
                        {"name":"text","shape":[2],"datatype":"BYTES","data":["a","a"]}]}"""),
                // Columnar: whole tensors of the first value; a scalar for unknown rank; named signature.
                Arguments.of(RequestTemplateTest.ADD, """
                        {"parameters":{"signature_name":"add"},"inputs":[{"name":"a","shape":[],"datatype":"FP32","data":[1.0]},\
                        {"name":"b","shape":[],"datatype":"FP32","data":[1.0]}]}"""),
                Arguments.of(RequestTemplateTest.FIXED_IDS, """
                        {"parameters":{"signature_name":"lookup"},"inputs":[{"name":"ids","shape":[2],"datatype":"INT64","data":[1,1]},\
                        {"name":"mask","shape":[2],"datatype":"BOOL","data":[true,true]}]}"""),
                // An input with a default is left out, as in TF Serving's template.
                Arguments.of(RequestTemplateTest.DEFAULTED_FLAG, """
                        {"inputs":[{"name":"features","shape":[1,3],"datatype":"FP32","data":[1.0,1.0,1.0]}]}"""),
                Arguments.of(RequestTemplateTest.UNKNOWN_DIMS, """
                        {"parameters":{"signature_name":"total"},"inputs":[{"name":"values","shape":[2,1],"datatype":"FP32","data":[1.0,2.0]}]}"""));
    }

    @ParameterizedTest
    @MethodSource("signatures")
    void theTemplateSendsTheTensorsOfTfServingsTemplateInTheProtocolsForm(SignatureInfo signature, String expected) {
        assertThat(InferRequestTemplate.body(signature, 1, 2).toString()).isEqualTo(expected);
    }

    @Test
    void datatypesAreTheServersOwnMapping() {
        assertThat(List.of("FLOAT", "DOUBLE", "HALF", "BFLOAT16", "INT32", "INT64", "UINT8", "BOOL", "STRING")
                .stream().map(dtype -> InferRequestTemplate.datatype(new TensorInfo("t", dtype, List.of(), false)))
                .toList())
                .containsExactly("FP32", "FP64", "FP16", "BF16", "INT32", "INT64", "UINT8", "BOOL", "BYTES");
    }

    @Test
    void theLoadBodyIsThreeRowsForSmallInputsAndOneRowOfZerosForLargeOnes() {
        SignatureInfo halfPlusTwo = new SignatureInfo("serving_default", "tensorflow/serving/predict",
                List.of(new TensorInfo("x", "FLOAT", List.of(-1L, 1L), false)),
                List.of(new TensorInfo("y", "FLOAT", List.of(-1L, 1L), false)));
        SignatureInfo mlp = new SignatureInfo("serving_default", "tensorflow/serving/predict",
                List.of(new TensorInfo("images", "FLOAT", List.of(-1L, 784L), false)), List.of());

        assertThat(LoadRequestBody.inferBody(halfPlusTwo)).isEqualTo(
                "{\"inputs\":[{\"name\":\"x\",\"shape\":[3,1],\"datatype\":\"FP32\",\"data\":[1.0,2.0,5.0]}]}");
        assertThat(LoadRequestBody.inferBody(mlp)).startsWith(
                "{\"inputs\":[{\"name\":\"images\",\"shape\":[1,784],\"datatype\":\"FP32\",\"data\":[0.0,0.0,");
    }
}
