package dev.servedeck.console.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.testfx.util.WaitForAsyncUtils.asyncFx;
import static org.testfx.util.WaitForAsyncUtils.waitFor;

import dev.servedeck.console.testing.DemoConsoleTest;
import dev.servedeck.console.testing.Screenshots;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.TextArea;
import javax.imageio.ImageIO;
import org.jfree.chart.fx.ChartViewer;
import org.jfree.data.time.TimeSeriesCollection;
import org.jfree.data.xy.XYSeriesCollection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;

/**
 * The Monitor page against the real embedded server: the load generator sends real REST requests to
 * half_plus_two, and the charts receive points with the throughput the server measured.
 */
class MonitorPageTest extends DemoConsoleTest {

    @Test
    void theChartsReceiveTheLoadGeneratorsRequests(FxRobot robot, @TempDir Path exports) throws Exception {
        console.startServer();
        robot.clickOn("#nav-monitor");
        waitFor(10, TimeUnit.SECONDS, () -> fx(() -> points("chart-throughput", 0) > 0));
        waitFor(10, TimeUnit.SECONDS, () -> robot.lookup("#body").queryAs(TextArea.class).getText()
                .equals("{\"instances\":[[1.0],[2.0],[5.0]]}"));

        robot.doubleClickOn("#requests").write("300");
        robot.doubleClickOn("#concurrency").write("8");
        robot.clickOn("#startLoad");

        waitFor(60, TimeUnit.SECONDS, () -> robot.lookup("#loadProgressText").queryAs(Label.class).getText()
                .startsWith("Sent 300 of 300 · 300 ok · 0 failed"));
        // the same load over gRPC: the engine turns the body into a PredictRequest with the signature's dtypes
        robot.clickOn("#grpc");
        robot.doubleClickOn("#requests").write("200");
        robot.clickOn("#startLoad");
        waitFor(60, TimeUnit.SECONDS, () -> robot.lookup("#loadProgressText").queryAs(Label.class).getText()
                .startsWith("Sent 200 of 200 · 200 ok · 0 failed"));
        robot.clickOn("#grpc");
        // the server's next statistics steps carry the requests into the charts
        waitFor(10, TimeUnit.SECONDS, () -> fx(() -> maxValue("chart-throughput", 0) > 0
                && maxValue("chart-latency", 2) > 0));
        fx(() -> {
            assertThat(points("chart-throughput", 0)).isGreaterThan(1);
            assertThat(maxValue("chart-throughput", 1)).as("rows/s: three rows per request")
                    .isGreaterThan(maxValue("chart-throughput", 0));
            assertThat(maxValue("chart-errors", 0)).isZero();
            assertThat(maxValue("chart-batch-size", 0)).isGreaterThanOrEqualTo(3); // batching is on in the console
            assertThat(points("chart-queue-depth", 0)).isEqualTo(points("chart-throughput", 0));
            return true;
        });

        // while the MLP is under load: the picture for the README
        asyncFx(() -> console.composition().monitor().windowProperty().set(ChartWindow.ONE_MINUTE)).get();
        robot.clickOn("#loadModel").clickOn("mlp");
        waitFor(10, TimeUnit.SECONDS, () -> robot.lookup("#body").queryAs(TextArea.class).getText()
                .startsWith("{\"instances\":[[0.0,0.0,"));
        robot.doubleClickOn("#requests").write("20000");
        robot.clickOn("#startLoad");
        waitFor(30, TimeUnit.SECONDS, () -> fx(() -> console.composition().monitor().load().sentProperty().get() > 3_000
                && maxValue("chart-throughput", 0) > 0));
        Path screenshot = asyncFx(() -> console.screenshot("monitor")).get();
        assertThat(Files.size(screenshot)).isGreaterThan(20_000);
        robot.clickOn("#stopLoad");
        waitFor(30, TimeUnit.SECONDS, () -> !console.composition().monitor().load().runningProperty().get());

        Path png = exports.resolve(asyncFx(() -> console.composition().monitor().exportFileName(ChartKind.THROUGHPUT)).get());
        asyncFx(() -> console.composition().monitor().exportChart(ChartKind.THROUGHPUT, png)).get().get(10, TimeUnit.SECONDS);
        assertThat(png.getFileName().toString()).matches("servedeck-throughput-\\d{8}-\\d{6}\\.png");
        assertThat(Files.readAllBytes(png)).startsWith(0x89, 'P', 'N', 'G');
        assertThat(Files.size(png)).isGreaterThan(10_000);
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(MonitorView.EXPORT_WIDTH);
        assertThat(image.getHeight()).isEqualTo(MonitorView.EXPORT_HEIGHT);
        assertThat(new Color(image.getRGB(2, 2))).isEqualTo(Color.WHITE); // the light theme's background
        waitFor(5, TimeUnit.SECONDS, () -> robot.lookup(".sd-monitor-notice").queryAs(Label.class).getText()
                .equals("Saved the throughput chart to " + png));
    }

    @Test
    void aConcurrencySweepDrawsACurveWithAPointPerLevelAndExportsIt(FxRobot robot, @TempDir Path exports)
            throws Exception {
        console.startServer();
        robot.clickOn("#nav-monitor");
        waitFor(10, TimeUnit.SECONDS, () -> robot.lookup("#body").queryAs(TextArea.class).getText()
                .equals("{\"instances\":[[1.0],[2.0],[5.0]]}"));
        assertThat(robot.lookup("#curveCard").tryQuery()).as("no curve before a sweep").isEmpty();

        robot.doubleClickOn("#sweepLevels").eraseText(20).write("1,2,4");
        robot.doubleClickOn("#sweepSeconds").write("1");
        robot.clickOn("#startSweep");
        // live: the level running and its numbers, from one snapshot per tick
        waitFor(30, TimeUnit.SECONDS, () -> robot.lookup("#loadProgressText").queryAs(Label.class).getText()
                .matches("Sweep c\\d \\(level \\d of 3\\): measuring .* req/s now .*"));
        waitFor(60, TimeUnit.SECONDS, () -> robot.lookup("#loadProgressText").queryAs(Label.class).getText()
                .startsWith("Swept 3 of 3 levels · best "));

        // the curve opens in a window of its own
        waitFor(10, TimeUnit.SECONDS, () -> robot.lookup("#curveCard").tryQuery()
                .map(card -> card.getScene().getWindow().isShowing()).orElse(false));
        fx(() -> {
            XYSeriesCollection curve = (XYSeriesCollection) viewer("chart-curve").getChart().getXYPlot().getDataset();
            assertThat(curve.getSeriesCount()).isEqualTo(2);
            for (int line = 0; line < 2; line++) {
                assertThat(curve.getSeries(line).getItemCount()).isEqualTo(3);
                for (int item = 0; item < 3; item++) {
                    assertThat(curve.getXValue(line, item)).as("req/s").isPositive();
                    assertThat(curve.getYValue(line, item)).as("ms").isPositive();
                }
            }
            assertThat(curve.getSeries(0).getKey()).isEqualTo("p50");
            assertThat(curve.getSeries(1).getKey()).isEqualTo("p99");
            var labels = viewer("chart-curve").getChart().getXYPlot().getRenderer();
            assertThat(List.of(0, 1, 2)).extracting(item -> labels.getItemLabelGenerator(1, item)
                    .generateLabel(curve, 1, item)).containsExactly("c1", "c2", "c4");
            for (int item = 0; item < 3; item++) {
                assertThat(curve.getYValue(1, item)).as("p99 over p50").isGreaterThanOrEqualTo(curve.getYValue(0, item));
                assertThat(curve.getXValue(1, item)).isEqualTo(curve.getXValue(0, item));
            }
            return true;
        });
        asyncFx(() -> Screenshots.save(robot.lookup("#curveCard").query().getScene(), "monitor-sweep-curve")).get();

        LoadGeneratorViewModel load = console.composition().monitor().load();
        Path csv = exports.resolve("sweep.csv");
        asyncFx(() -> load.exportCurveCsv(csv)).get().get(10, TimeUnit.SECONDS);
        List<String> rows = Files.readAllLines(csv);
        assertThat(rows).hasSize(4);
        assertThat(rows.get(0)).startsWith("concurrency,requests_per_second,rows_per_second,p50_ms,p90_ms,p99_ms");
        assertThat(rows.subList(1, 4)).extracting(row -> row.split(",")[0]).containsExactly("1", "2", "4");
        assertThat(rows.subList(1, 4)).allSatisfy(row -> assertThat(Double.parseDouble(row.split(",")[1])).isPositive());
        waitFor(5, TimeUnit.SECONDS, () -> robot.lookup("#curveNotice").queryAs(Label.class).getText()
                .equals("Saved the sweep's points to " + csv));

        Path png = exports.resolve("sweep.png");
        asyncFx(() -> load.exportCurvePng(png)).get().get(10, TimeUnit.SECONDS);
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(MonitorView.EXPORT_WIDTH);
        assertThat(image.getHeight()).isEqualTo(MonitorView.EXPORT_HEIGHT);
    }

    @Test
    void aSweepCanBeCancelledAtAnyTime(FxRobot robot) throws Exception {
        console.startServer();
        robot.clickOn("#nav-monitor");
        waitFor(10, TimeUnit.SECONDS, () -> !robot.lookup("#body").queryAs(TextArea.class).getText().isEmpty());
        robot.doubleClickOn("#sweepSeconds").write("60");
        robot.clickOn("#startSweep");
        waitFor(30, TimeUnit.SECONDS, () -> robot.lookup("#loadProgressText").queryAs(Label.class).getText()
                .startsWith("Sweep c1 (level 1 of 7): measuring"));

        robot.clickOn("#stopLoad");

        waitFor(20, TimeUnit.SECONDS, () -> robot.lookup("#loadProgressText").queryAs(Label.class).getText()
                .startsWith("Swept 1 of 7 levels"));
        assertThat(robot.lookup("#loadProgressText").queryAs(Label.class).getText()).endsWith("· cancelled");
        assertThat(console.composition().monitor().load().runningProperty().get()).isFalse();
    }

    @Test
    void theChartsFollowTheTheme(FxRobot robot) throws Exception {
        robot.clickOn("#nav-monitor");
        assertThat(fx(() -> background("chart-latency"))).isEqualTo(new Color(0xffffff));

        robot.clickOn("#darkTheme");
        waitFor(5, TimeUnit.SECONDS, () -> fx(() -> background("chart-latency").equals(new Color(0x0d1117))));
        robot.clickOn("#darkTheme");
        waitFor(5, TimeUnit.SECONDS, () -> fx(() -> background("chart-latency").equals(new Color(0xffffff))));
        assertThat(robot.lookup("#darkTheme").queryAs(CheckBox.class).isSelected()).isFalse();
    }

    private static ChartViewer viewer(String id) {
        return (ChartViewer) new FxRobot().lookup("#" + id).query();
    }

    private static int points(String chart, int series) {
        return ((TimeSeriesCollection) viewer(chart).getChart().getXYPlot().getDataset()).getSeries(series).getItemCount();
    }

    private static double maxValue(String chart, int series) {
        var timeSeries = ((TimeSeriesCollection) viewer(chart).getChart().getXYPlot().getDataset()).getSeries(series);
        double max = 0;
        for (int i = 0; i < timeSeries.getItemCount(); i++) {
            Number value = timeSeries.getValue(i);
            if (value != null) {
                max = Math.max(max, value.doubleValue());
            }
        }
        return max;
    }

    private static Color background(String chart) {
        return (Color) viewer(chart).getChart().getBackgroundPaint();
    }

    /** Reads chart data on the FX thread, where the charts change. */
    private static <T> T fx(java.util.concurrent.Callable<T> read) throws Exception {
        return asyncFx(read).get(10, TimeUnit.SECONDS);
    }
}
