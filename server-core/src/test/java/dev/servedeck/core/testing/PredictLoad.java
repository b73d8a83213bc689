package dev.servedeck.core.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Clients posting one predict request in a loop over real HTTP until stopped, each answer checked: what a
 * model swap must not disturb. Counts the successes, keeps every failure and every distinct first
 * prediction (which version answered, when versions answer differently).
 */
public final class PredictLoad implements AutoCloseable {

    private final AtomicInteger succeeded = new AtomicInteger();
    private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    private final Set<Double> answers = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> threads;

    /**
     * @param expected the first prediction of {@code {"instances": [2.0]}} that counts as a success, e.g. both
     *     versions' answers during a swap
     */
    public PredictLoad(int port, String path, int clients, Set<Double> expected) {
        threads = Stream.generate(() -> new Thread(() -> {
            HttpJsonClient client = new HttpJsonClient(port);
            while (running.get()) {
                HttpJsonClient.Reply reply = client.post(path, "{\"instances\": [2.0]}");
                JsonNode prediction = reply.body().path("predictions").path(0);
                if (reply.status() == 200 && prediction.isNumber() && expected.contains(prediction.asDouble())) {
                    answers.add(prediction.asDouble());
                    succeeded.incrementAndGet();
                } else {
                    failures.add(reply.status() + " " + reply.body());
                }
            }
        }, "load-client")).limit(clients).toList();
        threads.forEach(Thread::start);
    }

    public int succeeded() {
        return succeeded.get();
    }

    public List<String> failures() {
        return List.copyOf(failures);
    }

    /** The distinct first predictions seen so far. */
    public Set<Double> answers() {
        return Set.copyOf(answers);
    }

    /** Forgets the answers seen so far (to see which versions answer from now on). */
    public void clearAnswers() {
        answers.clear();
    }

    public void stop() throws InterruptedException {
        running.set(false);
        for (Thread thread : threads) {
            thread.join(10_000);
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
