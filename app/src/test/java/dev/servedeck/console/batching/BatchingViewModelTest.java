package dev.servedeck.console.batching;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servedeck.console.testing.DirectExecutor;
import dev.servedeck.console.testing.FakeBackend;
import dev.servedeck.core.batching.BatchingOptions;
import dev.servedeck.core.metrics.BatchingActivity;
import dev.servedeck.core.metrics.ServingStatistics;
import dev.servedeck.core.metrics.StatisticsSnapshot;
import dev.servedeck.core.metrics.WindowStatistics;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BatchingViewModelTest {

    private static final BatchingOptions IN_FORCE = new BatchingOptions(32, 500, 100, 2, "servedeck-batch",
            List.of(8, 16, 32), false, false, 32, true);

    /** A backend whose batching parameters file holds {@link #fileOptions}. */
    private static final class Backend extends FakeBackend {
        volatile BatchingOptions fileOptions = IN_FORCE;

        @Override
        public CompletableFuture<BatchingOptions> readBatchingFile(Path file) {
            return super.readBatchingFile(file).thenApply(inForce -> fileOptions);
        }
    }

    private Backend backend;
    private BatchingViewModel viewModel;

    @BeforeEach
    void setUp() {
        backend = new Backend();
        backend.batching = IN_FORCE;
        viewModel = new BatchingViewModel(backend, new DirectExecutor());
    }

    private void type(BatchingField field, String text) {
        viewModel.textProperty(field).set(text);
    }

    @Test
    void showsTheParametersInForce() {
        assertThat(viewModel.textProperty(BatchingField.MAX_BATCH_SIZE).get()).isEqualTo("32");
        assertThat(viewModel.textProperty(BatchingField.BATCH_TIMEOUT_MICROS).get()).isEqualTo("500");
        assertThat(viewModel.textProperty(BatchingField.MAX_ENQUEUED_BATCHES).get()).isEqualTo("100");
        assertThat(viewModel.textProperty(BatchingField.NUM_BATCH_THREADS).get()).isEqualTo("2");
        assertThat(viewModel.textProperty(BatchingField.ALLOWED_BATCH_SIZES).get()).isEqualTo("8, 16, 32");
        assertThat(viewModel.textProperty(BatchingField.MAX_EXECUTION_BATCH_SIZE).get()).isEqualTo("32");
        assertThat(viewModel.padVariableLengthInputsProperty().get()).isFalse();
        assertThat(viewModel.enableLargeBatchSplittingProperty().get()).isFalse();
        assertThat(viewModel.threadPoolNameProperty().get()).isEqualTo("servedeck-batch");
        assertThat(viewModel.editableProperty().get()).isTrue();
        assertThat(viewModel.dirtyProperty().get()).isFalse();
        assertThat(viewModel.canApplyProperty().get()).isFalse();
        assertThat(viewModel.form().validate()).isEqualTo(new BatchingForm.Valid(IN_FORCE));
    }

    @Test
    void applySendsExactlyTheFormsOptionsAndShowsThemInForce() {
        type(BatchingField.MAX_BATCH_SIZE, "64");
        type(BatchingField.BATCH_TIMEOUT_MICROS, " 1500 ");
        type(BatchingField.MAX_ENQUEUED_BATCHES, "50");
        type(BatchingField.NUM_BATCH_THREADS, "3");
        type(BatchingField.ALLOWED_BATCH_SIZES, "16,64");
        viewModel.padVariableLengthInputsProperty().set(true);
        assertThat(viewModel.canApplyProperty().get()).isTrue();

        viewModel.apply().join();

        BatchingOptions expected = new BatchingOptions(64, 1500, 50, 3, "servedeck-batch", List.of(16, 64),
                true, false, 64, true);
        assertThat(backend.calls).containsExactly("applyBatching " + expected);
        assertThat(viewModel.inForceProperty().get()).isEqualTo(expected);
        assertThat(viewModel.textProperty(BatchingField.ALLOWED_BATCH_SIZES).get()).isEqualTo("16, 64");
        assertThat(viewModel.dirtyProperty().get()).isFalse();
        assertThat(viewModel.noticeProperty().get()).startsWith("Applied");
    }

    @Test
    void appliesLargeBatchSplittingWithItsExecutionSize() {
        viewModel.enableLargeBatchSplittingProperty().set(true);
        type(BatchingField.MAX_EXECUTION_BATCH_SIZE, "16");
        type(BatchingField.ALLOWED_BATCH_SIZES, "8, 16");

        viewModel.apply().join();

        assertThat(backend.batching).isEqualTo(new BatchingOptions(32, 500, 100, 2, "servedeck-batch",
                List.of(8, 16), false, true, 16, true));
    }

    @Test
    void theAdaptiveTimeoutIsShownAndSwitchedLiveLikeTheOtherParameters() {
        assertThat(viewModel.adaptiveBatchTimeoutProperty().get()).isTrue();

        viewModel.adaptiveBatchTimeoutProperty().set(false);
        assertThat(viewModel.dirtyProperty().get()).isTrue();
        viewModel.apply().join();

        assertThat(backend.batching).isEqualTo(IN_FORCE.withAdaptiveBatchTimeout(false));
        assertThat(viewModel.dirtyProperty().get()).isFalse();

        backend.batching = IN_FORCE;
        viewModel.refresh();
        assertThat(viewModel.adaptiveBatchTimeoutProperty().get()).as("follows the server").isTrue();
    }

    @ParameterizedTest(name = "{0} = ''{1}'' -> {2}")
    @CsvSource(delimiter = '|', value = {
            "MAX_BATCH_SIZE       | 0      | max_batch_size must be from 1 to 2147483647, was 0",
            "MAX_BATCH_SIZE       | lots   | max_batch_size must be a whole number, from 1 to 2147483647, not 'lots'",
            "MAX_BATCH_SIZE       | ''     | max_batch_size is required",
            "BATCH_TIMEOUT_MICROS | -1     | batch_timeout_micros must be 0 or more, was -1",
            "BATCH_TIMEOUT_MICROS | 1.5    | batch_timeout_micros must be a whole number",
            "MAX_ENQUEUED_BATCHES | 0      | max_enqueued_batches must be at least 1, was 0",
            "NUM_BATCH_THREADS    | 0      | num_batch_threads must be from 1 to 1024, was 0",
            "NUM_BATCH_THREADS    | 100000 | num_batch_threads must be from 1 to 1024, was 100000",
            "ALLOWED_BATCH_SIZES  | 8, x   | allowed_batch_sizes must be whole numbers separated by commas, not 'x'",
            "ALLOWED_BATCH_SIZES  | 16, 8, 32 | allowed_batch_sizes must be positive and increasing",
            "ALLOWED_BATCH_SIZES  | 0, 32  | allowed_batch_sizes must be positive and increasing",
            "ALLOWED_BATCH_SIZES  | 8, 16  | The last of allowed_batch_sizes (16) must equal max_batch_size (32)",
    })
    void refusesAnInvalidFieldWithItsOwnMessageAndSendsNothing(BatchingField field, String text, String message) {
        type(field, text);

        assertThat(viewModel.errorProperty(field).get()).startsWith(message);
        for (BatchingField other : BatchingField.values()) {
            if (other != field) {
                assertThat(viewModel.errorProperty(other).get()).as(other.name()).isEmpty();
            }
        }
        assertThat(viewModel.validProperty().get()).isFalse();
        assertThat(viewModel.canApplyProperty().get()).isFalse();

        viewModel.apply().join();
        viewModel.save(Path.of("/tmp/never.txt")).join();

        assertThat(backend.calls).isEmpty();
        assertThat(backend.batching).isEqualTo(IN_FORCE);
    }

    @Test
    void theLastAllowedSizeFollowsMaxBatchSizeAsTheOperatorTypes() {
        type(BatchingField.MAX_BATCH_SIZE, "64");
        assertThat(viewModel.errorProperty(BatchingField.ALLOWED_BATCH_SIZES).get())
                .isEqualTo("The last of allowed_batch_sizes (32) must equal max_batch_size (64)");

        type(BatchingField.ALLOWED_BATCH_SIZES, "8, 16, 32, 64");
        assertThat(viewModel.errorProperty(BatchingField.ALLOWED_BATCH_SIZES).get()).isEmpty();
        assertThat(viewModel.canApplyProperty().get()).isTrue();
    }

    @Test
    void withSplittingTheExecutionSizeIsCheckedAndTheLastAllowedSizeMustEqualIt() {
        viewModel.enableLargeBatchSplittingProperty().set(true);
        type(BatchingField.MAX_EXECUTION_BATCH_SIZE, "64");
        assertThat(viewModel.errorProperty(BatchingField.MAX_EXECUTION_BATCH_SIZE).get())
                .isEqualTo("max_execution_batch_size must be from 1 to max_batch_size (32), was 64");

        type(BatchingField.MAX_EXECUTION_BATCH_SIZE, "16");
        assertThat(viewModel.errorProperty(BatchingField.MAX_EXECUTION_BATCH_SIZE).get()).isEmpty();
        assertThat(viewModel.errorProperty(BatchingField.ALLOWED_BATCH_SIZES).get())
                .isEqualTo("The last of allowed_batch_sizes (32) must equal max_execution_batch_size (16)");
    }

    @Test
    void withoutSplittingTheExecutionSizeIsNotChecked() {
        type(BatchingField.MAX_EXECUTION_BATCH_SIZE, "not used");

        assertThat(viewModel.errorProperty(BatchingField.MAX_EXECUTION_BATCH_SIZE).get()).isEmpty();
        assertThat(viewModel.validProperty().get()).isTrue();
    }

    @Test
    void showsTheServersRefusalAndKeepsTheEdits() {
        type(BatchingField.MAX_BATCH_SIZE, "64");
        type(BatchingField.ALLOWED_BATCH_SIZES, "");
        backend.failNext("Batching is not enabled on this server (start it with --enable_batching)");

        viewModel.apply().join();

        assertThat(viewModel.formErrorProperty().get()).isEqualTo("The server refused the batching parameters: "
                + "Batching is not enabled on this server (start it with --enable_batching)");
        assertThat(viewModel.busyProperty().get()).isFalse();
        assertThat(viewModel.dirtyProperty().get()).isTrue();
        assertThat(viewModel.textProperty(BatchingField.MAX_BATCH_SIZE).get()).isEqualTo("64");
        assertThat(viewModel.inForceProperty().get()).isEqualTo(IN_FORCE);
    }

    @Test
    void revertShowsTheValuesInForceAgain() {
        type(BatchingField.MAX_BATCH_SIZE, "7");
        viewModel.enableLargeBatchSplittingProperty().set(true);
        assertThat(viewModel.validProperty().get()).isFalse();

        viewModel.revert();

        assertThat(viewModel.form()).isEqualTo(BatchingForm.of(IN_FORCE));
        assertThat(viewModel.dirtyProperty().get()).isFalse();
        assertThat(viewModel.errorProperty(BatchingField.ALLOWED_BATCH_SIZES).get()).isEmpty();
        assertThat(backend.calls).isEmpty();
    }

    @Test
    void dirtyWhenTheFormDiffersFromTheValuesInForceWhateverTheSpacing() {
        type(BatchingField.BATCH_TIMEOUT_MICROS, "501");
        assertThat(viewModel.dirtyProperty().get()).isTrue();
        assertThat(viewModel.canRevertProperty().get()).isTrue();

        type(BatchingField.BATCH_TIMEOUT_MICROS, "500");
        type(BatchingField.ALLOWED_BATCH_SIZES, "8,16 , 32");
        assertThat(viewModel.dirtyProperty().get()).isFalse();

        type(BatchingField.MAX_BATCH_SIZE, "x");
        assertThat(viewModel.dirtyProperty().get()).as("an invalid form differs from what is in force").isTrue();
    }

    @Test
    void readOnlyWhileTheServerDoesNotBatch() {
        backend.batchingEnabled = false;
        viewModel = new BatchingViewModel(backend, new DirectExecutor());
        assertThat(viewModel.editableProperty().get()).isFalse();

        type(BatchingField.BATCH_TIMEOUT_MICROS, "900");
        viewModel.apply().join();
        viewModel.load(Path.of("/tmp/batching.txt")).join();

        assertThat(viewModel.canApplyProperty().get()).isFalse();
        assertThat(viewModel.canLoadProperty().get()).isFalse();
        assertThat(backend.calls).isEmpty();

        backend.batchingEnabled = true;
        viewModel.refresh();
        assertThat(viewModel.editableProperty().get()).as("the server was restarted with batching").isTrue();
    }

    @Test
    void loadFillsTheFormWithoutApplyingIt() {
        BatchingOptions fromFile = new BatchingOptions(128, 2000, 1000, 1, "servedeck-batch", List.of(), true, false, 128,
                false);
        backend.fileOptions = fromFile;

        viewModel.load(Path.of("/tmp/batching.txt")).join();

        assertThat(backend.calls).containsExactly("readBatchingFile /tmp/batching.txt");
        assertThat(viewModel.form()).isEqualTo(BatchingForm.of(fromFile));
        assertThat(viewModel.dirtyProperty().get()).isTrue();
        assertThat(viewModel.noticeProperty().get()).isEqualTo("Loaded batching.txt: Apply to use these values");
        assertThat(backend.batching).isEqualTo(IN_FORCE);

        viewModel.apply().join();
        assertThat(backend.batching).isEqualTo(fromFile);
    }

    @Test
    void saveWritesTheFormsValues() {
        type(BatchingField.BATCH_TIMEOUT_MICROS, "0");

        viewModel.save(Path.of("/tmp/out.txt")).join();

        assertThat(backend.calls).containsExactly("saveBatchingFile /tmp/out.txt");
        assertThat(viewModel.noticeProperty().get()).isEqualTo("Saved to /tmp/out.txt");
        assertThat(backend.batching).as("saving applies nothing").isEqualTo(IN_FORCE);
    }

    @Test
    void aFileThatDoesNotLoadShowsWhy() {
        backend.failNext("Cannot parse batching parameters in /tmp/bad.txt: 1:1: Expected identifier");

        viewModel.load(Path.of("/tmp/bad.txt")).join();

        assertThat(viewModel.formErrorProperty().get())
                .isEqualTo("Cannot load bad.txt: Cannot parse batching parameters in /tmp/bad.txt: 1:1: Expected identifier");
        assertThat(viewModel.form()).isEqualTo(BatchingForm.of(IN_FORCE));
    }

    @Test
    void refreshFollowsTheServerWhileTheFormHasNoEditsAndKeepsEditsOtherwise() {
        BatchingOptions restarted = IN_FORCE.withAllowedBatchSizes(List.of()).withMaxBatchSize(16);
        backend.batching = restarted;
        viewModel.refresh();
        assertThat(viewModel.form()).isEqualTo(BatchingForm.of(restarted));

        type(BatchingField.BATCH_TIMEOUT_MICROS, "42");
        backend.batching = IN_FORCE;
        viewModel.refresh();
        assertThat(viewModel.textProperty(BatchingField.BATCH_TIMEOUT_MICROS).get()).isEqualTo("42");
        assertThat(viewModel.inForceProperty().get()).isEqualTo(IN_FORCE);
        assertThat(viewModel.dirtyProperty().get()).isTrue();
    }

    @Test
    void showsTheLiveBatchingNumbers() {
        viewModel.refresh();
        assertThat(viewModel.meanBatchSizeProperty().get()).isEqualTo("–");

        WindowStatistics empty = WindowStatistics.empty(Duration.ofSeconds(1));
        ServingStatistics none = new ServingStatistics(empty, empty);
        backend.statistics = Optional.of(new StatisticsSnapshot(Instant.now(), none, Map.of(), Map.of(),
                Optional.of(new BatchingActivity(Duration.ofSeconds(2), 40, 500, 3, 12))));
        viewModel.refresh();

        assertThat(viewModel.meanBatchSizeProperty().get()).isEqualTo("12.5");
        assertThat(viewModel.batchesPerSecondProperty().get()).isEqualTo("20.0");
        assertThat(viewModel.queuedTasksProperty().get()).isEqualTo("3");
    }
}
