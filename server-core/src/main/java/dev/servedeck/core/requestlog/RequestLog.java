package dev.servedeck.core.requestlog;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A sampled log of requests. Request threads only decide whether to sample ({@link #sample}) and hand an
 * entry over ({@link #offer}), which never blocks: a full queue drops the entry and counts it. One named
 * daemon thread writes JSON lines to the (rotated) file, keeps the latest entries for {@link #recent} and
 * tells live subscribers.
 *
 * <p>A file that cannot be written (disk full, file size limit, I/O error) costs log lines, never requests:
 * the lines are counted in {@link #dropped()}, the failure is logged once (not once per line), the live tail
 * and {@link #recent} keep working, and writing resumes by itself with the first batch the file takes again.
 */
public final class RequestLog implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RequestLog.class);

    private final RequestLogOptions options;
    private final ModelSamplingRates modelRates;
    private final DoubleSupplier uniform;
    private final BlockingQueue<RequestLogEntry> queue;
    private final Optional<RotatingFileWriter> file;
    private final RequestLogJson json = new RequestLogJson();
    private final ArrayDeque<RequestLogEntry> recent;
    private final CopyOnWriteArrayList<Consumer<RequestLogEntry>> subscribers = new CopyOnWriteArrayList<>();
    private final LongAdder dropped = new LongAdder();
    private final LongAdder written = new LongAdder();
    private final Thread writer;
    private volatile boolean closing;
    /** Lines lost since the file last took a write; non-zero means "failing", for logging once. Writer thread only. */
    private long lostSinceLastWrite;

    private RequestLog(RequestLogOptions options, ModelSamplingRates modelRates, DoubleSupplier uniform,
            Optional<RotatingFileWriter> file) {
        this.options = options;
        this.modelRates = modelRates;
        this.uniform = uniform;
        this.file = file;
        this.queue = new ArrayBlockingQueue<>(options.queueCapacity());
        this.recent = new ArrayDeque<>(Math.max(1, options.recentCapacity()));
        this.writer = new Thread(this::drainUntilClosed, "servedeck-request-log");
        this.writer.setDaemon(true);
    }

    /**
     * Opens the file (if any) and starts the writer thread.
     *
     * @param uniform draws from [0, 1) for sampling; tests pass a seeded {@link java.util.Random}
     * @throws IOException when the log file cannot be opened
     */
    public static RequestLog start(RequestLogOptions options, ModelSamplingRates modelRates, DoubleSupplier uniform)
            throws IOException {
        return start(options, modelRates, uniform, LogFileOpener.files());
    }

    /** As {@link #start(RequestLogOptions, ModelSamplingRates, DoubleSupplier)}, opening the file with {@code opener}. */
    static RequestLog start(RequestLogOptions options, ModelSamplingRates modelRates, DoubleSupplier uniform,
            LogFileOpener opener) throws IOException {
        Optional<RotatingFileWriter> file = options.file().isPresent()
                ? Optional.of(new RotatingFileWriter(options.file().get(), options.maxFileBytes(), options.maxFiles(),
                        opener))
                : Optional.empty();
        RequestLog log = new RequestLog(options, modelRates, uniform, file);
        log.writer.start();
        options.file().ifPresent(path -> LOG.info("Request log: {} (sampling rate {}, bodies {})", path,
                options.samplingRate(), options.includeBodies() ? "included" : "left out"));
        return log;
    }

    /**
     * Whether to log a request on this model: at the model's configured {@code logging_config} rate, else
     * at the global rate.
     */
    public boolean sample(String model) {
        OptionalDouble configured = modelRates.rateOf(model);
        double rate = configured.isPresent() ? configured.getAsDouble() : options.samplingRate();
        return rate > 0 && (rate >= 1 || uniform.getAsDouble() < rate);
    }

    public boolean includeBodies() {
        return options.includeBodies();
    }

    /** Hands an entry to the writer thread; drops (and counts) it when the queue is full. Never blocks. */
    public void offer(RequestLogEntry entry) {
        if (closing || !queue.offer(entry)) {
            dropped.increment();
        }
    }

    /** Entries dropped because the writer fell behind, or because the file could not take them (disk full). */
    public long dropped() {
        return dropped.sum();
    }

    /** Entries written (to the file when there is one, else to memory); those the file lost count as dropped. */
    public long written() {
        return written.sum();
    }

    /** The latest {@code n} entries, oldest first. */
    public List<RequestLogEntry> recent(int n) {
        synchronized (recent) {
            List<RequestLogEntry> all = new ArrayList<>(recent);
            return List.copyOf(all.subList(Math.max(0, all.size() - n), all.size()));
        }
    }

    /**
     * A live tail: the subscriber sees every entry written from now on, on the writer thread (so it must be
     * quick; a console should hand entries to its own thread).
     *
     * @return closing it unsubscribes
     */
    public AutoCloseable subscribe(Consumer<RequestLogEntry> subscriber) {
        Objects.requireNonNull(subscriber, "subscriber");
        Consumer<RequestLogEntry> subscription = subscriber::accept;
        subscribers.add(subscription);
        return () -> subscribers.remove(subscription);
    }

    private void drainUntilClosed() {
        List<RequestLogEntry> batch = new ArrayList<>();
        try {
            while (!closing || !queue.isEmpty()) {
                RequestLogEntry first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, 1024);
                writeAll(batch);
                batch.clear();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void writeAll(List<RequestLogEntry> batch) {
        int lost = file.map(out -> writeLines(out, batch)).orElse(0);
        for (RequestLogEntry entry : batch) {
            synchronized (recent) {
                if (options.recentCapacity() > 0) {
                    if (recent.size() == options.recentCapacity()) {
                        recent.removeFirst();
                    }
                    recent.addLast(entry);
                }
            }
            for (Consumer<RequestLogEntry> subscriber : subscribers) {
                try {
                    subscriber.accept(entry);
                } catch (RuntimeException e) {
                    LOG.warn("A request log subscriber failed; ignoring it", e);
                }
            }
        }
        written.add(batch.size() - lost);
        dropped.add(lost);
    }

    /** Writes the batch to the file; returns how many of its lines the file could not take. */
    private int writeLines(RotatingFileWriter out, List<RequestLogEntry> batch) {
        List<String> lines = new ArrayList<>(batch.size());
        for (RequestLogEntry entry : batch) {
            lines.add(json.line(entry));
        }
        try {
            out.append(lines);
        } catch (LinesNotWrittenException e) {
            if (lostSinceLastWrite == 0) {
                LOG.warn("Cannot write the request log {} ({}): dropping request log lines until it can be written "
                        + "again; they are counted as dropped (servedeck_request_log_dropped_total)",
                        options.file().orElseThrow(), e.getCause().getMessage());
            }
            lostSinceLastWrite += e.lost();
            return e.lost();
        }
        if (lostSinceLastWrite > 0) {
            LOG.info("Writing the request log {} again, after dropping {} line(s)", options.file().orElseThrow(),
                    lostSinceLastWrite);
            lostSinceLastWrite = 0;
        }
        return 0;
    }

    /**
     * Waits until every entry offered so far has been written (for tests and orderly shutdown).
     *
     * @return false if that took longer than the timeout
     */
    public boolean awaitWritten(long expected, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (written.sum() + dropped.sum() < expected) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(5);
        }
        return true;
    }

    /** Writes what is queued, then closes the file. */
    @Override
    public void close() {
        closing = true;
        try {
            writer.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        file.ifPresent(out -> {
            try {
                out.close();
            } catch (IOException e) {
                LOG.warn("Cannot close the request log: {}", e.toString());
            }
        });
    }
}
