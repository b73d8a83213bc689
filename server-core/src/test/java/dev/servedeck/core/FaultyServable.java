package dev.servedeck.core;

import dev.servedeck.core.servable.Classification;
import dev.servedeck.core.servable.ExampleBatch;
import dev.servedeck.core.servable.Servable;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorProto;

/**
 * A real servable with a fault the test can switch on: while {@code fault} holds a supplier, every model call
 * throws what it supplies (an Error, typically) instead of running.
 */
final class FaultyServable implements Servable {

    private final Servable real;
    private final AtomicReference<Supplier<? extends Throwable>> fault;
    private final AtomicInteger runs = new AtomicInteger();
    private final AtomicInteger closes = new AtomicInteger();

    FaultyServable(Servable real, AtomicReference<Supplier<? extends Throwable>> fault) {
        this.real = real;
        this.fault = fault;
    }

    /** Model calls so far, faulty ones included (one per batch when batched). */
    int runs() {
        return runs.get();
    }

    boolean closed() {
        return closes.get() > 0;
    }

    @Override
    public Map<String, SignatureDef> signatureDefs() {
        return real.signatureDefs();
    }

    @Override
    public Map<String, TensorProto> predict(String signatureName, Map<String, TensorProto> inputs, Set<String> outputFilter) {
        maybeFail();
        return real.predict(signatureName, inputs, outputFilter);
    }

    @Override
    public List<List<Classification>> classify(String signatureName, ExampleBatch input) {
        maybeFail();
        return real.classify(signatureName, input);
    }

    @Override
    public List<Float> regress(String signatureName, ExampleBatch input) {
        maybeFail();
        return real.regress(signatureName, input);
    }

    private void maybeFail() {
        runs.incrementAndGet();
        Supplier<? extends Throwable> failure = fault.get();
        if (failure != null) {
            throwUnchecked(failure.get());
        }
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> void throwUnchecked(Throwable failure) throws T {
        throw (T) failure;
    }

    @Override
    public void close() {
        closes.incrementAndGet();
        real.close();
    }
}
