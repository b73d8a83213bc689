package dev.servedeck.core.rest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;

/** Builds the one Jackson factory a REST server shares: thread-safe, so every request reuses its buffers. */
final class RestJsonFactory {

    private RestJsonFactory() {
    }

    static JsonFactory create() {
        return JsonFactory.builder()
                // TF Serving (rapidjson kParseNanAndInfFlag) reads and writes NaN, Infinity, -Infinity as bare tokens.
                .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                .disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
                .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
                // Schubfach: the shortest representation that round-trips, on Java 17 too.
                .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
                // The HTTP layer already bounds the body; a single b64 image may well exceed Jackson's 20 MB default.
                .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build())
                .build();
    }
}
