package dev.servedeck.core.metrics;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict parser of the Prometheus text exposition format 0.0.4 (and of OpenMetrics text, which ends
 * with {@code # EOF}), for tests: it rejects anything a scraper would, and checks what a family promises
 * (HELP/TYPE before its samples, samples of a family together, histogram buckets cumulative and ending
 * with {@code +Inf} equal to {@code _count}).
 */
final class PrometheusTextParser {

    private static final String NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
    private static final Pattern HELP = Pattern.compile("# HELP (" + NAME + ") (.*)");
    private static final Pattern TYPE = Pattern.compile(
            "# TYPE (" + NAME + ") (counter|gauge|histogram|summary|untyped|unknown|info|stateset|gaugehistogram)");
    private static final Pattern UNIT = Pattern.compile("# UNIT (" + NAME + ") [a-zA-Z0-9_:]+");
    private static final Pattern SAMPLE = Pattern.compile("(" + NAME + ")(\\{(.*)})? (\\S+)( -?\\d+)?");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\[\\\\\"n])*)\"");

    record Sample(String name, Map<String, String> labels, double value) {
    }

    record Exposition(Map<String, String> types, List<Sample> samples) {

        /** The samples of one series name whose labels include all of {@code labels}. */
        List<Sample> find(String name, Map<String, String> labels) {
            return samples.stream()
                    .filter(s -> s.name().equals(name) && s.labels().entrySet().containsAll(labels.entrySet()))
                    .toList();
        }

        /** The single value of a series, 0 when absent. */
        double value(String name, Map<String, String> labels) {
            List<Sample> found = find(name, labels);
            if (found.size() > 1) {
                throw new AssertionError("more than one " + name + labels + ": " + found);
            }
            return found.isEmpty() ? 0 : found.get(0).value();
        }
    }

    static Exposition parse(String text, boolean openMetrics) {
        Map<String, String> types = new LinkedHashMap<>();
        List<Sample> samples = new ArrayList<>();
        Set<String> closedFamilies = new HashSet<>();
        String currentFamily = null;
        String[] lines = text.split("\n", -1);
        int last = lines.length - 1;
        if (!lines[last].isEmpty()) {
            throw new IllegalArgumentException("the exposition must end with a newline");
        }
        for (int i = 0; i < last; i++) {
            String line = lines[i];
            if (openMetrics && line.equals("# EOF")) {
                if (i != last - 1) {
                    throw new IllegalArgumentException("# EOF before the end, line " + (i + 1));
                }
                return check(new Exposition(types, samples));
            }
            Matcher help = HELP.matcher(line);
            Matcher type = TYPE.matcher(line);
            Matcher unit = UNIT.matcher(line);
            String family;
            if (help.matches()) {
                family = help.group(1);
            } else if (openMetrics && unit.matches()) {
                family = unit.group(1);
            } else if (type.matches()) {
                family = type.group(1);
                if (types.put(family, type.group(2)) != null) {
                    throw new IllegalArgumentException("second TYPE for " + family);
                }
            } else {
                Matcher sample = SAMPLE.matcher(line);
                if (!sample.matches()) {
                    throw new IllegalArgumentException("malformed line " + (i + 1) + ": " + line);
                }
                String name = sample.group(1);
                family = familyOf(name, types);
                samples.add(new Sample(name, labels(sample.group(3), line), value(sample.group(4), line)));
            }
            if (!family.equals(currentFamily)) {
                if (closedFamilies.contains(family)) {
                    throw new IllegalArgumentException("family " + family + " is split, line " + (i + 1));
                }
                if (currentFamily != null) {
                    closedFamilies.add(currentFamily);
                }
                currentFamily = family;
            }
        }
        if (openMetrics) {
            throw new IllegalArgumentException("OpenMetrics text must end with # EOF");
        }
        return check(new Exposition(types, samples));
    }

    private static String familyOf(String sampleName, Map<String, String> types) {
        if (types.containsKey(sampleName)) {
            return sampleName;
        }
        for (String suffix : List.of("_bucket", "_count", "_sum", "_total", "_created", "_info")) {
            if (sampleName.endsWith(suffix)) {
                String base = sampleName.substring(0, sampleName.length() - suffix.length());
                if (types.containsKey(base)) {
                    return base;
                }
            }
        }
        throw new IllegalArgumentException("sample " + sampleName + " has no TYPE before it");
    }

    private static Map<String, String> labels(String text, String line) {
        Map<String, String> labels = new LinkedHashMap<>();
        if (text == null || text.isEmpty()) {
            return labels;
        }
        Matcher label = LABEL.matcher(text);
        int at = 0;
        while (at < text.length()) {
            if (!label.find(at) || label.start() != at) {
                throw new IllegalArgumentException("malformed labels in: " + line);
            }
            if (labels.put(label.group(1), label.group(2).replace("\\\"", "\"").replace("\\n", "\n")
                    .replace("\\\\", "\\")) != null) {
                throw new IllegalArgumentException("duplicate label in: " + line);
            }
            at = label.end();
            if (at < text.length()) {
                if (text.charAt(at) != ',') {
                    throw new IllegalArgumentException("malformed labels in: " + line);
                }
                at++;
            }
        }
        return labels;
    }

    private static double value(String text, String line) {
        return switch (text) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> {
                try {
                    yield Double.parseDouble(text);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("malformed value in: " + line);
                }
            }
        };
    }

    /** Histogram series: buckets ascending, cumulative, ending at +Inf with the _count. */
    private static Exposition check(Exposition exposition) {
        exposition.types().forEach((family, type) -> {
            if (!type.equals("histogram")) {
                return;
            }
            Map<Map<String, String>, List<Sample>> series = new LinkedHashMap<>();
            for (Sample s : exposition.samples()) {
                if (s.name().equals(family + "_bucket")) {
                    Map<String, String> key = new LinkedHashMap<>(s.labels());
                    key.remove("le");
                    series.computeIfAbsent(key, k -> new ArrayList<>()).add(s);
                }
            }
            series.forEach((labels, buckets) -> {
                double previousBound = Double.NEGATIVE_INFINITY;
                double previousCount = 0;
                for (Sample bucket : buckets) {
                    double bound = value(bucket.labels().get("le"), bucket.toString());
                    if (bound <= previousBound || bucket.value() < previousCount) {
                        throw new IllegalArgumentException("buckets not ascending and cumulative: " + buckets);
                    }
                    previousBound = bound;
                    previousCount = bucket.value();
                }
                if (previousBound != Double.POSITIVE_INFINITY) {
                    throw new IllegalArgumentException("no +Inf bucket: " + family + labels);
                }
                if (exposition.value(family + "_count", labels) != previousCount) {
                    throw new IllegalArgumentException("+Inf bucket differs from _count: " + family + labels);
                }
            });
        });
        return exposition;
    }
}
