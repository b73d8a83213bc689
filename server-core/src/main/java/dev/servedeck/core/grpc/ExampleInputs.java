package dev.servedeck.core.grpc;

import dev.servedeck.core.servable.ExampleBatch;
import dev.servedeck.proto.apis.Input;
import java.util.List;
import java.util.Optional;

/** TF Serving's Input (example list, with or without context) as the core's ExampleBatch. */
final class ExampleInputs {

    private ExampleInputs() {
    }

    /** An Input with neither kind set becomes an empty batch, which the core refuses as TF Serving does. */
    static ExampleBatch toBatch(Input input) {
        return switch (input.getKindCase()) {
            case EXAMPLE_LIST -> ExampleBatch.of(input.getExampleList().getExamplesList());
            case EXAMPLE_LIST_WITH_CONTEXT -> new ExampleBatch(
                    input.getExampleListWithContext().getExamplesList(),
                    input.getExampleListWithContext().hasContext()
                            ? Optional.of(input.getExampleListWithContext().getContext())
                            : Optional.empty());
            case KIND_NOT_SET -> ExampleBatch.of(List.of());
        };
    }
}
