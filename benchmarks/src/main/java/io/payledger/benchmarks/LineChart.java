package io.payledger.benchmarks;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * A plain line chart written as PNG with Java2D, so the benchmark report needs no charting library:
 * a title, labelled axes from zero, one coloured line per series, and a legend.
 */
final class LineChart {

    private static final int WIDTH = 900;
    private static final int HEIGHT = 480;
    private static final int LEFT = 90;
    private static final int RIGHT = 220;
    private static final int TOP = 50;
    private static final int BOTTOM = 60;
    private static final Color[] COLOURS = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
            new Color(0xff7f0e), new Color(0x9467bd), new Color(0x8c564b)};

    record Series(String name, double[] x, double[] y) { }

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final List<Series> series = new ArrayList<>();

    LineChart(String title, String xLabel, String yLabel) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
    }

    LineChart add(String name, double[] x, double[] y) {
        series.add(new Series(name, x, y));
        return this;
    }

    /** Latency against percentile (0 to 99.9), from a histogram. */
    LineChart addPercentiles(String name, Histogram latencies) {
        double[] percentiles = {0.1, 1, 5, 10, 20, 30, 40, 50, 60, 70, 75, 80, 85, 90, 95, 97, 98, 99, 99.5, 99.9};
        double[] millis = new double[percentiles.length];
        for (int i = 0; i < percentiles.length; i++) {
            millis[i] = latencies.percentileMillis(percentiles[i]);
        }
        return add(name, percentiles, millis);
    }

    /** Calls per second against the second of the run. */
    LineChart addThroughput(String name, long[] perSecond) {
        double[] x = new double[perSecond.length];
        double[] y = new double[perSecond.length];
        for (int i = 0; i < perSecond.length; i++) {
            x[i] = i + 1;
            y[i] = perSecond[i];
        }
        return add(name, x, y);
    }

    void write(Path png) throws IOException {
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, HEIGHT);
        double maxX = series.stream().flatMapToDouble(s -> java.util.Arrays.stream(s.x())).max().orElse(1);
        double maxY = niceCeiling(series.stream().flatMapToDouble(s -> java.util.Arrays.stream(s.y())).max().orElse(1));
        int plotWidth = WIDTH - LEFT - RIGHT;
        int plotHeight = HEIGHT - TOP - BOTTOM;

        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString(title, LEFT, 30);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        for (int tick = 0; tick <= 5; tick++) {
            int y = TOP + plotHeight - tick * plotHeight / 5;
            int x = LEFT + tick * plotWidth / 5;
            g.setColor(new Color(0xe0e0e0));
            g.drawLine(LEFT, y, LEFT + plotWidth, y);
            g.setColor(Color.DARK_GRAY);
            String label = format(maxY * tick / 5);
            g.drawString(label, LEFT - 6 - g.getFontMetrics().stringWidth(label), y + 4);
            g.drawString(format(maxX * tick / 5), x - 10, TOP + plotHeight + 18);
        }
        g.setColor(Color.BLACK);
        g.drawRect(LEFT, TOP, plotWidth, plotHeight);
        g.drawString(xLabel, LEFT + plotWidth / 2 - 40, HEIGHT - 18);
        g.rotate(-Math.PI / 2);
        g.drawString(yLabel, -(TOP + plotHeight / 2 + g.getFontMetrics().stringWidth(yLabel) / 2), 16);
        g.rotate(Math.PI / 2);

        g.setStroke(new BasicStroke(2f));
        for (int i = 0; i < series.size(); i++) {
            Series line = series.get(i);
            g.setColor(COLOURS[i % COLOURS.length]);
            for (int p = 1; p < line.x().length; p++) {
                g.drawLine(px(line.x()[p - 1], maxX, plotWidth), py(line.y()[p - 1], maxY, plotHeight),
                        px(line.x()[p], maxX, plotWidth), py(line.y()[p], maxY, plotHeight));
            }
            int legendY = TOP + 10 + i * 20;
            g.fillRect(LEFT + plotWidth + 15, legendY - 8, 14, 4);
            g.setColor(Color.BLACK);
            g.drawString(line.name(), LEFT + plotWidth + 35, legendY - 2);
        }
        g.dispose();
        ImageIO.write(image, "png", png.toFile());
    }

    private static int px(double x, double maxX, int plotWidth) {
        return LEFT + (int) Math.round(x / maxX * plotWidth);
    }

    private static int py(double y, double maxY, int plotHeight) {
        return TOP + plotHeight - (int) Math.round(Math.min(y, maxY) / maxY * plotHeight);
    }

    private static double niceCeiling(double value) {
        if (value <= 0) {
            return 1;
        }
        double magnitude = Math.pow(10, Math.floor(Math.log10(value)));
        for (double step : new double[] {1, 2, 2.5, 5, 10}) {
            if (step * magnitude >= value) {
                return step * magnitude;
            }
        }
        return 10 * magnitude;
    }

    private static String format(double value) {
        return value >= 100 || value == Math.rint(value) ? "%.0f".formatted(value) : "%.1f".formatted(value);
    }
}
