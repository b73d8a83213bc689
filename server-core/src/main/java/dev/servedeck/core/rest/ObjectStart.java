package dev.servedeck.core.rest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * What a JSON object turned out to be after reading just far enough to tell: a binary string
 * ({@code {"b64": "..."}}, exactly one key) or an object of named values. TF Serving decides the same
 * way (IsValBase64Object), and a streaming parser cannot look back, so the tokens read ahead travel here.
 *
 * @param base64 the b64 text when the object is a binary string, or when a named-values object began
 *     with a string under the key "b64" (then the parser is on the next field name)
 * @param isBase64 the object was exactly {@code {"b64": "..."}}; the parser is on its END_OBJECT
 * @param b64ValuePending a named-values object began with the key "b64" whose (non-string) value is the
 *     parser's current token
 */
record ObjectStart(String base64, boolean isBase64, boolean b64ValuePending) {

    private static final ObjectStart FIELDS = new ObjectStart(null, false, false);
    private static final ObjectStart B64_VALUE_PENDING = new ObjectStart(null, false, true);

    /** Reads on from a START_OBJECT. Otherwise the parser is left on the first field name or END_OBJECT. */
    static ObjectStart peek(JsonParser p) throws IOException {
        JsonToken token = p.nextToken();
        if (token != JsonToken.FIELD_NAME || !"b64".equals(p.currentName())) {
            return FIELDS;
        }
        if (p.nextToken() != JsonToken.VALUE_STRING) {
            return B64_VALUE_PENDING;
        }
        String text = p.getText();
        return new ObjectStart(text, p.nextToken() == JsonToken.END_OBJECT, false);
    }

    boolean b64StringPending() {
        return base64 != null && !isBase64;
    }
}
