package dev.servedeck.core.rest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.servedeck.core.status.ServingException;
import java.io.IOException;
import java.io.StringWriter;

/** TF Serving's wording for JSON problems (json_tensor.cc), so clients see the messages they know. */
final class JsonErrors {

    /** Values quoted in messages are cut here: a message should name the culprit, not echo the request. */
    private static final int MAX_RENDERED_CHARS = 200;

    private JsonErrors() {
    }

    static ServingException parseError(JsonProcessingException e) {
        long offset = e.getLocation() == null ? -1 : e.getLocation().getByteOffset();
        String message = "JSON Parse error: " + e.getOriginalMessage();
        return ServingException.invalidArgument(offset >= 0 ? message + " at offset: " + offset : message);
    }

    static ServingException emptyDocument() {
        return ServingException.invalidArgument("JSON Parse error: The document is empty");
    }

    static ServingException notAnObject(String rendered) {
        return ServingException.invalidArgument("JSON Value: " + rendered + " Is not object");
    }

    /** The value at the parser's current token, as TF Serving quotes it in errors (strings keep their quotes). */
    static String render(JsonFactory json, JsonParser p) {
        try {
            JsonToken token = p.currentToken();
            if (token == null) {
                return "";
            }
            if (token == JsonToken.VALUE_STRING) {
                return truncate('"' + p.getText() + '"');
            }
            if (!token.isStructStart()) {
                return truncate(p.getText());
            }
            StringWriter out = new StringWriter();
            try (JsonGenerator g = json.createGenerator(out)) {
                g.copyCurrentStructure(p);
            }
            return truncate(out.toString());
        } catch (IOException e) {
            return "<unreadable JSON value>";
        }
    }

    /** Renders the value that starts at a byte offset of a body, for errors found after the value was consumed. */
    static String renderAt(JsonFactory json, JsonBody body, long byteOffset) {
        try (JsonParser p = body.slice(byteOffset, body.length()).open(json)) {
            p.nextToken();
            return render(json, p);
        } catch (IOException e) {
            return "<unreadable JSON value>";
        }
    }

    static String typeName(JsonToken token) {
        if (token == null) {
            return "Null";
        }
        return switch (token) {
            case VALUE_NULL -> "Null";
            case VALUE_FALSE -> "False";
            case VALUE_TRUE -> "True";
            case START_OBJECT -> "Object";
            case START_ARRAY -> "Array";
            case VALUE_STRING -> "String";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "Number";
            default -> token.name();
        };
    }

    private static String truncate(String text) {
        return text.length() <= MAX_RENDERED_CHARS ? text : text.substring(0, MAX_RENDERED_CHARS) + "...";
    }

    /** The request's {@code signature_name}, which TF Serving requires to be a JSON string. */
    static String signatureName(JsonFactory json, JsonParser p, JsonToken value) throws IOException {
        if (value != JsonToken.VALUE_STRING) {
            throw ServingException.invalidArgument("JSON Value: " + render(json, p)
                    + " not formatted correctly. 'signature_name' key must be a string value.");
        }
        return p.getText();
    }
}
