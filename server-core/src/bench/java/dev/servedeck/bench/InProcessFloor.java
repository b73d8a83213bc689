package dev.servedeck.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * What a call costs with no server at all: SavedModelBundle + session.runner() in this JVM, the same work a
 * server's request does minus HTTP and JSON (build the input tensor, run, read the output, close both).
 * Every HTTP latency is compared with this.
 */
final class InProcessFloor {

    /** Enough for minutes of sub-10 µs calls; the measuring loop also stops when it is full. */
    private static final int MAX_SAMPLES = 4_000_000;

    private final Duration warmUp;
    private final Duration measurement;

    InProcessFloor(Duration warmUp, Duration measurement) {
        this.warmUp = warmUp;
        this.measurement = measurement;
    }

    FloorResult measure(String model, Path savedModelDir, float[] instance) {
        return measure(model, savedModelDir, instance, 1, TensorflowThreads.DEFAULTS);
    }

    /**
     * One caller sending batches of {@code rows} copies of {@code instance} ([rows, width]): what a batching
     * server could reach at best, rows/s = {@code rows} × calls/s, with the session threads ServeDeck runs
     * under {@code threads}.
     */
    FloorResult measure(String model, Path savedModelDir, float[] instance, int rows, TensorflowThreads threads) {
        ConfigProto config = ConfigProto.newBuilder().setIntraOpParallelismThreads(threads.intraOpParallelism())
                .build();
        try (SavedModelBundle bundle = SavedModelBundle.loader(savedModelDir.toString()).withTags("serve")
                .withConfigProto(config).load()) {
            SignatureCall call = SignatureCall.of(bundle, instance, rows);
            System.out.println("In-process floor " + model + ": answers (first output value " + call.run()
                    + "), warming up for " + warmUp.toSeconds() + " s");
            long warmUpEnd = System.nanoTime() + warmUp.toNanos();
            while (System.nanoTime() < warmUpEnd) {
                call.run();
            }
            LatencySamples samples = new LatencySamples(MAX_SAMPLES);
            long start = System.nanoTime();
            long end = start + measurement.toNanos();
            long now = start;
            while (now < end && !samples.isFull()) {
                call.run();
                long after = System.nanoTime();
                samples.add(after - now);
                now = after;
            }
            double seconds = (now - start) / 1e9;
            double callsPerSecond = samples.count() / seconds;
            return new FloorResult(model, rows, threads, samples.count(), samples.percentileMicros(50),
                    samples.percentileMicros(99), callsPerSecond, callsPerSecond * rows);
        }
    }

    /** One call of the serving_default signature, by tensor name as a TF Serving-style server does. */
    private record SignatureCall(Session session, String inputTensor, List<String> outputTensors, float[] batch,
            int rows, int width) {

        static SignatureCall of(SavedModelBundle bundle, float[] instance, int rows) {
            SignatureDef signature = bundle.metaGraphDef().getSignatureDefOrThrow("serving_default");
            String input = signature.getInputsMap().values().iterator().next().getName();
            List<String> outputs = signature.getOutputsMap().values().stream().map(info -> info.getName()).toList();
            float[] batch = new float[rows * instance.length];
            for (int row = 0; row < rows; row++) {
                System.arraycopy(instance, 0, batch, row * instance.length, instance.length);
            }
            return new SignatureCall(bundle.session(), input, outputs, batch, rows, instance.length);
        }

        /** Runs once and returns the first output's first value, so the result is really read. */
        double run() {
            Session.Runner runner = session.runner();
            outputTensors.forEach(runner::fetch);
            try (TFloat32 input = TFloat32.tensorOf(Shape.of(rows, width), DataBuffers.of(batch, true, false));
                    Result result = runner.feed(inputTensor, input).run()) {
                return firstValue(result.get(0));
            }
        }

        private static double firstValue(Tensor tensor) {
            long[] origin = new long[tensor.shape().numDimensions()];
            if (tensor instanceof TFloat32 floats) {
                return floats.getFloat(origin);
            }
            if (tensor instanceof TInt64 longs) {
                return longs.getLong(origin);
            }
            throw new IllegalStateException("Unexpected output type " + tensor.dataType());
        }
    }
}
