package dev.servedeck.core.rest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.servedeck.core.servable.ExampleBatch;
import dev.servedeck.core.status.ServingException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.tensorflow.proto.Example;
import org.tensorflow.proto.Features;

/**
 * Reads a classify or regress body ({@code {"signature_name", "context", "examples"}}) into tf.Examples in
 * one streaming pass, as TF Serving's FillClassifyRegressRequestFromJson does.
 */
final class JsonExampleReader {

    private final JsonFactory json;

    JsonExampleReader(JsonFactory json) {
        this.json = json;
    }

    /** @param method "classify" or "regress", for the messages */
    ExampleRequestJson read(JsonBody body, String method) {
        try (JsonParser p = body.openObject(json)) {
            String signature = "";
            Example context = null;
            List<Example> examples = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "signature_name" -> signature = JsonErrors.signatureName(json, p, value);
                    case "context" -> context = readExample(p);
                    case "examples" -> examples = readExamples(p);
                    default -> p.skipChildren();
                }
            }
            if (p.nextToken() != null) {
                throw ServingException.invalidArgument("JSON Parse error: The document root must not be followed by "
                        + "other values. at offset: " + p.currentTokenLocation().getByteOffset());
            }
            if (examples == null) {
                throw ServingException.invalidArgument(
                        "When method is " + method + ", key 'examples' is expected and was not found");
            }
            return new ExampleRequestJson(signature, new ExampleBatch(examples, Optional.ofNullable(context)));
        } catch (JsonProcessingException e) {
            throw JsonErrors.parseError(e);
        } catch (IOException e) {
            throw ServingException.invalidArgument("JSON Parse error: " + e.getMessage());
        }
    }

    private List<Example> readExamples(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw ServingException.invalidArgument("Expecting 'examples' value to be an list/array");
        }
        List<Example> examples = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            examples.add(readExample(p));
        }
        if (examples.isEmpty()) {
            throw ServingException.invalidArgument("'examples' value is an empty array");
        }
        return examples;
    }

    private Example readExample(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw ServingException.invalidArgument(
                    "Example must be JSON object but got JSON " + JsonErrors.typeName(p.currentToken()));
        }
        Features.Builder features = Features.newBuilder();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            FeatureBuilder feature = new FeatureBuilder(name);
            if (p.nextToken() == JsonToken.START_ARRAY) {
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    addValue(p, feature);
                }
            } else {
                addValue(p, feature);
            }
            features.putFeature(name, feature.build());
        }
        return Example.newBuilder().setFeatures(features).build();
    }

    private void addValue(JsonParser p, FeatureBuilder feature) throws IOException {
        JsonToken token = p.currentToken();
        switch (token) {
            case VALUE_TRUE, VALUE_FALSE -> feature.addBoolean(token == JsonToken.VALUE_TRUE);
            case VALUE_STRING -> feature.addBytes(ByteString.copyFromUtf8(p.getText()));
            case VALUE_NUMBER_FLOAT -> feature.addDecimal(p.getDoubleValue(), p.getText());
            case VALUE_NUMBER_INT -> {
                if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                    feature.addUnsignedBeyondInt64();
                }
                feature.addInteger(p.getLongValue(), p.getText());
            }
            case START_OBJECT -> feature.addBytes(readBase64(p, feature));
            default -> throw feature.unexpectedType(JsonErrors.typeName(token));
        }
    }

    private ByteString readBase64(JsonParser p, FeatureBuilder feature) throws IOException {
        ObjectStart object = ObjectStart.peek(p);
        if (!object.isBase64()) {
            throw feature.unexpectedType("Object");
        }
        try {
            return UnsafeByteOperations.unsafeWrap(Base64.getDecoder().decode(object.base64()));
        } catch (IllegalArgumentException e) {
            throw ServingException.invalidArgument("Unable to base64 decode");
        }
    }
}
