package dev.servedeck.core.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.servedeck.core.status.ServingException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.proto.Example;
import org.tensorflow.proto.Feature;

class JsonExampleReaderTest {

    private final JsonExampleReader reader = new JsonExampleReader(RestJsonFactory.create());

    private ExampleRequestJson read(String body) {
        return reader.read(JsonBody.of(body), "classify");
    }

    private Feature feature(String value) {
        Example example = read("{\"examples\": [{\"f\": " + value + "}]}").examples().examples().get(0);
        return example.getFeatures().getFeatureOrThrow("f");
    }

    @Test
    void readsSignatureContextAndExamples() {
        ExampleRequestJson request = read("{\"signature_name\": \"classify_x_to_y\", \"context\": {\"c\": \"shared\"},"
                + " \"examples\": [{\"x\": 2.0}, {\"x\": 3.0}]}");

        assertThat(request.signatureName()).isEqualTo("classify_x_to_y");
        assertThat(request.examples().examples()).hasSize(2);
        assertThat(request.examples().examples().get(1).getFeatures().getFeatureOrThrow("x").getFloatList().getValueList())
                .containsExactly(3.0f);
        assertThat(request.examples().context()).isPresent();
        assertThat(request.examples().context().get().getFeatures().getFeatureOrThrow("c").getBytesList().getValue(0)
                .toStringUtf8()).isEqualTo("shared");
        assertThat(read("{\"examples\": [{}]}").examples().context()).isEmpty();
    }

    @Test
    void numbersWithAFractionOrExponentAreFloatsOthersInt64() {
        assertThat(feature("2.0").getFloatList().getValueList()).containsExactly(2.0f);
        assertThat(feature("1e3").getFloatList().getValueList()).containsExactly(1000f);
        assertThat(feature("NaN").getFloatList().getValue(0)).isNaN();
        assertThat(feature("2").getInt64List().getValueList()).containsExactly(2L);
        assertThat(feature("[1, 2, -3]").getInt64List().getValueList()).containsExactly(1L, 2L, -3L);
        assertThat(feature("[1, 2.5]").getFloatList().getValueList()).containsExactly(1f, 2.5f);
        assertThat(feature("[2.5, 1]").getFloatList().getValueList()).containsExactly(2.5f, 1f);
        assertThat(feature("[true, false]").getInt64List().getValueList()).containsExactly(1L, 0L);
        assertThat(feature("[]").getKindCase()).isEqualTo(Feature.KindCase.KIND_NOT_SET);
    }

    @Test
    void stringsAndBase64AreBytes() {
        assertThat(feature("\"abc\"").getBytesList().getValueList()).containsExactly(ByteString.copyFromUtf8("abc"));
        assertThat(feature("[\"a\", {\"b64\": \"/wA=\"}]").getBytesList().getValueList())
                .containsExactly(ByteString.copyFromUtf8("a"), ByteString.copyFrom(new byte[] {(byte) 0xff, 0}));
    }

    @Test
    void mixedOrUnexpectedValuesAreRejected() {
        assertThatThrownBy(() -> feature("[1, \"a\"]")).isInstanceOf(ServingException.class)
                .hasMessage("Unexpected element type in feature: f expecting type: int64");
        assertThatThrownBy(() -> feature("[true, 1.5]")).hasMessage("Unexpected element type in feature: f expecting type: int64");
        assertThatThrownBy(() -> feature("[\"a\", 1]")).hasMessage("Unexpected element type in feature: f expecting type: bytes");
        assertThatThrownBy(() -> feature("null")).hasMessage("Feature: f has element with unexpected JSON type: Null");
        assertThatThrownBy(() -> feature("[[1]]")).hasMessage("Feature: f has element with unexpected JSON type: Array");
        assertThatThrownBy(() -> feature("{\"a\": 1}")).hasMessage("Feature: f has element with unexpected JSON type: Object");
        assertThatThrownBy(() -> feature("18446744073709551615"))
                .hasMessage("Feature: f has uint64 element. Only int64 is supported.");
        assertThatThrownBy(() -> feature("[1.5, 16777217]"))
                .hasMessage("Cannot convert JSON value: 16777217 to float without loss of precision.");
    }

    @Test
    void requestLayoutErrorsAreClear() {
        assertThatThrownBy(() -> read("{\"instances\": [1]}"))
                .hasMessage("When method is classify, key 'examples' is expected and was not found");
        assertThatThrownBy(() -> reader.read(JsonBody.of("{}"), "regress"))
                .hasMessage("When method is regress, key 'examples' is expected and was not found");
        assertThatThrownBy(() -> read("{\"examples\": {}}")).hasMessage("Expecting 'examples' value to be an list/array");
        assertThatThrownBy(() -> read("{\"examples\": []}")).hasMessage("'examples' value is an empty array");
        assertThatThrownBy(() -> read("{\"examples\": [[1]]}")).hasMessage("Example must be JSON object but got JSON Array");
        assertThatThrownBy(() -> read("{\"examples\": [{\"x\": 1}")).hasMessageStartingWith("JSON Parse error: ");
        assertThatThrownBy(() -> read("")).hasMessage("JSON Parse error: The document is empty");
    }

    @Test
    void examplesKeepTheirOrder() {
        List<Example> examples = read("{\"examples\": [{\"x\": 1}, {\"x\": 2}, {\"x\": 3}]}").examples().examples();

        assertThat(examples).extracting(e -> e.getFeatures().getFeatureOrThrow("x").getInt64List().getValue(0))
                .containsExactly(1L, 2L, 3L);
    }
}
