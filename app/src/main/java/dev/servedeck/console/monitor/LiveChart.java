package dev.servedeck.console.monitor;

import dev.servedeck.core.metrics.StatisticsSample;
import java.awt.BasicStroke;
import java.awt.image.BufferedImage;
import java.text.SimpleDateFormat;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.AxisSpace;
import org.jfree.chart.axis.DateAxis;
import org.jfree.chart.axis.DateTickUnit;
import org.jfree.chart.axis.DateTickUnitType;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.fx.ChartCanvas;
import org.jfree.chart.fx.ChartViewer;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.HorizontalAlignment;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.data.Range;
import org.jfree.data.RangeType;
import org.jfree.data.time.FixedMillisecond;
import org.jfree.data.time.TimeSeries;
import org.jfree.data.time.TimeSeriesCollection;

/**
 * One live JFreeChart of the Monitor: a time series per line of its {@link ChartKind}, a time axis that
 * always spans the chosen window up to the newest point, and the theme's colours.
 *
 * <p>JFreeChart redraws the whole chart on every change event, so a tick's changes are made with events
 * off ({@code setNotify(false)}, series added to without notifying) and the chart is redrawn once at the
 * end. Series are capped by age (the window) and by count. The viewer's zoom, pan and scroll handlers are
 * removed: the time axis is set by every tick, so zooming would be undone at once.
 *
 * <p>Drawing is kept cheap for the FX thread (profiled: measuring text through JavaFX nodes dominated):
 * the axes get fixed space instead of measuring every tick label, the time axis a fixed tick unit per
 * window, the unit is in the card's header rather than a rotated axis label, and the renderer draws each
 * line as one path in one pass without hit-testing entities (there are no tooltips). An exported PNG gets
 * its title and axis label back.
 */
final class LiveChart {

    private static final int MAX_ITEMS = MonitorViewModel.MAX_SAMPLES_PER_SCOPE;

    private final ChartKind kind;
    private final List<TimeSeries> series = new ArrayList<>();
    private final JFreeChart chart;
    private final XYPlot plot;
    private final DateAxis timeAxis;
    private final ValueNumberAxis valueAxis;
    private final XYLineAndShapeRenderer renderer;
    private final ChartViewer viewer;
    private ChartPalette palette = ChartPalette.LIGHT;
    private long windowMillis;
    private long newestMillis = Long.MIN_VALUE;

    LiveChart(ChartKind kind, long windowMillis) {
        this.kind = kind;
        this.windowMillis = windowMillis;
        TimeSeriesCollection dataset = new TimeSeriesCollection();
        for (ChartKind.Series line : kind.series()) {
            TimeSeries timeSeries = new TimeSeries(line.name());
            timeSeries.setMaximumItemCount(MAX_ITEMS);
            timeSeries.setMaximumItemAge(windowMillis);
            series.add(timeSeries);
            dataset.addSeries(timeSeries);
        }
        timeAxis = new DateAxis();
        timeAxis.setLowerMargin(0);
        timeAxis.setUpperMargin(0);
        // a little lower than JFreeChart's default: a time label at the left edge must clear the value axis's "0"
        timeAxis.setTickLabelInsets(new RectangleInsets(7, 4, 2, 4));
        valueAxis = new ValueNumberAxis();
        valueAxis.setAutoRangeIncludesZero(true);
        valueAxis.setAutoRangeMinimumSize(kind == ChartKind.LATENCY ? 0.5 : 1.0);
        valueAxis.setRangeType(RangeType.POSITIVE);
        valueAxis.setLabel(null);
        renderer = new LinesOnly();
        plot = new XYPlot(dataset, timeAxis, valueAxis, renderer);
        chart = new JFreeChart(null, null, plot, false); // the card's header shows the legend
        viewer = new ChartViewer(chart, false);
        ChartCanvas canvas = viewer.getCanvas();
        for (String handler : List.of("zoom", "pan", "scroll", "anchor", "tooltip")) {
            if (canvas.getMouseHandler(handler) != null) {
                canvas.removeMouseHandler(canvas.getMouseHandler(handler));
            }
        }
        viewer.setMinSize(0, 0);
        viewer.setPrefSize(100, 100); // the grid decides the size; a canvas never asks to shrink
        setTimeTicks(windowMillis);
        setTimeRange(System.currentTimeMillis());
    }

    /**
     * A value axis that, while live, does not measure its tick labels to place an axis label it does not
     * have (JFreeChart measures text through a new JavaFX node per string); exports measure as usual.
     */
    private static final class ValueNumberAxis extends NumberAxis {

        private boolean measuring;
        private double fixedWidth;

        @Override
        protected double findMaximumTickLabelWidth(List ticks, java.awt.Graphics2D g2,
                java.awt.geom.Rectangle2D drawArea, boolean vertical) {
            return measuring ? super.findMaximumTickLabelWidth(ticks, g2, drawArea, vertical) : fixedWidth;
        }
    }

    /** Lines as one path per series, in one pass, with no entities for tooltips or clicks. */
    private static final class LinesOnly extends XYLineAndShapeRenderer {

        LinesOnly() {
            super(true, false);
            setDrawSeriesLineAsPath(true);
        }

        @Override
        public int getPassCount() {
            return 1; // the second pass only draws shapes (none) and collects entities (not used)
        }
    }

    ChartViewer viewer() {
        return viewer;
    }

    /** Adds the newest sample and redraws once. Samples not newer than the last one are ignored. */
    void append(StatisticsSample sample) {
        if (sample.timeMillis() <= newestMillis) {
            return;
        }
        chart.setNotify(false);
        try {
            add(sample);
            series.forEach(TimeSeries::fireSeriesChanged);
            setTimeRange(sample.timeMillis());
        } finally {
            chart.setNotify(true);
        }
    }

    /** Replaces every point with {@code samples} (scope or window changed, charts shown again) and redraws once. */
    void show(List<StatisticsSample> samples, long window) {
        chart.setNotify(false);
        try {
            windowMillis = window;
            setTimeTicks(window);
            newestMillis = Long.MIN_VALUE;
            for (TimeSeries timeSeries : series) {
                timeSeries.setMaximumItemAge(window);
                if (timeSeries.getItemCount() > 0) {
                    timeSeries.delete(0, timeSeries.getItemCount() - 1, false);
                }
            }
            samples.forEach(this::add);
            series.forEach(TimeSeries::fireSeriesChanged);
            setTimeRange(samples.isEmpty() ? System.currentTimeMillis() : newestMillis);
        } finally {
            chart.setNotify(true);
        }
    }

    private void add(StatisticsSample sample) {
        FixedMillisecond period = new FixedMillisecond(sample.timeMillis());
        for (int i = 0; i < series.size(); i++) {
            double value = kind.series().get(i).value().applyAsDouble(sample);
            series.get(i).add(period, Double.isNaN(value) ? null : value, false); // null: a gap in the line
        }
        newestMillis = sample.timeMillis();
    }

    /** About five labels whatever the window, without JFreeChart measuring candidate labels every tick. */
    private void setTimeTicks(long window) {
        DateTickUnit unit;
        if (window <= 60_000) {
            unit = new DateTickUnit(DateTickUnitType.SECOND, 15, new SimpleDateFormat("HH:mm:ss"));
        } else if (window <= 5 * 60_000) {
            unit = new DateTickUnit(DateTickUnitType.MINUTE, 1, new SimpleDateFormat("HH:mm"));
        } else {
            unit = new DateTickUnit(DateTickUnitType.MINUTE, 3, new SimpleDateFormat("HH:mm"));
        }
        timeAxis.setTickUnit(unit, false, true); // true: no automatic selection
    }

    private void setTimeRange(long newest) {
        timeAxis.setRange(new Range(newest - windowMillis, newest), true, false);
    }

    int itemCount(int line) {
        return series.get(line).getItemCount();
    }

    /** The newest value of a line, or NaN. */
    double newestValue(int line) {
        TimeSeries timeSeries = series.get(line);
        if (timeSeries.getItemCount() == 0 || timeSeries.getValue(timeSeries.getItemCount() - 1) == null) {
            return Double.NaN;
        }
        return timeSeries.getValue(timeSeries.getItemCount() - 1).doubleValue();
    }

    /** The largest value any line holds now (0 when none). */
    double maxValue() {
        double max = 0;
        for (TimeSeries timeSeries : series) {
            for (int i = 0; i < timeSeries.getItemCount(); i++) {
                Number value = timeSeries.getValue(i);
                if (value != null) {
                    max = Math.max(max, value.doubleValue());
                }
            }
        }
        return max;
    }

    JFreeChart chart() {
        return chart;
    }

    /** Colours, fonts and strokes of the theme; redraws once. */
    void applyTheme(ChartPalette theme) {
        this.palette = theme;
        chart.setNotify(false);
        try {
            chart.setBackgroundPaint(theme.background());
            chart.setBorderVisible(false);
            // on the right, room for half the newest time label, which is centred on the plot's edge
            chart.setPadding(new RectangleInsets(2, 2, 2, Math.ceil(theme.fontSize() * 0.8 * 2.6)));
            plot.setBackgroundPaint(theme.background());
            plot.setOutlineVisible(false);
            plot.setAxisOffset(RectangleInsets.ZERO_INSETS);
            plot.setFixedRangeAxisSpace(leftSpace(theme));
            valueAxis.fixedWidth = leftSpace(theme).getLeft() - 8;
            plot.setFixedDomainAxisSpace(bottomSpace(theme));
            plot.setDomainGridlinePaint(theme.grid());
            plot.setRangeGridlinePaint(theme.grid());
            BasicStroke gridLine = new BasicStroke(1f);
            plot.setDomainGridlineStroke(gridLine);
            plot.setRangeGridlineStroke(gridLine);
            for (ValueAxis axis : List.of(timeAxis, valueAxis)) {
                axis.setAxisLinePaint(theme.axis());
                axis.setTickMarkPaint(theme.axis());
                axis.setTickLabelPaint(theme.mutedText());
                axis.setTickLabelFont(theme.font(0.8f, false));
                axis.setLabelPaint(theme.mutedText());
                axis.setLabelFont(theme.font(0.8f, false));
            }
            for (int i = 0; i < kind.series().size(); i++) {
                renderer.setSeriesPaint(i, theme.roles().get(kind.series().get(i).role()), false);
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
        legend.setItemFont(palette.font(0.9f, false));
        legend.setFrame(BlockBorder.NONE);
        legend.setItemLabelPadding(new RectangleInsets(0, 3, 0, 12));
        return legend;
    }

    /** Room for tick labels of up to seven characters ("100,000", "0.25"): measured once, not every tick. */
    private static AxisSpace leftSpace(ChartPalette theme) {
        AxisSpace space = new AxisSpace();
        space.setLeft(Math.ceil(theme.fontSize() * 0.8 * 5.2 + 8));
        return space;
    }

    private static AxisSpace bottomSpace(ChartPalette theme) {
        AxisSpace space = new AxisSpace();
        space.setBottom(Math.ceil(theme.fontSize() * 0.8 * 1.5 + 13));
        return space;
    }

    /** Draws the chart as it is now, titled, into an image (on the FX thread); the PNG is encoded later. */
    ChartPng png(String subtitle, int width, int height) {
        BufferedImage image;
        chart.setNotify(false);
        try {
            chart.setTitle(new TextTitle(kind.title() + " · " + subtitle, palette.font(1.2f, true), palette.text(),
                    RectangleEdge.TOP, HorizontalAlignment.LEFT, org.jfree.chart.ui.VerticalAlignment.CENTER,
                    new RectangleInsets(4, 8, 4, 8)));
            // the axes measure their labels here: a one-off, and an image has no card header to name the unit
            plot.setFixedRangeAxisSpace(null, false);
            plot.setFixedDomainAxisSpace(null, false);
            valueAxis.setLabel(kind.unit());
            valueAxis.measuring = true;
            LegendTitle legend = kind.series().size() > 1 ? legend() : null;
            if (legend != null) {
                chart.addLegend(legend);
            }
            image = chart.createBufferedImage(width, height);
            if (legend != null) {
                chart.removeLegend();
            }
            valueAxis.measuring = false;
            valueAxis.setLabel(null);
            plot.setFixedRangeAxisSpace(leftSpace(palette), false);
            plot.setFixedDomainAxisSpace(bottomSpace(palette), false);
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
