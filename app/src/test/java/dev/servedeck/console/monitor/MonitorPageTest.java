package dev.servedeck.console.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.testfx.util.WaitForAsyncUtils.asyncFx;
import static org.testfx.util.WaitForAsyncUtils.waitFor;

import dev.servedeck.console.testing.DemoConsoleTest;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.TextArea;
import javax.imageio.ImageIO;
import org.jfree.chart.fx.ChartViewer;
import org.jfree.data.time.TimeSeriesCollection;
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
