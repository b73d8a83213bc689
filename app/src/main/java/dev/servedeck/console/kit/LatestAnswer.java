package dev.servedeck.console.kit;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;

/**
 * A read whose question changes as the operator clicks (the signatures of the chosen model, the template of
 * the chosen target): each {@link #ask} supersedes the one before, and an answer that arrives after a newer
 * question was asked is dropped. Without this a slow server's late answer for the previous model would
 * overwrite the answer for the model chosen now.
 *
 * <p>Call on the FX thread; answers are handed over on it, through {@code ui}.
 */
public final class LatestAnswer<T> {

    private final Executor ui;
    private final ReadOnlyBooleanWrapper loading = new ReadOnlyBooleanWrapper(false);
    /** Counts questions: an answer carries the number of its question and counts only if it is still the last. */
    private long asked;

    public LatestAnswer(Executor ui) {
        this.ui = ui;
    }

    /**
     * Asks {@code read}; exactly one of {@code onAnswer} or {@code onFailure} runs on the FX thread, unless a
     * newer question (or {@link #cancel}) came first. A read that throws counts as a failure.
     */
    public void ask(Supplier<CompletableFuture<T>> read, Consumer<? super T> onAnswer,
            Consumer<Throwable> onFailure) {
        long ticket = ++asked;
        loading.set(true);
        CompletableFuture<T> answer;
        try {
            answer = read.get();
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        answer.whenComplete((value, error) -> ui.execute(() -> {
            if (ticket != asked) {
                return; // superseded: a newer question's answer is (or will be) shown
            }
            loading.set(false);
            if (error == null) {
                onAnswer.accept(value);
            } else {
                onFailure.accept(error);
            }
        }));
    }

    /** Drops the answer of the question in flight, if any (nothing to ask now). */
    public void cancel() {
        asked++;
        loading.set(false);
    }

    /** True from a question until its answer (or a newer question's); false after {@link #cancel}. */
    public ReadOnlyBooleanProperty loadingProperty() {
        return loading.getReadOnlyProperty();
    }

    public boolean isLoading() {
        return loading.get();
    }
}
