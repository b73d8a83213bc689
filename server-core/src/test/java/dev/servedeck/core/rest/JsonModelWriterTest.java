package dev.servedeck.core.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.util.JsonFormat;
import dev.servedeck.core.ModelMetadata;
import dev.servedeck.core.servable.ManagerState;
import dev.servedeck.core.servable.ServableId;
import dev.servedeck.core.servable.ServableState;
import dev.servedeck.core.status.Code;
import dev.servedeck.core.status.Status;
import dev.servedeck.core.testing.TfServingTestData;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.proto.SignatureDef;

class JsonModelWriterTest {

    private final ObjectMapper mapper = new ObjectMapper(RestJsonFactory.create());
    private final JsonModelWriter writer = new JsonModelWriter();

    @Test
    void metadataMatchesWhatTfServingAnswersForHalfPlusTwo() throws IOException {
        JsonNode expected = mapper.readTree(Files.readString(
                TfServingTestData.root().resolve("half_plus_two_model_metadata.json")));
        Map<String, SignatureDef> signatures = new HashMap<>();
        Iterator<Map.Entry<String, JsonNode>> defs = expected.at("/metadata/signature_def/signature_def").fields();
        while (defs.hasNext()) {
            Map.Entry<String, JsonNode> def = defs.next();
            SignatureDef.Builder signature = SignatureDef.newBuilder();
            JsonFormat.parser().merge(mapper.writeValueAsString(def.getValue()), signature);
            signatures.put(def.getKey(), signature.build());
        }
        assertThat(signatures).hasSize(5);

        StringWriter out = new StringWriter();
        try (JsonGenerator g = mapper.getFactory().createGenerator(out)) {
            writer.writeMetadata(g, new ModelMetadata(new ServableId("default", 123), signatures));
        }

        assertThat(mapper.readTree(out.toString())).isEqualTo(expected);
    }

    @Test
    void statusListsEveryVersionWithItsHealth() throws IOException {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = mapper.getFactory().createGenerator(out)) {
            writer.writeStatus(g, List.of(
                    new ServableState(new ServableId("default", 123), ManagerState.AVAILABLE, Status.OK, Instant.EPOCH),
                    new ServableState(new ServableId("default", 124), ManagerState.END,
                            Status.of(Code.NOT_FOUND, "no SavedModel"), Instant.EPOCH)));
        }

        assertThat(mapper.readTree(out.toString())).isEqualTo(mapper.readTree("{\"model_version_status\": ["
                + "{\"version\": \"123\", \"state\": \"AVAILABLE\", \"status\": {\"error_code\": \"OK\", \"error_message\": \"\"}},"
                + "{\"version\": \"124\", \"state\": \"END\","
                + " \"status\": {\"error_code\": \"NOT_FOUND\", \"error_message\": \"no SavedModel\"}}]}"));
    }
}
