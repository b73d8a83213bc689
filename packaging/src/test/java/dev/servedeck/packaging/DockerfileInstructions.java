package dev.servedeck.packaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Dockerfile read just far enough to cross-check it with the layout and the manifests: instructions with
 * continuation lines joined and comments dropped. The linters check the syntax.
 */
record DockerfileInstructions(List<Instruction> instructions) {

    record Instruction(String keyword, String arguments) {
    }

    private static final Pattern ENV_PAIR = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=(\"[^\"]*\"|\\S+)");

    static DockerfileInstructions read(Path dockerfile) throws IOException {
        List<Instruction> instructions = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : Files.readAllLines(dockerfile, StandardCharsets.UTF_8)) {
            String trimmed = line.strip();
            if (trimmed.startsWith("#") || (trimmed.isEmpty() && current.length() == 0)) {
                continue;
            }
            if (trimmed.endsWith("\\")) {
                current.append(trimmed, 0, trimmed.length() - 1).append(' ');
                continue;
            }
            current.append(trimmed);
            String text = current.toString().strip();
            current.setLength(0);
            if (text.isEmpty()) {
                continue;
            }
            int space = text.indexOf(' ');
            instructions.add(new Instruction(text.substring(0, space < 0 ? text.length() : space).toUpperCase(Locale.ROOT),
                    space < 0 ? "" : text.substring(space + 1).strip()));
        }
        return new DockerfileInstructions(instructions);
    }

    List<String> all(String keyword) {
        return instructions.stream().filter(i -> i.keyword().equals(keyword)).map(Instruction::arguments).toList();
    }

    /** The last instruction with this keyword (the one in force in the final stage). */
    String last(String keyword) {
        List<String> found = all(keyword);
        if (found.isEmpty()) {
            throw new AssertionError("no " + keyword + " in the Dockerfile");
        }
        return found.get(found.size() - 1);
    }

    /** Instructions after the last FROM: the runtime image. */
    DockerfileInstructions finalStage() {
        int lastFrom = 0;
        for (int i = 0; i < instructions.size(); i++) {
            if (instructions.get(i).keyword().equals("FROM")) {
                lastFrom = i;
            }
        }
        return new DockerfileInstructions(instructions.subList(lastFrom, instructions.size()));
    }

    /** ENV key=value pairs of this stage, quotes removed. */
    Map<String, String> env() {
        Map<String, String> env = new LinkedHashMap<>();
        for (String arguments : all("ENV")) {
            Matcher pair = ENV_PAIR.matcher(arguments);
            while (pair.find()) {
                String value = pair.group(2);
                env.put(pair.group(1), value.startsWith("\"") ? value.substring(1, value.length() - 1) : value);
            }
        }
        return env;
    }

    /** An exec-form (JSON array) instruction's words. */
    static List<String> execForm(String arguments) throws IOException {
        JsonNode array = new ObjectMapper().readTree(arguments);
        if (!array.isArray()) {
            throw new AssertionError("not exec form: " + arguments);
        }
        List<String> words = new ArrayList<>();
        array.forEach(word -> words.add(word.asText()));
        return words;
    }
}
