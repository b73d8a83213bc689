package dev.servedeck.console.predict;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tensors of an answer as a table of text. Row-format answers ({@code "predictions"}) give one row per
 * instance and a column per output, split into one column per value for short vectors; columnar answers
 * ({@code "outputs"}) give one row per output with its shape and values; classify and regress answers
 * ({@code "results"}) give one row per class or value. Open Inference Protocol answers ({@code "outputs"} as a list
 * of {@code {"name", "datatype", "shape", "data"}}) are laid out by their shapes: as the row format when every
 * output shares its first dimension (the same table as TF Serving's answer to the same request), else one row per
 * output.
 */
public record ResponseTable(List<String> columns, List<List<String>> rows) {

    public static final ResponseTable EMPTY = new ResponseTable(List.of(), List.of());

    /** Vectors up to this length get a column per value (e.g. 10 class probabilities). */
    static final int MAX_SPLIT_VECTOR = 16;
    /** Longer cell texts are cut: the JSON view has the whole answer. */
    static final int MAX_CELL_CHARS = 160;

    public ResponseTable {
        columns = List.copyOf(columns);
        rows = rows.stream().map(List::copyOf).toList();
    }

    public boolean isEmpty() {
        return rows.isEmpty();
    }

    /**
     * @param outputNames the signature's outputs: names the column of a single unnamed output
     */
    static ResponseTable of(JsonNode answer, List<String> outputNames) {
        if (answer == null || !answer.isObject()) {
            return EMPTY;
        }
        String single = outputNames.size() == 1 ? outputNames.get(0) : "value";
        if (answer.path("predictions").isArray()) {
            return rowFormat(answer.get("predictions"), single);
        }
        if (InferOutputs.are(answer.path("outputs"))) {
            return inferOutputs(new InferOutputs(answer.get("outputs")));
        }
        if (answer.has("outputs")) {
            return columnar(answer.get("outputs"), single);
        }
        // TF Serving writes "results" (json_tensor.cc); its REST API page shows "result", so read that too.
        for (String key : List.of("results", "result")) {
            if (answer.path(key).isArray()) {
                return results(answer.get(key));
            }
        }
        return EMPTY;
    }

    private static ResponseTable rowFormat(JsonNode predictions, String singleOutput) {
        List<Map<String, JsonNode>> instances = new ArrayList<>();
        for (JsonNode instance : predictions) {
            Map<String, JsonNode> outputs = new LinkedHashMap<>();
            if (instance.isObject()) {
                instance.properties().forEach(output -> outputs.put(output.getKey(), output.getValue()));
            } else {
                outputs.put(singleOutput, instance);
            }
            instances.add(outputs);
        }
        return rowTable(instances);
    }

    private static ResponseTable inferOutputs(InferOutputs outputs) {
        List<Map<String, JsonNode>> instances = outputs.rows();
        if (!instances.isEmpty()) {
            return rowTable(instances);
        }
        List<List<String>> rows = new ArrayList<>();
        outputs.tensors().forEach((name, tensor) -> rows.add(tensorRow(name, tensor)));
        return new ResponseTable(List.of("output", "shape", "values"), rows);
    }

    /** One row per instance, a column per output (a column per value for short vectors). */
    private static ResponseTable rowTable(List<Map<String, JsonNode>> instances) {
        List<String> names = new ArrayList<>();
        instances.forEach(outputs -> outputs.keySet().stream().filter(name -> !names.contains(name)).forEach(names::add));

        List<String> columns = new ArrayList<>(List.of("#"));
        List<List<String>> rows = new ArrayList<>();
        instances.forEach(outputs -> rows.add(new ArrayList<>(List.of(Integer.toString(rows.size())))));
        for (String name : names) {
            int width = splitWidth(instances, name);
            if (width <= 1) {
                columns.add(name);
            } else {
                for (int i = 0; i < width; i++) {
                    columns.add(name + "[" + i + "]");
                }
            }
            for (int row = 0; row < instances.size(); row++) {
                JsonNode value = instances.get(row).get(name);
                if (width == 0) {
                    rows.get(row).add(value == null ? "" : cell(value));
                } else {
                    for (int i = 0; i < width; i++) {
                        rows.get(row).add(cell(value.get(i)));
                    }
                }
            }
        }
        return new ResponseTable(columns, rows);
    }

    /** The vector length shared by an output in every row (0 when it is not a short vector of scalars). */
    private static int splitWidth(List<Map<String, JsonNode>> instances, String name) {
        int width = -1;
        for (Map<String, JsonNode> outputs : instances) {
            JsonNode value = outputs.get(name);
            if (value == null || !value.isArray() || value.isEmpty() || value.size() > MAX_SPLIT_VECTOR
                    || !JsonText.allScalars(value) || (width >= 0 && width != value.size())) {
                return 0;
            }
            width = value.size();
        }
        return Math.max(width, 0);
    }

    private static ResponseTable columnar(JsonNode outputs, String singleOutput) {
        List<List<String>> rows = new ArrayList<>();
        if (outputs.isObject()) {
            outputs.properties().forEach(output -> rows.add(tensorRow(output.getKey(), output.getValue())));
        } else {
            rows.add(tensorRow(singleOutput, outputs));
        }
        return new ResponseTable(List.of("output", "shape", "values"), rows);
    }

    private static List<String> tensorRow(String name, JsonNode tensor) {
        return List.of(name, shape(tensor).toString(), cell(tensor));
    }

    /** The shape of a nested array, read along its first elements (a scalar is []). */
    static List<Integer> shape(JsonNode tensor) {
        List<Integer> shape = new ArrayList<>();
        JsonNode level = tensor;
        while (level.isArray()) {
            shape.add(level.size());
            if (level.isEmpty()) {
                break;
            }
            level = level.get(0);
        }
        return shape;
    }

    private static ResponseTable results(JsonNode results) {
        boolean classes = false;
        for (JsonNode result : results) {
            classes |= result.isArray();
        }
        List<List<String>> rows = new ArrayList<>();
        for (int example = 0; example < results.size(); example++) {
            JsonNode result = results.get(example);
            String index = Integer.toString(example);
            if (!classes) {
                rows.add(List.of(index, cell(result)));
            } else if (result.isArray()) {
                for (JsonNode labelAndScore : result) {
                    rows.add(List.of(index, cell(labelAndScore.path(0)), cell(labelAndScore.path(1))));
                }
            } else {
                rows.add(List.of(index, "", cell(result)));
            }
        }
        return new ResponseTable(classes ? List.of("#", "class", "score") : List.of("#", "value"), rows);
    }

    /** Numbers and strings as themselves (no quotes), structures as one-line JSON cut to a readable length. */
    static String cell(JsonNode value) {
        if (value == null || value.isMissingNode()) {
            return "";
        }
        String text = value.isValueNode() ? value.asText() : JsonText.inline(value);
        return text.length() <= MAX_CELL_CHARS ? text : text.substring(0, MAX_CELL_CHARS - 1) + "…";
    }

    public int columnCount() {
        return columns.size();
    }

    /** The cell at a row and column ({@code ""} past the end of a short row). */
    public String cell(int row, int column) {
        List<String> cells = rows.get(row);
        return column < cells.size() ? cells.get(column) : "";
    }
}
