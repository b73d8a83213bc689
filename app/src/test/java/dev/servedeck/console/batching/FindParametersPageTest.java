package dev.servedeck.console.batching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.testfx.util.WaitForAsyncUtils.asyncFx;
import static org.testfx.util.WaitForAsyncUtils.waitFor;

import dev.servedeck.console.shell.Page;
import dev.servedeck.console.testing.DemoConsoleTest;
import dev.servedeck.console.testing.Screenshots;
import dev.servedeck.core.batching.BatchingOptions;
import dev.servedeck.core.batching.BatchingParametersFile;
import dev.servedeck.core.batching.tuning.TuningResult;
import dev.servedeck.core.batching.tuning.TuningStep;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ComboBox;
import javafx.scene.control.DialogPane;
import javafx.scene.control.Label;
import org.jfree.chart.fx.ChartViewer;
import org.jfree.data.xy.XYSeriesCollection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;

/**
 * "Find parameters…" on the Batching page against the real embedded server and the demo MLP: a warning first, then
 * a short search (two concurrency levels of one second per step, a 40 s budget) whose steps appear on the chart, and
 * at the end a proposal, the parameters in force before restored, and Apply and Save of the proposal.
 */
class FindParametersPageTest extends DemoConsoleTest {

    @Test
    void aShortSearchOnTheMlpEndsWithAProposalAndTheParametersRestored(FxRobot robot, @TempDir Path dir)
            throws Exception {
        console.startServer();
        // Batches of one row: batching the search tries usually does better on the MLP at concurrency 4 (which step
        // wins is the machine's to say; that one does, and is shown, applied and saved, is what is tested).
        BatchingOptions start = console.backend().batchingOptions().withMaxBatchSize(1).withNumBatchThreads(1)
                .withAllowedBatchSizes(java.util.List.of());
        console.backend().applyBatching(start).get(10, TimeUnit.SECONDS);
        asyncFx(() -> console.composition().mainWindow().show(Page.BATCHING)).get();
        // The node from this console's scene: a window of an earlier test may still be closing.
        waitFor(10, TimeUnit.SECONDS, () -> asyncFx(() -> console.scene().lookup("#findParameters") != null).get());
        robot.clickOn(asyncFx(() -> console.scene().lookup("#findParameters")).get()); // opens the window
        waitFor(10, TimeUnit.SECONDS, () -> robot.lookup("#startFind").tryQuery().isPresent());
        FindParametersViewModel find = console.composition().findParameters();
        waitFor(20, TimeUnit.SECONDS, () -> "mlp".equals(robot.lookup("#findModel").queryAs(ComboBox.class).getValue())
                && asyncFx(() -> find.chooser().signatureProperty().get() != null).get());
        asyncFx(() -> {
            find.p99MillisProperty().set("1000");
            find.levelsProperty().set("1,4");
            find.secondsPerLevelProperty().set("1");
            find.budgetMinutesProperty().set("0.67");
        }).get();
        assertThat(robot.lookup("#applyProposal").queryAs(Button.class).isDisabled()).isTrue();

        robot.clickOn("#startFind");
        waitFor(10, TimeUnit.SECONDS, () -> robot.lookup(".dialog-pane").tryQuery().isPresent());
        DialogPane warning = robot.lookup(".dialog-pane").queryAs(DialogPane.class);
        assertThat(warning.getContentText()).startsWith("Find parameters sends real load to this server")
                .contains("restored");
        robot.clickOn(warning.lookupButton(ButtonType.OK));

        waitFor(20, TimeUnit.SECONDS, () -> robot.lookup("#findProgress").queryAs(Label.class).getText()
                .startsWith("Step 0"));
        waitFor(120, TimeUnit.SECONDS, () -> asyncFx(() -> find.resultProperty().get() != null).get());
        TuningResult result = asyncFx(() -> find.resultProperty().get()).get();

        assertThat(result.ending()).isIn(TuningResult.Ending.COMPLETED, TuningResult.Ending.BUDGET_SPENT);
        assertThat(result.restored()).isTrue();
        assertThat(console.backend().batchingOptions()).isEqualTo(start);
        String steps = String.join("\n", result.steps().stream()
                .map(dev.servedeck.core.batching.tuning.TuningReport::stepLine).toList());
        assertThat(result.steps().size()).as(result.ending() + "\n" + steps).isGreaterThanOrEqualTo(2);
        assertThat(result.steps().get(0).points()).extracting(point -> point.concurrency()).containsExactly(1, 4);
        assertThat(result.proposesAChange()).as(steps).isTrue();
        BatchingOptions proposed = result.proposal().orElseThrow().options();

        XYSeriesCollection chart = (XYSeriesCollection) ((ChartViewer) robot.lookup("#chart-find-parameters").query())
                .getChart().getXYPlot().getDataset();
        long measured = result.steps().stream().filter(step -> !step.points().isEmpty()).count();
        assertThat(chart.getSeries(0).getItemCount() + chart.getSeries(1).getItemCount()).isEqualTo((int) measured);
        assertThat(chart.getSeries(0).getItemCount()).isEqualTo((int) result.steps().stream()
                .filter(TuningStep::withinTarget).count());
        String shown = robot.lookup("#proposal").queryAs(Label.class).getText();
        assertThat(shown).startsWith("Proposal: step " + result.proposal().get().number() + ", ")
                .contains("max_batch_size " + proposed.maxBatchSize() + ", num_batch_threads "
                        + proposed.numBatchThreads() + ", batch_timeout_micros " + proposed.batchTimeoutMicros());
        waitFor(5, TimeUnit.SECONDS, () -> !robot.lookup("#applyProposal").queryAs(Button.class).isDisabled());
        asyncFx(() -> Screenshots.save(robot.lookup("#startFind").query().getScene(), "batching-find-parameters")).get();

        Path saved = dir.resolve("proposal.txt");
        asyncFx(() -> find.saveProposal(saved)).get().get(10, TimeUnit.SECONDS);
        assertThat(BatchingParametersFile.read(saved)).isEqualTo(proposed);
        assertThat(console.backend().batchingOptions()).isEqualTo(start);

        robot.clickOn("#applyProposal");
        waitFor(10, TimeUnit.SECONDS, () -> console.backend().batchingOptions().equals(proposed));
        waitFor(5, TimeUnit.SECONDS, () -> robot.lookup("#findNotice").queryAs(Label.class).getText()
                .startsWith("Applied the proposal"));
    }
}
