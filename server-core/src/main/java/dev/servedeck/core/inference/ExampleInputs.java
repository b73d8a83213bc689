package dev.servedeck.core.inference;

import dev.servedeck.core.servable.ExampleBatch;
import dev.servedeck.proto.apis.ExampleList;
import dev.servedeck.proto.apis.ExampleListWithContext;
import dev.servedeck.proto.apis.Input;
import java.util.List;
import java.util.Optional;

/**
 * TF Serving's Input (example list, with or without context) as the core's ExampleBatch and back: one rule
 * for the gRPC front end, warmup replay and warmup recording.
 */
public final class ExampleInputs {

    private ExampleInputs() {
    }

    /** An Input with neither kind set becomes an empty batch, which the core refuses as TF Serving does. */
    public static ExampleBatch toBatch(Input input) {
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

    /** The Input a client would have sent for {@code batch}: with context only when the batch has one. */
    public static Input toInput(ExampleBatch batch) {
        if (batch.context().isEmpty()) {
            return Input.newBuilder().setExampleList(ExampleList.newBuilder().addAllExamples(batch.examples())).build();
        }
        return Input.newBuilder().setExampleListWithContext(ExampleListWithContext.newBuilder()
                .addAllExamples(batch.examples()).setContext(batch.context().get())).build();
    }
}
