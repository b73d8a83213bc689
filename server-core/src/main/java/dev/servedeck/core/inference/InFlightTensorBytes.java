package dev.servedeck.core.inference;

import dev.servedeck.core.status.Code;
import dev.servedeck.core.status.ServingException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The tensor bytes the requests being served declare together, bounded ({@code --max_in_flight_tensor_bytes}): a
 * request reserves its bytes once its size is known and before anything is allocated for it, and releases them
 * when its answer is ready (after its batch, if it waited for one). A request that does not fit answers
 * RESOURCE_EXHAUSTED (HTTP 429) at once, as a full batch queue does: the server is busy, the request is fine.
 * Without this, a handful of requests each within {@code --max_tensor_bytes}, sent at once, could still take more
 * memory than the server has. Lock-free: one compare-and-set per request.
 */
public final class InFlightTensorBytes {

    /** A request's share; closing it gives the bytes back (once, however often it is closed). */
    public interface Reservation extends AutoCloseable {
        @Override
        void close();
    }

    /** A reservation of nothing, for a request that has not reserved yet. */
    public static final Reservation NONE = () -> { };

    private final long max;
    private final AtomicLong reserved = new AtomicLong();

    public InFlightTensorBytes(long max) {
        this.max = max;
    }

    /**
     * @throws ServingException RESOURCE_EXHAUSTED when the bytes do not fit beside those already reserved
     */
    public Reservation reserve(long bytes) {
        if (bytes <= 0) {
            return NONE;
        }
        long now;
        do {
            now = reserved.get();
            if (now + bytes > max || now + bytes < 0) {
                throw new ServingException(Code.RESOURCE_EXHAUSTED, "Requests in flight already declare " + now + " bytes of "
                        + "tensors; this one's " + bytes + " would pass the " + max + " the server allows at once ("
                        + TensorByteLimit.IN_FLIGHT_FLAG + "); retry later");
            }
        } while (!reserved.compareAndSet(now, now + bytes));
        AtomicLong held = new AtomicLong(bytes);
        return () -> reserved.addAndGet(-held.getAndSet(0));
    }

    /** The bytes reserved now. */
    public long reserved() {
        return reserved.get();
    }
}
