package dev.servedeck.core.inference;

import dev.servedeck.core.servable.ExampleBatch;
import dev.servedeck.core.status.ServingException;
import dev.servedeck.core.wire.Dtypes;
import dev.servedeck.core.wire.Shapes;
import dev.servedeck.core.wire.TensorBytes;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import org.tensorflow.proto.Example;
import org.tensorflow.proto.TensorProto;

/**
 * {@code --max_tensor_bytes}: how much memory one request's input tensors may ask for, checked before anything
 * is allocated for them. Each tensor, and all of a request's tensors together, may declare at most
 * {@link #maxBytes()} ({@link TensorBytes#declared}: what the shape and dtype ask for, so one value broadcast to a
 * huge shape counts the whole shape). Classify and Regress count the tensor of serialized tf.Examples they feed,
 * context included: every example gets the context's bytes in front of its own, so a large context times many
 * examples is checked as the product it becomes.
 *
 * <p>The one place for the rule: the core checks every Predict, Classify and Regress from any front end
 * before batching or running, and warmup checks every record before replaying it. Over the bound is the
 * client's mistake: INVALID_ARGUMENT (HTTP 400), naming the tensor and its size.
 *
 * <p>A bound per request does not bound many requests at once: {@link #maxInFlightBytes()} bounds what the requests
 * being served hold together ({@link InFlightTensorBytes}), which is the server's state, not the client's mistake.
 *
 * @param maxBytes the largest number of bytes a request's input tensors may declare, each and together
 * @param maxInFlightBytes the bytes all requests in flight may declare together ({@code --max_in_flight_tensor_bytes});
 *     at least {@code maxBytes}, so that one request of the largest size always fits
 */
public record TensorByteLimit(long maxBytes, long maxInFlightBytes) {

    /** 256 MiB: the default gRPC message limit, so that no tensor a message can carry whole is refused. */
    public static final long DEFAULT_MAX_BYTES = 256L * 1024 * 1024;

    public static final TensorByteLimit DEFAULT = new TensorByteLimit(DEFAULT_MAX_BYTES);

    /** The flag that sets the bound, named in every refusal so that the operator knows what to raise. */
    public static final String FLAG = "--max_tensor_bytes";
    public static final String IN_FLIGHT_FLAG = "--max_in_flight_tensor_bytes";

    /**
     * Two requests of the largest size at once. A declared byte can cost three at its peak (the request message and
     * its copy on the heap, the tensor in native memory), so this keeps the default heap of a 2 GiB container (1 GiB)
     * clear of what tensors can take.
     */
    public static final int DEFAULT_IN_FLIGHT_FACTOR = 2;

    /** The name TF Serving's Classify and Regress signatures give their tensor of serialized tf.Examples. */
    private static final String EXAMPLES_INPUT = "inputs";

    public TensorByteLimit {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException(FLAG + " must be positive, was " + maxBytes);
        }
        if (maxInFlightBytes < maxBytes) {
            throw new IllegalArgumentException(IN_FLIGHT_FLAG + " (" + maxInFlightBytes + ") must be at least "
                    + FLAG + " (" + maxBytes + "), or no request of the largest size could run");
        }
    }

    /** With {@link #DEFAULT_IN_FLIGHT_FACTOR} requests of the largest size in flight. */
    public TensorByteLimit(long maxBytes) {
        this(maxBytes, TensorBytes.times(maxBytes, DEFAULT_IN_FLIGHT_FACTOR));
    }

    /**
     * Checks a Predict request's input tensors, each and together.
     *
     * @return the bytes they declare together
     * @throws ServingException INVALID_ARGUMENT naming the tensor (or every tensor) and the bytes it declares
     */
    public long checkInputs(Map<String, TensorProto> inputs) {
        long total = 0;
        Map<String, Long> sizes = new TreeMap<>();
        for (Map.Entry<String, TensorProto> input : inputs.entrySet()) {
            OptionalLong declared = TensorBytes.declared(input.getValue());
            if (declared.isEmpty()) {
                // No size at all (unknown rank, a negative dimension): refused by validation, nothing allocated.
                continue;
            }
            long bytes = declared.getAsLong();
            if (bytes > maxBytes) {
                TensorProto tensor = input.getValue();
                throw ServingException.invalidArgument("Input tensor '" + input.getKey() + "' ("
                        + Dtypes.name(tensor.getDtype()) + " " + Shapes.toString(tensor.getTensorShape())
                        + ") declares " + bytes + " bytes, more than the " + maxBytes + " a tensor may take ("
                        + FLAG + ")");
            }
            sizes.put(input.getKey(), bytes);
            total = TensorBytes.plus(total, bytes);
        }
        if (total > maxBytes) {
            throw ServingException.invalidArgument("Input tensors declare " + total + " bytes together " + sizes
                    + ", more than the " + maxBytes + " a request may take (" + FLAG + ")");
        }
        return total;
    }

    /**
     * Checks the tensor of serialized tf.Examples Classify and Regress will feed: each element is the context's
     * bytes followed by the example's, plus TensorFlow's per-string header.
     *
     * @return the bytes that tensor declares
     * @throws ServingException INVALID_ARGUMENT naming the tensor, the example count and the bytes
     */
    public long checkExamples(ExampleBatch batch) {
        long context = batch.context().map(Example::getSerializedSize).orElse(0);
        long examples = batch.examples().size();
        long total = TensorBytes.times(examples, context + TensorBytes.STRING_ELEMENT_BYTES);
        for (Example example : batch.examples()) {
            total = TensorBytes.plus(total, example.getSerializedSize());
        }
        if (total > maxBytes) {
            throw ServingException.invalidArgument("Input tensor '" + EXAMPLES_INPUT + "' of " + examples
                    + " serialized tf.Examples" + (context > 0 ? " (each with the " + context + "-byte context in front)" : "")
                    + " declares " + total + " bytes, more than the " + maxBytes + " a tensor may take (" + FLAG + ")");
        }
        return total;
    }
}
