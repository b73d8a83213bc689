package dev.servedeck.console.batching;

import dev.servedeck.core.batching.BatchingOptions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * What the Batching page's form holds, as typed, and the rules that turn it into {@link BatchingOptions}.
 * Every rule names the field it concerns, so the page shows each message next to its field before anything
 * is sent; {@link BatchingOptions}' own checks run last, so a rule missed here still cannot reach the server.
 *
 * @param texts the text of every {@link BatchingField}
 * @param adaptiveBatchTimeout ServeDeck's own switch (see {@link BatchingOptions#adaptiveBatchTimeout()})
 * @param threadPoolName carried through unchanged (read-only on the page)
 */
public record BatchingForm(Map<BatchingField, String> texts, boolean padVariableLengthInputs,
        boolean enableLargeBatchSplitting, boolean adaptiveBatchTimeout, String threadPoolName) {

    public BatchingForm {
        EnumMap<BatchingField, String> copy = new EnumMap<>(BatchingField.class);
        for (BatchingField field : BatchingField.values()) {
            copy.put(field, Objects.requireNonNullElse(texts.get(field), ""));
        }
        texts = Collections.unmodifiableMap(copy);
        Objects.requireNonNull(threadPoolName, "threadPoolName");
    }

    /** The form showing {@code options}. */
    public static BatchingForm of(BatchingOptions options) {
        Map<BatchingField, String> texts = new EnumMap<>(BatchingField.class);
        texts.put(BatchingField.MAX_BATCH_SIZE, Integer.toString(options.maxBatchSize()));
        texts.put(BatchingField.BATCH_TIMEOUT_MICROS, Long.toString(options.batchTimeoutMicros()));
        texts.put(BatchingField.MAX_ENQUEUED_BATCHES, Long.toString(options.maxEnqueuedBatches()));
        texts.put(BatchingField.NUM_BATCH_THREADS, Integer.toString(options.numBatchThreads()));
        texts.put(BatchingField.ALLOWED_BATCH_SIZES, formatSizes(options.allowedBatchSizes()));
        texts.put(BatchingField.MAX_EXECUTION_BATCH_SIZE, Integer.toString(options.maxExecutionBatchSize()));
        return new BatchingForm(texts, options.padVariableLengthInputs(), options.enableLargeBatchSplitting(),
                options.adaptiveBatchTimeout(), options.threadPoolName());
    }

    static String formatSizes(List<Integer> sizes) {
        return sizes.stream().map(String::valueOf).collect(Collectors.joining(", "));
    }

    public String text(BatchingField field) {
        return texts.get(field);
    }

    /** The outcome of checking a form: options to send, or what is wrong with it. */
    public sealed interface Validation permits Valid, Invalid {
    }

    public record Valid(BatchingOptions options) implements Validation {
    }

    /**
     * @param fieldErrors a message per field that is wrong
     * @param formError a problem no single field owns (empty when every problem has a field)
     */
    public record Invalid(Map<BatchingField, String> fieldErrors, String formError) implements Validation {

        public Invalid {
            EnumMap<BatchingField, String> copy = new EnumMap<>(BatchingField.class);
            copy.putAll(fieldErrors);
            fieldErrors = Collections.unmodifiableMap(copy);
            Objects.requireNonNull(formError, "formError");
        }
    }

    /** Checks every field; the options only when all of them are right. */
    public Validation validate() {
        Map<BatchingField, String> errors = new EnumMap<>(BatchingField.class);
        Long maxBatchSize = number(BatchingField.MAX_BATCH_SIZE, 1, Integer.MAX_VALUE, errors);
        Long timeout = number(BatchingField.BATCH_TIMEOUT_MICROS, 0, Long.MAX_VALUE, errors);
        Long enqueued = number(BatchingField.MAX_ENQUEUED_BATCHES, 1, Long.MAX_VALUE, errors);
        Long threads = number(BatchingField.NUM_BATCH_THREADS, 1, BatchingOptions.MAX_BATCH_THREADS, errors);
        Long executionSize = null;
        if (enableLargeBatchSplitting) {
            executionSize = maxBatchSize == null
                    ? number(BatchingField.MAX_EXECUTION_BATCH_SIZE, 1, Integer.MAX_VALUE, errors)
                    : number(BatchingField.MAX_EXECUTION_BATCH_SIZE, 1, maxBatchSize,
                            "from 1 to max_batch_size (" + maxBatchSize + ")", errors);
        }
        // The largest batch that runs, which the last allowed size must equal; unknown while its field is wrong.
        Long limit = enableLargeBatchSplitting ? executionSize : maxBatchSize;
        List<Integer> allowed = allowedSizes(limit, errors);
        if (!errors.isEmpty()) {
            return new Invalid(errors, "");
        }
        try {
            return new Valid(new BatchingOptions(maxBatchSize.intValue(), timeout, enqueued, threads.intValue(),
                    threadPoolName, allowed, padVariableLengthInputs, enableLargeBatchSplitting,
                    enableLargeBatchSplitting ? executionSize.intValue() : maxBatchSize.intValue(),
                    adaptiveBatchTimeout));
        } catch (IllegalArgumentException e) {
            return new Invalid(Map.of(), e.getMessage());
        }
    }

    /** A whole number in {@code [min, max]}, or null with a message for the field. */
    private Long number(BatchingField field, long min, long max, Map<BatchingField, String> errors) {
        String range = max == Long.MAX_VALUE
                ? (min == 0 ? "0 or more" : "at least " + min)
                : "from " + min + " to " + max;
        return number(field, min, max, range, errors);
    }

    private Long number(BatchingField field, long min, long max, String range, Map<BatchingField, String> errors) {
        String text = text(field).trim();
        if (text.isEmpty()) {
            errors.put(field, field.protoName() + " is required: a whole number, " + range);
            return null;
        }
        long value;
        try {
            value = Long.parseLong(text);
        } catch (NumberFormatException e) {
            errors.put(field, field.protoName() + " must be a whole number, " + range + ", not '" + text + "'");
            return null;
        }
        if (value < min || value > max) {
            errors.put(field, field.protoName() + " must be " + range + ", was " + value);
            return null;
        }
        return value;
    }

    private List<Integer> allowedSizes(Long limit, Map<BatchingField, String> errors) {
        BatchingField field = BatchingField.ALLOWED_BATCH_SIZES;
        String text = text(field).trim();
        List<Integer> sizes = new ArrayList<>();
        if (text.isEmpty()) {
            return sizes;
        }
        for (String part : text.split("[,\\s]+")) {
            if (part.isEmpty()) {
                continue;
            }
            int size;
            try {
                size = Integer.parseInt(part);
            } catch (NumberFormatException e) {
                errors.put(field, "allowed_batch_sizes must be whole numbers separated by commas, not '" + part + "'");
                return sizes;
            }
            if (size < 1 || (!sizes.isEmpty() && size <= sizes.get(sizes.size() - 1))) {
                errors.put(field, "allowed_batch_sizes must be positive and increasing, was " + text);
                return sizes;
            }
            sizes.add(size);
        }
        if (limit != null && !sizes.isEmpty() && sizes.get(sizes.size() - 1) != limit.intValue()) {
            String limitName = enableLargeBatchSplitting ? "max_execution_batch_size" : "max_batch_size";
            errors.put(field, "The last of allowed_batch_sizes (" + sizes.get(sizes.size() - 1) + ") must equal "
                    + limitName + " (" + limit + ")");
        }
        return sizes;
    }
}
