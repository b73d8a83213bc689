package dev.servedeck.core.rest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.servedeck.core.status.ServingException;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the model repository extension's request bodies: the index's {@code {"ready": bool}} and the load's and
 * unload's {@code {"parameters": {...}}}. Each body is optional, as the extension says (an empty one asks for
 * the defaults); other fields are skipped, as for the protocol's other requests.
 */
final class RepositoryRequestJsonReader {

    private final JsonFactory json;

    RepositoryRequestJsonReader(JsonFactory json) {
        this.json = json;
    }

    /** The index request's {@code ready}: false when absent. */
    boolean readyOnly(JsonBody body) {
        boolean[] ready = {false};
        readFields(body, (field, value, p) -> {
            if (field.equals("ready")) {
                if (value != JsonToken.VALUE_TRUE && value != JsonToken.VALUE_FALSE) {
                    throw ServingException.invalidArgument("'ready' must be true or false");
                }
                ready[0] = value == JsonToken.VALUE_TRUE;
            } else {
                p.skipChildren();
            }
        });
        return ready[0];
    }

    /** A load or unload request's {@code parameters}: String, Boolean, Long or Double values. */
    Map<String, Object> parameters(JsonBody body) {
        Map<String, Object> parameters = new LinkedHashMap<>();
        readFields(body, (field, value, p) -> {
            if (!field.equals("parameters")) {
                p.skipChildren();
                return;
            }
            if (value != JsonToken.START_OBJECT) {
                throw ServingException.invalidArgument("'parameters' must be an object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                parameters.put(name, switch (p.nextToken()) {
                    case VALUE_STRING -> p.getText();
                    case VALUE_TRUE, VALUE_FALSE -> p.getBooleanValue();
                    case VALUE_NUMBER_INT -> p.getLongValue();
                    case VALUE_NUMBER_FLOAT -> p.getDoubleValue();
                    default -> throw ServingException.invalidArgument(
                            "Parameter '" + name + "' must be a string, a number or a boolean");
                });
            }
        });
        return parameters;
    }

    @FunctionalInterface
    private interface FieldReader {
        void read(String field, JsonToken value, JsonParser p) throws IOException;
    }

    private void readFields(JsonBody body, FieldReader reader) {
        if (body.isEmpty()) {
            return;
        }
        try (JsonParser p = body.openObject(json)) {
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                reader.read(field, p.nextToken(), p);
            }
        } catch (JsonProcessingException e) {
            throw JsonErrors.parseError(e);
        } catch (IOException e) {
            throw ServingException.invalidArgument("Cannot read the request body: " + e.getMessage());
        }
    }
}
