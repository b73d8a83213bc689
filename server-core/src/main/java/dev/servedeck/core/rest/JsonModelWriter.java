package dev.servedeck.core.rest;

import com.fasterxml.jackson.core.JsonGenerator;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.servedeck.core.ModelMetadata;
import dev.servedeck.core.servable.ServableState;
import dev.servedeck.core.status.ServingException;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.tensorflow.proto.SignatureDef;

/**
 * Model status and metadata answers, as TF Serving prints GetModelStatusResponse and
 * GetModelMetadataResponse: proto3 JSON with snake_case names and default values included
 * (so versions are strings, and empty fields still appear).
 */
final class JsonModelWriter {

    private final JsonFormat.Printer signaturePrinter = JsonFormat.printer()
            .includingDefaultValueFields()
            .preservingProtoFieldNames()
            .omittingInsignificantWhitespace();

    /** {@code {"model_version_status": [{"version", "state", "status": {"error_code", "error_message"}}]}}. */
    void writeStatus(JsonGenerator g, List<ServableState> states) throws IOException {
        g.writeStartObject();
        g.writeFieldName("model_version_status");
        g.writeStartArray();
        for (ServableState state : states) {
            g.writeStartObject();
            g.writeStringField("version", Long.toString(state.id().version()));
            g.writeStringField("state", state.state().name());
            g.writeFieldName("status");
            g.writeStartObject();
            g.writeStringField("error_code", state.health().code().name());
            g.writeStringField("error_message", state.health().message());
            g.writeEndObject();
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    /**
     * {@code {"model_spec": {...}, "metadata": {"signature_def": {"signature_def": {name: SignatureDef}}}}};
     * the doubled key is TF Serving's: metadata holds a SignatureDefMap, whose one field is signature_def.
     */
    void writeMetadata(JsonGenerator g, ModelMetadata metadata) throws IOException {
        g.writeStartObject();
        g.writeFieldName("model_spec");
        g.writeStartObject();
        g.writeStringField("name", metadata.servedBy().name());
        g.writeStringField("signature_name", "");
        g.writeStringField("version", Long.toString(metadata.servedBy().version()));
        g.writeEndObject();
        g.writeFieldName("metadata");
        g.writeStartObject();
        g.writeFieldName("signature_def");
        g.writeStartObject();
        g.writeFieldName("signature_def");
        g.writeStartObject();
        for (Map.Entry<String, SignatureDef> signature : new TreeMap<>(metadata.signatureDefs()).entrySet()) {
            g.writeFieldName(signature.getKey());
            g.writeRawValue(print(signature.getValue()));
        }
        g.writeEndObject();
        g.writeEndObject();
        g.writeEndObject();
        g.writeEndObject();
    }

    private String print(SignatureDef signature) {
        try {
            return signaturePrinter.print(signature);
        } catch (InvalidProtocolBufferException e) {
            throw ServingException.internal("Failed to convert signature def proto to json. Error: " + e.getMessage(), e);
        }
    }
}
