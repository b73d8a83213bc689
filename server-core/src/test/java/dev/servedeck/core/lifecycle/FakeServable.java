package dev.servedeck.core.lifecycle;

import dev.servedeck.core.servable.Classification;
import dev.servedeck.core.servable.ExampleBatch;
import dev.servedeck.core.servable.Servable;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorProto;

/** A servable that answers nothing and counts how often it is closed. */
public final class FakeServable implements Servable {

    private final String label;
    private final Runnable onPredict;
    private final AtomicInteger closeCount = new AtomicInteger();

    public FakeServable(String label) {
        this(label, () -> { });
    }

    /** @param onPredict run on every Predict call (to observe what surrounds the call) */
    public FakeServable(String label, Runnable onPredict) {
        this.label = label;
        this.onPredict = onPredict;
    }

    public int closeCount() {
        return closeCount.get();
    }

    public boolean closed() {
        return closeCount.get() > 0;
    }

    @Override
    public Map<String, SignatureDef> signatureDefs() {
        return Map.of();
    }

    @Override
    public Map<String, TensorProto> predict(String signatureName, Map<String, TensorProto> inputs, Set<String> outputFilter) {
        onPredict.run();
        return Map.of();
    }

    @Override
    public List<List<Classification>> classify(String signatureName, ExampleBatch input) {
        return List.of();
    }

    @Override
    public List<Float> regress(String signatureName, ExampleBatch input) {
        return List.of();
    }

    @Override
    public void close() {
        closeCount.incrementAndGet();
    }

    @Override
    public String toString() {
        return "FakeServable[" + label + "]";
    }
}
