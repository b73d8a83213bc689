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

    /**
     * TF Serving 2.22's cap on JSON nesting (its rapidjson reader's kParseMaxDepth): deeper is refused before it
     * can cost a deep recursion. Tensors of rank 256 do not exist; objects nest two or three levels around them.
     */
    static final int MAX_NESTING_DEPTH = 256;

    /** A factory for the default body limit (tests, tools). */
    static JsonFactory create() {
        return create(RestOptions.DEFAULT_MAX_BODY_BYTES);
    }

    /**
     * @param maxBodyBytes the REST body limit, which also bounds a single string value (a b64 image may well
     *     exceed Jackson's 20 MB default, yet can never exceed the body it arrives in)
     */
    static JsonFactory create(int maxBodyBytes) {
        return JsonFactory.builder()
                // TF Serving (rapidjson kParseNanAndInfFlag) reads and writes NaN, Infinity, -Infinity as bare tokens.
                .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                .disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
                .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
                // Schubfach: the shortest representation that round-trips, on Java 17 too.
                .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
                // Jackson's other defaults stay: numbers of at most 1000 digits, names of at most 50000 characters.
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(MAX_NESTING_DEPTH)
                        .maxStringLength(maxBodyBytes)
                        .build())
                .build();
    }
}
