package dev.servedeck.core.main;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Request bodies a hostile or broken REST client sends, drawn from a seeded random source: nesting deeper than any
 * limit, numbers no type holds, the wrong type everywhere, broken UTF-8, random keys, valid bodies with bytes
 * flipped, cut short or repeated. The same seed gives the same bodies.
 */
final class HostileJsonBodies {

    private static final List<String> KEYS = List.of("instances", "inputs", "signature_name", "examples", "context",
            "x", "b64", "y", "outputs", "predictions", "", "instances\u0000", "\u00e9t\u00e9");
    private static final List<String> NUMBERS = List.of("0", "-0", "1e400", "-1e400", "1e-400", "NaN", "Infinity",
            "-Infinity", "340282366920938463463374607431768211456", "3.4028235e38", "0.1", "-2147483649",
            "9223372036854775808", "1" + "0".repeat(2000), "0." + "1".repeat(1500), "00", "1.", ".5", "+1", "0x10");
    private static final List<String> VALID = List.of(
            "{\"instances\": [1.0, 2.0, 5.0]}",
            "{\"inputs\": {\"x\": [[1.0], [2.0]]}}",
            "{\"signature_name\": \"serving_default\", \"instances\": [[1.0]]}",
            "{\"signature_name\": \"classify_x_to_y\", \"examples\": [{\"x\": 2.0}], \"context\": {\"y\": [1.0]}}",
            "{\"signature_name\": \"regress_x_to_y\", \"examples\": [{\"x\": 2.0}, {\"x\": 3}]}",
            "{\"instances\": [{\"b64\": \"AAEC\"}]}");

    private final Random random;

    HostileJsonBodies(Random random) {
        this.random = random;
    }

    byte[] next() {
        return switch (random.nextInt(9)) {
            case 0 -> deepNesting();
            case 1 -> utf8("{\"instances\": [" + NUMBERS.get(random.nextInt(NUMBERS.size())) + "]}");
            case 2 -> utf8(value(0));
            case 3 -> brokenUtf8();
            case 4 -> mutated(VALID.get(random.nextInt(VALID.size())).getBytes(StandardCharsets.UTF_8));
            case 5 -> utf8(VALID.get(random.nextInt(VALID.size())));
            case 6 -> utf8("{" + quoted(key()) + ": " + value(1) + ", " + quoted(key()) + ": " + value(1) + "}");
            case 7 -> truncated(utf8(value(0)));
            default -> utf8("{\"instances\": " + value(1) + "}");
        };
    }

    private byte[] deepNesting() {
        int depth = random.nextBoolean() ? 250 + random.nextInt(20) : 1 + random.nextInt(50_000);
        String open = random.nextBoolean() ? "[" : "{\"a\":";
        String close = open.equals("[") ? "]" : "}";
        return utf8("{\"instances\": " + open.repeat(depth) + "1" + close.repeat(random.nextInt(depth + 1)) + "}");
    }

    private String value(int depth) {
        int kind = depth > 6 ? random.nextInt(5) : random.nextInt(8);
        return switch (kind) {
            case 0 -> NUMBERS.get(random.nextInt(NUMBERS.size()));
            case 1 -> quoted(random.nextBoolean() ? key() : "x".repeat(random.nextInt(5000)));
            case 2 -> random.nextBoolean() ? "true" : "false";
            case 3 -> "null";
            case 4 -> "{\"b64\": " + quoted(random.nextBoolean() ? "AAEC" : "!!not base64" + random.nextInt()) + "}";
            case 5, 6 -> array(depth);
            default -> object(depth);
        };
    }

    private String array(int depth) {
        StringBuilder out = new StringBuilder("[");
        int n = random.nextInt(6);
        for (int i = 0; i < n; i++) {
            out.append(i == 0 ? "" : ", ").append(value(depth + 1));
        }
        return out.append(']').toString();
    }

    private String object(int depth) {
        StringBuilder out = new StringBuilder("{");
        int n = random.nextInt(5);
        for (int i = 0; i < n; i++) {
            out.append(i == 0 ? "" : ", ").append(quoted(key())).append(": ").append(value(depth + 1));
        }
        return out.append('}').toString();
    }

    private String key() {
        return random.nextInt(3) == 0 ? "k" + random.nextInt(1_000_000) : KEYS.get(random.nextInt(KEYS.size()));
    }

    private static String quoted(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\u0000", "\\u0000") + "\"";
    }

    private byte[] brokenUtf8() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("{\"signature_name\": \"".getBytes(StandardCharsets.US_ASCII));
        byte[][] broken = {{(byte) 0xC3, 0x28}, {(byte) 0xFF}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
            {(byte) 0xF0, (byte) 0x9F}, {(byte) 0xC0, (byte) 0xAF}};
        out.writeBytes(broken[random.nextInt(broken.length)]);
        out.writeBytes("\", \"instances\": [\"".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(broken[random.nextInt(broken.length)]);
        out.writeBytes("\"]}".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    private byte[] mutated(byte[] body) {
        byte[] copy = body.clone();
        int flips = 1 + random.nextInt(4);
        for (int i = 0; i < flips; i++) {
            copy[random.nextInt(copy.length)] = (byte) random.nextInt(256);
        }
        return copy;
    }

    private byte[] truncated(byte[] body) {
        return Arrays.copyOf(body, body.length == 0 ? 0 : random.nextInt(body.length));
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
