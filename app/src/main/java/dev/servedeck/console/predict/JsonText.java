package dev.servedeck.console.predict;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * JSON as the Predict page reads and shows it: strict parsing with the line and column of a mistake, and a
 * layout that stays readable for tensors (a vector on one line, not one number per line; very large
 * values compacted onto one line).
 */
final class JsonText {

    /** Lines longer than this are broken at array and object elements where the structure allows it. */
    static final int LINE_WIDTH = 80;
    /** Arrays with more numbers than this are written compactly on one line rather than spread out. */
    static final int LARGE_ARRAY = 1000;

    // Exact decimals: a pretty-printed answer shows the numbers the server wrote, not their double rounding.
    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();

    private JsonText() {
    }

    /** A parsed document, or the reason it is not one (with line and column). */
    record Parsed(Optional<JsonNode> node, String problem) {

        static Parsed of(JsonNode node) {
            return new Parsed(Optional.of(node), "");
        }

        static Parsed problem(String problem) {
            return new Parsed(Optional.empty(), problem);
        }

        boolean ok() {
            return node.isPresent();
        }
    }

    static Parsed parse(String text) {
        if (text == null || text.isBlank()) {
            return Parsed.problem("The document is empty");
        }
        try {
            return Parsed.of(MAPPER.readTree(text));
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : "Line " + at.getLineNr() + ", column " + at.getColumnNr() + ": ";
            return Parsed.problem(where + firstLine(e.getOriginalMessage()));
        }
    }

    private static String firstLine(String message) {
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    /** One line, no spaces: what goes over the wire and into a curl command. */
    static String compact(JsonNode node) {
        return node.toString();
    }

    /** Indented for people: objects one member per line, short or numeric arrays on one line. */
    static String layout(JsonNode node) {
        StringBuilder out = new StringBuilder();
        write(node, "", out);
        return out.toString();
    }

    private static void write(JsonNode node, String indent, StringBuilder out) {
        if (node.isObject() && !node.isEmpty()) {
            String inner = indent + "  ";
            out.append("{\n");
            Iterator<Map.Entry<String, JsonNode>> fields = node.properties().iterator();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                out.append(inner).append(TextNode.valueOf(field.getKey())).append(": ");
                write(field.getValue(), inner, out);
                out.append(fields.hasNext() ? ",\n" : "\n");
            }
            out.append(indent).append('}');
        } else if (node.isArray() && !node.isEmpty()) {
            writeArray(node, indent, out);
        } else {
            out.append(node);
        }
    }

    private static void writeArray(JsonNode array, String indent, StringBuilder out) {
        long leaves = leafCount(array);
        if (leaves > LARGE_ARRAY) {
            out.append(compact(array));
            return;
        }
        String line = inline(array);
        if (line.length() <= LINE_WIDTH || allScalars(array)) {
            out.append(line);
            return;
        }
        String inner = indent + "  ";
        out.append("[\n");
        for (int i = 0; i < array.size(); i++) {
            out.append(inner);
            write(array.get(i), inner, out);
            out.append(i + 1 < array.size() ? ",\n" : "\n");
        }
        out.append(indent).append(']');
    }

    /** One line with a space after each comma and colon. */
    static String inline(JsonNode node) {
        StringBuilder out = new StringBuilder();
        appendInline(node, out);
        return out.toString();
    }

    private static void appendInline(JsonNode node, StringBuilder out) {
        if (node.isArray()) {
            out.append('[');
            for (int i = 0; i < node.size(); i++) {
                if (i > 0) {
                    out.append(", ");
                }
                appendInline(node.get(i), out);
            }
            out.append(']');
        } else if (node.isObject()) {
            out.append('{');
            Iterator<Map.Entry<String, JsonNode>> fields = node.properties().iterator();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                out.append(TextNode.valueOf(field.getKey())).append(": ");
                appendInline(field.getValue(), out);
                if (fields.hasNext()) {
                    out.append(", ");
                }
            }
            out.append('}');
        } else {
            out.append(node);
        }
    }

    static boolean allScalars(JsonNode array) {
        for (JsonNode element : array) {
            if (element.isContainerNode()) {
                return false;
            }
        }
        return true;
    }

    static long leafCount(JsonNode node) {
        if (!node.isContainerNode()) {
            return 1;
        }
        long count = 0;
        for (JsonNode element : node) {
            count += leafCount(element);
        }
        return count;
    }
}
