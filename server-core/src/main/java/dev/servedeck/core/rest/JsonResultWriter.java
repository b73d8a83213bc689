package dev.servedeck.core.rest;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.servedeck.core.ClassifyResult;
import dev.servedeck.core.RegressResult;
import dev.servedeck.core.servable.Classification;
import dev.servedeck.core.status.ServingException;
import java.io.IOException;
import java.util.List;

/** Classify and regress answers in TF Serving's shape: {@code {"results": ...}}. */
final class JsonResultWriter {

    /** {@code {"results": [[["label", score], ...], ...]}}: one list of (label, score) pairs per example. */
    void write(JsonGenerator g, ClassifyResult result) throws IOException {
        if (result.results().isEmpty()) {
            throw ServingException.invalidArgument("Cannot convert empty ClassificationResults to JSON");
        }
        g.writeStartObject();
        g.writeFieldName("results");
        g.writeStartArray();
        for (List<Classification> classes : result.results()) {
            g.writeStartArray();
            for (Classification classification : classes) {
                g.writeStartArray();
                g.writeString(classification.label());
                g.writeNumber(classification.score());
                g.writeEndArray();
            }
            g.writeEndArray();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    /** {@code {"results": [value, ...]}}: one value per example. */
    void write(JsonGenerator g, RegressResult result) throws IOException {
        if (result.results().isEmpty()) {
            throw ServingException.invalidArgument("Cannot convert empty RegressionResults to JSON");
        }
        g.writeStartObject();
        g.writeFieldName("results");
        g.writeStartArray();
        for (Float value : result.results()) {
            g.writeNumber(value);
        }
        g.writeEndArray();
        g.writeEndObject();
    }
}
