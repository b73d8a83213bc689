package dev.servedeck.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A Markdown table padded into columns, so the same text reads well on a terminal and on a web page. */
final class MarkdownTable {

    private final List<String> headers;
    private final List<List<String>> rows = new ArrayList<>();

    MarkdownTable(String... headers) {
        this.headers = List.of(headers);
    }

    MarkdownTable row(Object... cells) {
        if (cells.length != headers.size()) {
            throw new IllegalArgumentException("Expected " + headers.size() + " cells, got " + Arrays.toString(cells));
        }
        rows.add(Arrays.stream(cells).map(String::valueOf).toList());
        return this;
    }

    String render() {
        int[] widths = new int[headers.size()];
        for (List<String> line : allLines()) {
            for (int column = 0; column < widths.length; column++) {
                widths[column] = Math.max(Math.max(widths[column], line.get(column).length()), 3);
            }
        }
        StringBuilder text = new StringBuilder();
        appendLine(text, headers, widths);
        List<String> rule = Arrays.stream(widths).mapToObj("-"::repeat).toList();
        appendLine(text, rule, widths);
        rows.forEach(row -> appendLine(text, row, widths));
        return text.toString();
    }

    private List<List<String>> allLines() {
        List<List<String>> lines = new ArrayList<>(rows);
        lines.add(headers);
        return lines;
    }

    private static void appendLine(StringBuilder text, List<String> cells, int[] widths) {
        text.append('|');
        for (int column = 0; column < widths.length; column++) {
            text.append(' ').append(String.format("%-" + widths[column] + "s", cells.get(column))).append(" |");
        }
        text.append('\n');
    }
}
