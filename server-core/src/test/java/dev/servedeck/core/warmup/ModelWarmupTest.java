package dev.servedeck.core.warmup;

import static dev.servedeck.core.testing.WarmupFixtures.COUNTER;
import static dev.servedeck.core.testing.WarmupFixtures.HALF_PLUS_TWO;
import static dev.servedeck.core.testing.WarmupFixtures.VERSION;
import static dev.servedeck.core.testing.WarmupFixtures.classifyHalfPlusTwo;
import static dev.servedeck.core.testing.WarmupFixtures.copyVersion;
import static dev.servedeck.core.testing.WarmupFixtures.incrementCounter;
import static dev.servedeck.core.testing.WarmupFixtures.multiInferenceHalfPlusTwo;
import static dev.servedeck.core.testing.WarmupFixtures.predict;
import static dev.servedeck.core.testing.WarmupFixtures.predictHalfPlusTwo;
import static dev.servedeck.core.testing.WarmupFixtures.regressHalfPlusTwo;
import static dev.servedeck.core.testing.WarmupFixtures.writeWarmup;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.servedeck.core.inference.TensorByteLimit;
import dev.servedeck.core.status.Code;
import dev.servedeck.core.status.ServingException;
import dev.servedeck.core.tensorflow.ModelWarmupOptions;
import dev.servedeck.core.tensorflow.SavedModelLoader;
import dev.servedeck.core.tensorflow.SavedModelServable;
import dev.servedeck.core.tensorflow.TensorflowOptions;
import dev.servedeck.core.testing.WarmupFixtures;
import dev.servedeck.core.wire.Shapes;
import dev.servedeck.proto.apis.PredictionLog;
import dev.servedeck.proto.apis.SessionRunLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.TensorProto;

/** Warmup at load, on TF Serving's real test models with real TensorFlow and real warmup files. */
class ModelWarmupTest {

    @TempDir
    Path dir;

    @Test
    void predictClassifyRegressAndMultiInferenceRecordsWarmHalfPlusTwo() {
        Path version = copyVersion(HALF_PLUS_TWO, VERSION, dir);
        writeWarmup(version, predictHalfPlusTwo(1f, 2f, 3f), classifyHalfPlusTwo(2f), regressHalfPlusTwo(2f),
                multiInferenceHalfPlusTwo(2f, "regress_x_to_y", "regress_x_to_y2"));

        try (SavedModelServable servable = load(version, TensorflowOptions.defaults())) {
            assertThat(servable.regress("regress_x_to_y", dev.servedeck.core.servable.ExampleBatch.of(
                    java.util.List.of(WarmupFixtures.example(2f))))).containsExactly(3f);
        }
    }

    @Test
    void tensorflow2HalfPlusTwoIsWarmedByTheSameRecords() {
        Path version = copyVersion("saved_model_half_plus_two_tf2_cpu", VERSION, dir);
        writeWarmup(version, predictHalfPlusTwo(1f, 2f, 3f), classifyHalfPlusTwo(2f), regressHalfPlusTwo(2f),
                multiInferenceHalfPlusTwo(2f, "regress_x_to_y"));

        try (SavedModelServable servable = load(version, TensorflowOptions.defaults())) {
            assertThat(servable.signatureDefs()).containsKey("serving_default");
        }
    }

    @Test
    void eachRecordIsReplayedAsManyTimesAsAskedAndTheEffectIsReal() {
        Path version = copyVersion(COUNTER, VERSION, dir);
        writeWarmup(version, incrementCounter(), incrementCounter(), incrementCounter());

        TensorflowOptions threeTimes = TensorflowOptions.defaults().withWarmup(new ModelWarmupOptions(true, 3));
        try (SavedModelServable servable = load(version, threeTimes)) {
            assertThat(counter(servable)).isEqualTo(9f);
        }
        try (SavedModelServable servable = load(version, TensorflowOptions.defaults())) {
            assertThat(counter(servable)).isEqualTo(3f);
        }
    }

    @Test
    void disabledWarmupDoesNotReadTheFile() throws IOException {
        Path version = copyVersion(COUNTER, VERSION, dir);
        writeWarmup(version, incrementCounter(), incrementCounter());
        TensorflowOptions off = TensorflowOptions.defaults().withWarmup(new ModelWarmupOptions(false, 1));
        try (SavedModelServable servable = load(version, off)) {
            assertThat(counter(servable)).isEqualTo(0f);
        }
        // Not even read: a broken file does not matter either.
        Files.write(WarmupFile.of(version), new byte[] {1, 2, 3});
        try (SavedModelServable servable = load(version, off)) {
            assertThat(counter(servable)).isEqualTo(0f);
        }
    }

    @Test
    void aVersionWithoutWarmupFileLoadsAsBefore() {
        Path version = copyVersion(COUNTER, VERSION, dir);
        try (SavedModelServable servable = load(version, TensorflowOptions.defaults())) {
            assertThat(counter(servable)).isEqualTo(0f);
        }
    }

    @Test
    void aFailingRecordFailsTheLoadNamingTheFileAndTheRecord() {
        Path version = copyVersion(HALF_PLUS_TWO, VERSION, dir);
        Path file = writeWarmup(version, predictHalfPlusTwo(1f), predict("nope", Map.of("x", WarmupFixtures.floats(1f))));

        assertLoadFails(version, Code.FAILED_PRECONDITION, "Warmup record 1 of " + file + " failed: ",
                "Serving signature key \"nope\" not found");
    }

    @Test
    void aRequestTheSignatureRefusesFailsTheLoad() {
        Path version = copyVersion(HALF_PLUS_TWO, VERSION, dir);
        Path file = writeWarmup(version, predict("", Map.of("y", WarmupFixtures.floats(1f))));

        assertLoadFails(version, Code.INVALID_ARGUMENT, "Warmup record 0 of " + file + " failed: ");
    }

    @Test
    void multiInferenceRecordsFollowTfServingsRules() {
        Path version = copyVersion(HALF_PLUS_TWO, VERSION, dir);
        Path file = writeWarmup(version, multiInferenceHalfPlusTwo(1f, "regress_x_to_y", "regress_x_to_y"));

        assertLoadFails(version, Code.INVALID_ARGUMENT, "Warmup record 0 of " + file + " failed: ",
                "Duplicate evaluation of signature: regress_x_to_y");

        writeWarmup(version, multiInferenceHalfPlusTwo(1f, "no_such_signature"));
        assertLoadFails(version, Code.INVALID_ARGUMENT, "Requested signature not found in model graph: no_such_signature");
    }

    @Test
    void aSessionRunLogIsUnimplementedAsInTfServing() {
        Path version = copyVersion(HALF_PLUS_TWO, VERSION, dir);
        Path file = writeWarmup(version, predictHalfPlusTwo(1f),
                PredictionLog.newBuilder().setSessionRunLog(SessionRunLog.getDefaultInstance()).build());

        assertLoadFails(version, Code.UNIMPLEMENTED, "Warmup record 1 of " + file + " failed: ",
                "Unsupported log_type for warmup: 5");
    }

    @Test
    void aRecordWithNoLogIsSkippedAsInTfServing() {
        Path version = copyVersion(COUNTER, VERSION, dir);
        writeWarmup(version, PredictionLog.getDefaultInstance(), incrementCounter());

        try (SavedModelServable servable = load(version, TensorflowOptions.defaults())) {
            assertThat(counter(servable)).isEqualTo(1f);
        }
    }

    @Test
    void aRecordThatIsNoPredictionLogFailsTheLoad() throws IOException {
        Path version = copyVersion(HALF_PLUS_TWO, VERSION, dir);
        Path file = WarmupFile.of(version);
        Files.createDirectories(file.getParent());
        try (var writer = new dev.servedeck.core.tfrecord.TfRecordWriter(Files.newOutputStream(file))) {
            writer.write(predictHalfPlusTwo(1f).toByteArray());
            writer.write(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff});
        }

        assertLoadFails(version, Code.INVALID_ARGUMENT, "Failed to parse warmup record 1 from " + file);
    }

    @Test
    void aCorruptFileFailsTheLoadWithDataLoss() throws IOException {
        Path version = copyVersion(HALF_PLUS_TWO, VERSION, dir);
        Path file = writeWarmup(version, predictHalfPlusTwo(1f), predictHalfPlusTwo(2f));
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 6] ^= 0x01; // inside the second record's data
        Files.write(file, bytes);
        long secondRecord = predictHalfPlusTwo(1f).getSerializedSize() + 16L;

        assertLoadFails(version, Code.DATA_LOSS, "Warmup file " + file + " is corrupt at record 1: corrupted record at "
                + secondRecord, "Please verify your warmup data is in TFRecord format.");
    }

    @Test
    void aTruncatedFileFailsTheLoadWithDataLoss() throws IOException {
        Path version = copyVersion(HALF_PLUS_TWO, VERSION, dir);
        Path file = writeWarmup(version, predictHalfPlusTwo(1f), predictHalfPlusTwo(2f));
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 3));

        assertLoadFails(version, Code.DATA_LOSS, "Warmup file " + file + " is corrupt at record 1: truncated record at");
    }

    @Test
    void moreRecordsThanTfServingsMaximumFailTheLoad() throws IOException {
        Path version = copyVersion(COUNTER, VERSION, dir);
        PredictionLog[] most = Collections.nCopies(WarmupFile.MAX_RECORDS, incrementCounter()).toArray(PredictionLog[]::new);
        writeWarmup(version, most);
        try (SavedModelServable servable = load(version, TensorflowOptions.defaults())) {
            assertThat(counter(servable)).isEqualTo(1000f);
        }

        Path file = WarmupFile.of(version);
        try (var writer = new dev.servedeck.core.tfrecord.TfRecordWriter(
                Files.newOutputStream(file, java.nio.file.StandardOpenOption.APPEND))) {
            writer.write(incrementCounter().toByteArray());
        }
        assertLoadFails(version, Code.INVALID_ARGUMENT,
                "Number of warmup records exceeds the maximum (1000) at " + file);
    }

    @Test
    void aRecordOverTheTensorBoundFailsTheLoadBeforeAnythingIsAllocated() {
        Path version = copyVersion(HALF_PLUS_TWO, VERSION, dir);
        // One value broadcast to a billion floats: 4 GB if it ever became a tensor.
        TensorProto broadcast = TensorProto.newBuilder().setDtype(DataType.DT_FLOAT)
                .setTensorShape(Shapes.of(1_000_000_000L)).addFloatVal(1f).build();
        writeWarmup(version, predictHalfPlusTwo(1f), predict("serving_default", Map.of("x", broadcast)));
        assertLoadFails(version, Code.INVALID_ARGUMENT, "Warmup record 1 of " + WarmupFile.of(version) + " failed: "
                + "Input tensor 'x' (float [1000000000]) declares 4000000000 bytes, more than the 268435456 a tensor may "
                + "take (--max_tensor_bytes)");

        // The server's own bound, not only the default one.
        writeWarmup(version, classifyHalfPlusTwo(2f));
        ThrowingCallable tight = () -> new SavedModelLoader(version, TensorflowOptions.defaults(),
                new TensorByteLimit(10)).load().close();
        assertThatThrownBy(tight).isInstanceOf(ServingException.class)
                .hasMessageContaining("Warmup record 0").hasMessageContaining("Input tensor 'inputs' of 1 serialized");
    }

    // ---- helpers ----

    private static SavedModelServable load(Path version, TensorflowOptions options) {
        return new SavedModelLoader(version, options).load();
    }

    private static void assertLoadFails(Path version, Code code, String... messageParts) {
        ThrowingCallable loading = () -> load(version, TensorflowOptions.defaults()).close();
        assertThatThrownBy(loading)
                .isInstanceOf(ServingException.class)
                .satisfies(e -> assertThat(((ServingException) e).code()).isEqualTo(code))
                .satisfies(e -> assertThat(e.getMessage()).contains(messageParts).doesNotContain("\n"));
    }

    private static float counter(SavedModelServable servable) {
        return WarmupFixtures.scalar(servable.predict("get_counter", Map.of(), Set.of()).get("output"));
    }
}
