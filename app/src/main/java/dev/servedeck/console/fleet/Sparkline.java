package dev.servedeck.console.fleet;

import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.paint.Paint;

/**
 * A small line of recent values drawn on a canvas: scaled from zero to the largest value shown, {@link Double#NaN}
 * a break. A canvas rather than a chart: ten servers with two lines each redraw every second, and one path on a
 * canvas costs a fraction of what a chart's nodes do.
 */
final class Sparkline extends Canvas {

    /** The fewest points the width stands for (half a minute at a point a second). */
    static final int MIN_SPAN = 30;

    Sparkline(double width, double height) {
        super(width, height);
    }

    /**
     * Draws {@code values} (oldest first), the newest at the right edge. The line spans at least {@link #MIN_SPAN}
     * points' width and grows to the whole history: a page opened a few seconds ago shows a line, not a dot.
     */
    void draw(double[] values, Paint stroke) {
        GraphicsContext g = getGraphicsContext2D();
        double width = getWidth();
        double height = getHeight();
        g.clearRect(0, 0, width, height);
        double max = 0;
        for (double value : values) {
            if (!Double.isNaN(value) && value > max) {
                max = value;
            }
        }
        if (max <= 0) {
            max = 1; // an idle server: a flat line at the bottom
        }
        double step = width / Math.max(MIN_SPAN, values.length - 1);
        double x0 = width - step * (values.length - 1); // the newest point at the right edge
        g.setStroke(stroke);
        g.setLineWidth(1.2);
        boolean drawing = false;
        g.beginPath();
        for (int i = 0; i < values.length; i++) {
            double value = values[i];
            if (Double.isNaN(value)) {
                drawing = false;
                continue;
            }
            double x = x0 + i * step;
            double y = height - 1 - (height - 2) * value / max;
            if (drawing) {
                g.lineTo(x, y);
            } else {
                g.moveTo(x, y);
                drawing = true;
            }
        }
        g.stroke();
    }
}
