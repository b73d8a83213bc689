package dev.servedeck.core.grpc.admin;

import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A client side of a server stream that keeps what arrives, with manual flow control: it asks for {@code initial}
 * messages, then only when the test says so, as a client that stops reading does.
 */
final class StreamRecorder<Q, M> implements ClientResponseObserver<Q, M> {

    private final int initial;
    private final LinkedBlockingQueue<M> received = new LinkedBlockingQueue<>();
    private final CompletableFuture<Status> ended = new CompletableFuture<>();
    private volatile ClientCallStreamObserver<Q> call;

    StreamRecorder(int initial) {
        this.initial = initial;
    }

    /** Reads everything as it comes. */
    static <Q, M> StreamRecorder<Q, M> reading() {
        return new StreamRecorder<>(Integer.MAX_VALUE);
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<Q> requestStream) {
        call = requestStream;
        requestStream.disableAutoRequestWithInitial(initial);
    }

    @Override
    public void onNext(M message) {
        received.add(message);
    }

    @Override
    public void onError(Throwable t) {
        ended.complete(Status.fromThrowable(t));
    }

    @Override
    public void onCompleted() {
        ended.complete(Status.OK);
    }

    void request(int messages) {
        call.request(messages);
    }

    void cancel() {
        call.cancel("test done", null);
    }

    /** The next message, waiting up to {@code timeout}; fails the test when none came. */
    M next(Duration timeout) throws InterruptedException {
        M message = received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (message == null) {
            throw new AssertionError("no message within " + timeout + (ended.isDone() ? "; ended " + ended.join() : ""));
        }
        return message;
    }

    /** Everything that arrived within {@code time}. */
    List<M> during(Duration time) throws InterruptedException {
        Thread.sleep(time.toMillis());
        List<M> messages = new ArrayList<>();
        received.drainTo(messages);
        return messages;
    }

    /** How the stream ended, waiting up to {@code timeout}. */
    Status ended(Duration timeout) throws Exception {
        return ended.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
}
