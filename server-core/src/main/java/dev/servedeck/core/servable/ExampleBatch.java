package dev.servedeck.core.servable;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.tensorflow.proto.Example;

/**
 * The input of Classify and Regress: tf.Examples and an optional context example whose features every
 * example shares (TF Serving's ExampleList / ExampleListWithContext).
 */
public record ExampleBatch(List<Example> examples, Optional<Example> context) {

    public ExampleBatch {
        examples = List.copyOf(Objects.requireNonNull(examples, "examples"));
        Objects.requireNonNull(context, "context");
    }

    public static ExampleBatch of(List<Example> examples) {
        return new ExampleBatch(examples, Optional.empty());
    }
}
