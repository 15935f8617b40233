package dev.ordo.benchmarks.report;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Hand-written SVG: a horizontal bar chart, one bar per row, coloured by series, linear or logarithmic axis.
 * Stateless and thread-safe.
 */
public final class BarChartSvg
{
    private static final String[] PALETTE = {"#1f77b4", "#ff7f0e", "#7f7f7f", "#2ca02c", "#d62728", "#9467bd"};
    private static final int LABEL_WIDTH = 430;
    private static final int PLOT_WIDTH = 470;
    private static final int BAR_HEIGHT = 16;
    private static final int GAP = 4;
    private static final int TOP = 56;

    /**
     * @param label     text left of the bar.
     * @param value     bar length in the axis unit; NaN or non-positive values draw no bar.
     * @param series    colour group (legend entry).
     * @param valueText text right of the bar.
     */
    public record Bar(String label, double value, String series, String valueText)
    {
    }

    private BarChartSvg()
    {
    }

    /**
     * @param title     chart title.
     * @param axisTitle axis caption.
     * @param bars      bars, top to bottom.
     * @param logScale  logarithmic axis (decades) instead of linear from 0.
     * @return the SVG document.
     */
    public static String render(
        final String title, final String axisTitle, final List<Bar> bars, final boolean logScale)
    {
        double max = 0;
        double min = Double.MAX_VALUE;
        for (final Bar bar : bars)
        {
            if (bar.value() > 0 && !Double.isInfinite(bar.value()))
            {
                max = Math.max(max, bar.value());
                min = Math.min(min, bar.value());
            }
        }
        if (max == 0)
        {
            max = 1;
            min = 1;
        }
        final double lo = logScale ? Math.pow(10, Math.floor(Math.log10(min))) : 0;
        final double hi = logScale ? Math.pow(10, Math.ceil(Math.log10(max) + 1e-9)) : niceCeiling(max);

        final Map<String, String> colours = new LinkedHashMap<>();
        for (final Bar bar : bars)
        {
            colours.computeIfAbsent(bar.series(), s -> PALETTE[colours.size() % PALETTE.length]);
        }
        final int width = LABEL_WIDTH + PLOT_WIDTH + 110;
        final int plotBottom = TOP + bars.size() * (BAR_HEIGHT + GAP);
        final int height = plotBottom + 50;
        final StringBuilder sb = new StringBuilder(4096);
        sb.append(String.format(Locale.ROOT,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" " +
            "font-family=\"sans-serif\" font-size=\"12\">%n", width, height, width, height));
        sb.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", width, height));
        sb.append(String.format(Locale.ROOT,
            "<text x=\"10\" y=\"22\" font-size=\"16\" font-weight=\"bold\">%s</text>%n",
            escape(title)));

        int legendX = LABEL_WIDTH;
        for (final Map.Entry<String, String> e : colours.entrySet())
        {
            sb.append(String.format(Locale.ROOT,
                "<rect x=\"%d\" y=\"32\" width=\"12\" height=\"12\" fill=\"%s\"/><text x=\"%d\" y=\"43\">%s</text>%n",
                legendX, e.getValue(), legendX + 16, escape(e.getKey())));
            legendX += 24 + 8 * e.getKey().length();
        }

        // grid and tick labels
        final List<Double> ticks = new java.util.ArrayList<>();
        if (logScale)
        {
            for (double t = lo; t <= hi * 1.0001; t *= 10)
            {
                ticks.add(t);
            }
        }
        else
        {
            for (int i = 0; i <= 5; i++)
            {
                ticks.add(hi * i / 5);
            }
        }
        for (final double t : ticks)
        {
            final double x = LABEL_WIDTH + scale(t, lo, hi, logScale) * PLOT_WIDTH;
            sb.append(String.format(Locale.ROOT,
                "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ddd\"/>%n", x, TOP - 4, x, plotBottom));
            sb.append(String.format(Locale.ROOT,
                "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" fill=\"#555\">%s</text>%n",
                x, plotBottom + 16, tickText(t)));
        }
        sb.append(String.format(Locale.ROOT,
            "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" fill=\"#555\">%s</text>%n",
            LABEL_WIDTH + PLOT_WIDTH / 2, plotBottom + 36, escape(axisTitle)));

        int y = TOP;
        for (final Bar bar : bars)
        {
            sb.append(String.format(Locale.ROOT,
                "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>%n",
                LABEL_WIDTH - 8, y + BAR_HEIGHT - 4, escape(bar.label())));
            double length = 0;
            if (bar.value() > 0 && !Double.isNaN(bar.value()))
            {
                length = Math.max(1, scale(bar.value(), lo, hi, logScale) * PLOT_WIDTH);
                sb.append(String.format(Locale.ROOT,
                    "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"><title>%s: %s</title></rect>%n",
                    LABEL_WIDTH, y, length, BAR_HEIGHT, colours.get(bar.series()), escape(bar.label()),
                    escape(bar.valueText())));
            }
            sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" fill=\"#333\">%s</text>%n",
                LABEL_WIDTH + length + 4, y + BAR_HEIGHT - 4, escape(bar.valueText())));
            y += BAR_HEIGHT + GAP;
        }
        sb.append("</svg>\n");
        return sb.toString();
    }

    private static double scale(final double value, final double lo, final double hi, final boolean logScale)
    {
        if (logScale)
        {
            final double v = Math.max(value, lo);
            return (Math.log10(v) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo));
        }
        return value / hi;
    }

    private static double niceCeiling(final double max)
    {
        final double magnitude = Math.pow(10, Math.floor(Math.log10(max)));
        for (final double step : new double[] {1, 2, 5, 10})
        {
            if (step * magnitude >= max)
            {
                return step * magnitude;
            }
        }
        return 10 * magnitude;
    }

    private static String tickText(final double t)
    {
        return t == Math.rint(t) ? String.format(Locale.ROOT, "%,.0f", t) : String.format(Locale.ROOT, "%.2g", t);
    }

    static String escape(final String text)
    {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
