package dev.servedeck.console.monitor;

import java.awt.BasicStroke;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.fx.ChartViewer;
import org.jfree.chart.labels.ItemLabelAnchor;
import org.jfree.chart.labels.ItemLabelPosition;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.HorizontalAlignment;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * A chart of measured points, each labelled (a latency-throughput curve's points by their concurrency, the batching
 * tuner's steps by their number), with its own x and y axes: JFreeChart, themed like the live charts, exported as PNG
 * the same way. Points come a few per run (one per level or step), never per request.
 */
public final class PointsChart {

    /** One line of points. */
    public record Line(String name, ChartKind.SeriesRole role, boolean joined) {
    }

    private final String title;
    private final List<Line> lines;
    private final List<XYSeries> series = new ArrayList<>();
    private final List<List<String>> labels = new ArrayList<>();
    private final JFreeChart chart;
    private final XYPlot plot;
    private final XYLineAndShapeRenderer renderer;
    private final ChartViewer viewer;
    private ChartPalette palette = ChartPalette.LIGHT;

    public PointsChart(String title, String xLabel, String yLabel, List<Line> lines) {
        this.title = title;
        this.lines = List.copyOf(lines);
        XYSeriesCollection dataset = new XYSeriesCollection();
        for (Line line : lines) {
            XYSeries points = new XYSeries(line.name(), false, true); // in the order measured, not sorted by x
            series.add(points);
            labels.add(new ArrayList<>());
            dataset.addSeries(points);
        }
        NumberAxis x = new NumberAxis(xLabel);
        x.setAutoRangeIncludesZero(true);
        NumberAxis y = new NumberAxis(yLabel);
        y.setAutoRangeIncludesZero(true);
        renderer = new XYLineAndShapeRenderer(true, true);
        for (int i = 0; i < lines.size(); i++) {
            renderer.setSeriesLinesVisible(i, lines.get(i).joined());
        }
        renderer.setDefaultItemLabelGenerator((data, line, item) -> labels.get(line).get(item));
        renderer.setDefaultItemLabelsVisible(true);
        renderer.setDefaultPositiveItemLabelPosition(new ItemLabelPosition(ItemLabelAnchor.OUTSIDE12,
                TextAnchor.BOTTOM_CENTER));
        plot = new XYPlot(dataset, x, y, renderer);
        chart = new JFreeChart(null, null, plot, false);
        viewer = new ChartViewer(chart, false);
        viewer.setMinSize(0, 0);
        viewer.setPrefSize(100, 100);
        applyTheme(ChartPalette.LIGHT);
    }

    public ChartViewer viewer() {
        return viewer;
    }

    /** Adds a point to line {@code line}; redraws once. */
    public void add(int line, double x, double y, String label) {
        labels.get(line).add(label);
        series.get(line).add(x, y);
    }

    /** Removes every point; redraws once. */
    public void clear() {
        chart.setNotify(false);
        try {
            for (int i = 0; i < series.size(); i++) {
                labels.get(i).clear();
                series.get(i).clear();
            }
        } finally {
            chart.setNotify(true);
        }
    }

    public int pointCount(int line) {
        return series.get(line).getItemCount();
    }

    public String label(int line, int item) {
        return labels.get(line).get(item);
    }

    public double x(int line, int item) {
        return series.get(line).getX(item).doubleValue();
    }

    public double y(int line, int item) {
        return series.get(line).getY(item).doubleValue();
    }

    void applyTheme(ChartPalette theme) {
        this.palette = theme;
        chart.setNotify(false);
        try {
            chart.setBackgroundPaint(theme.background());
            chart.setBorderVisible(false);
            plot.setBackgroundPaint(theme.background());
            plot.setOutlineVisible(false);
            plot.setDomainGridlinePaint(theme.grid());
            plot.setRangeGridlinePaint(theme.grid());
            for (var axis : List.of(plot.getDomainAxis(), plot.getRangeAxis())) {
                axis.setAxisLinePaint(theme.axis());
                axis.setTickMarkPaint(theme.axis());
                axis.setTickLabelPaint(theme.mutedText());
                axis.setTickLabelFont(theme.font(0.8f, false));
                axis.setLabelPaint(theme.mutedText());
                axis.setLabelFont(theme.font(0.8f, false));
            }
            renderer.setDefaultItemLabelPaint(theme.mutedText());
            renderer.setDefaultItemLabelFont(theme.font(0.75f, false));
            for (int i = 0; i < lines.size(); i++) {
                renderer.setSeriesPaint(i, theme.roles().get(lines.get(i).role()), false);
                renderer.setSeriesStroke(i, new BasicStroke(1.8f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND), false);
            }
        } finally {
            chart.setNotify(true);
        }
    }

    private LegendTitle legend() {
        LegendTitle legend = new LegendTitle(plot);
        legend.setPosition(RectangleEdge.TOP);
        legend.setHorizontalAlignment(HorizontalAlignment.RIGHT);
        legend.setBackgroundPaint(palette.background());
        legend.setItemPaint(palette.text());
        legend.setItemFont(palette.font(0.85f, false));
        legend.setFrame(BlockBorder.NONE);
        legend.setItemLabelPadding(new RectangleInsets(0, 3, 0, 12));
        return legend;
    }

    /** Draws the chart as it is now, titled, into an image (on the FX thread); the PNG is encoded later. */
    public ChartPng png(String subtitle, int width, int height) {
        BufferedImage image;
        chart.setNotify(false);
        try {
            chart.setTitle(new TextTitle(title + (subtitle.isEmpty() ? "" : " · " + subtitle),
                    palette.font(1.2f, true), palette.text(), RectangleEdge.TOP, HorizontalAlignment.LEFT,
                    org.jfree.chart.ui.VerticalAlignment.CENTER, new RectangleInsets(4, 8, 4, 8)));
            // the page shows the legend in the card's header; an image has none, so it gets its own
            chart.addLegend(legend());
            image = chart.createBufferedImage(width, height);
            chart.removeLegend();
            chart.setTitle((TextTitle) null);
        } finally {
            chart.setNotify(true);
        }
        return file -> {
            if (!ImageIO.write(image, "png", file.toFile())) {
                throw new java.io.IOException("No PNG writer available");
            }
        };
    }
}
