package dev.servedeck.core.lifecycle;

import dev.servedeck.core.servable.Servable;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;

/** A loader that fails its first {@code failures} attempts ("attempt N failed"), then loads. */
final class FlakyLoader implements Loader {

    private final int failures;
    private final FakeServable servable = new FakeServable("flaky");
    private final AtomicInteger attempts = new AtomicInteger();

    FlakyLoader(int failures) {
        this.failures = failures;
    }

    static FlakyLoader alwaysFailing() {
        return new FlakyLoader(Integer.MAX_VALUE);
    }

    int attempts() {
        return attempts.get();
    }

    FakeServable servable() {
        return servable;
    }

    @Override
    public Servable load() throws IOException {
        int attempt = attempts.incrementAndGet();
        if (attempt <= failures) {
            throw new IOException("attempt " + attempt + " failed");
        }
        return servable;
    }
}
