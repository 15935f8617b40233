package dev.ordo.ntp.cli;

import dev.ordo.ntp.ProbeResult;
import dev.ordo.ntp.SampleRecord;
import dev.ordo.ntp.ServerResult;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Draws offset ± bound over time as a hand-written SVG: one panel per server (every valid sample; the sample
 * the clock filter chose filled) and one for the combined result of each round, with the chosen estimate (the
 * last round's combined offset ± bound) drawn as a band across it and named above it.
 *
 * <p>Every panel shares one time axis (seconds since the first sample, or ms/µs for short runs) and has its own
 * vertical scale, so that both a 5 s skew and a 50 µs drift are readable. Ticks are round: 1, 2 or 5 times a
 * power of ten in a unit that fits the step (ns, µs, ms or s). When a panel's values sit far from zero (a server
 * 5.25 s away, read to the microsecond) its ticks are relative to a round reference named in the panel title
 * ({@code offset − 5.25 s}). A bound over 5× the panel's median (a slow round trip) is clipped at the panel's
 * edge rather than squashing the others. Not thread-safe.
 */
final class SvgPlot
{
    private static final int WIDTH = 900;
    private static final int PANEL_HEIGHT = 150;
    private static final int LEFT = 96;
    private static final int RIGHT = 24;
    private static final int PANEL_GAP = 64;
    private static final int LABEL_SIZE = 11;
    private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"};
    private static final String COMBINED_COLOUR = "#000000";
    private static final String SUBTITLE = "offset = server − host (positive: this host is behind); one time axis " +
        "for all panels; bounds over 5× the median are clipped";

    private record Point(long monoNs, long offsetNs, long boundNs, boolean filled)
    {
    }

    /** A vertical scale: ticks at {@code referenceNs + k * stepNs}, labelled relative to the reference. */
    private record Scale(long referenceNs, long stepNs, long loNs, long hiNs)
    {
    }

    private final Map<String, List<Point>> series = new LinkedHashMap<>();
    private final List<Point> combined = new ArrayList<>();
    private long originMonoNs = Long.MAX_VALUE;
    private String title = "ntp-probe";

    void title(final String title)
    {
        this.title = title;
    }

    void add(final ProbeResult result)
    {
        for (final ServerResult server : result.servers())
        {
            series.computeIfAbsent(server.server(), k -> new ArrayList<>());
            for (final SampleRecord sample : server.samples())
            {
                if (sample.ok() && !sample.warmup())
                {
                    addSample(server.server(), sample.monoNs(), sample.offsetNs(), sample.boundNs(), sample.best());
                }
            }
        }
        if (result.ok())
        {
            addCombined(result.measuredAtMonoNs(), result.offsetNs(), result.boundNs());
        }
    }

    /**
     * Adds one valid sample of a server.
     *
     * @param server   the server's name (one panel per name, in the order first seen).
     * @param monoNs   monotonic arrival time.
     * @param offsetNs offset, server minus host.
     * @param boundNs  the sample's error bound.
     * @param chosen   whether the clock filter chose it.
     */
    void addSample(final String server, final long monoNs, final long offsetNs, final long boundNs,
        final boolean chosen)
    {
        series.computeIfAbsent(server, k -> new ArrayList<>()).add(new Point(monoNs, offsetNs, boundNs, chosen));
        originMonoNs = Math.min(originMonoNs, monoNs);
    }

    /**
     * Adds one round's combined result.
     *
     * @param monoNs   monotonic time it refers to.
     * @param offsetNs combined offset.
     * @param boundNs  combined bound.
     */
    void addCombined(final long monoNs, final long offsetNs, final long boundNs)
    {
        combined.add(new Point(monoNs, offsetNs, boundNs, true));
        originMonoNs = Math.min(originMonoNs, monoNs);
    }

    String render()
    {
        final List<Map.Entry<String, List<Point>>> panels = new ArrayList<>();
        for (final Map.Entry<String, List<Point>> e : series.entrySet())
        {
            if (!e.getValue().isEmpty())
            {
                panels.add(e);
            }
        }
        if (!combined.isEmpty())
        {
            panels.add(Map.entry("combined (agreeing servers' intersection)", combined));
        }
        long maxT = 0;
        for (final Map.Entry<String, List<Point>> panel : panels)
        {
            for (final Point p : panel.getValue())
            {
                maxT = Math.max(maxT, p.monoNs - originMonoNs);
            }
        }
        final long timeUnitNs = maxT >= 2_000_000_000L ? 1_000_000_000L : maxT >= 2_000_000L ? 1_000_000L : 1_000L;
        final long timeStepNs = niceStep(Math.max(maxT, timeUnitNs), 6);
        final long timeMaxNs = Math.max(timeStepNs, ceilTo(maxT, timeStepNs));

        final StringBuilder svg = new StringBuilder(32_768);
        final int legendTop = 56;
        final List<String[]> legend = legendItems();
        final int legendRows = legendRows(legend);
        final int top = legendTop + legendRows * 18 + 34;
        final int height = top + Math.max(1, panels.size()) * (PANEL_HEIGHT + PANEL_GAP) - PANEL_GAP + 40;
        svg.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH).append("\" height=\"")
            .append(height).append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(height)
            .append("\" font-family=\"sans-serif\" font-size=\"12\">\n");
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        text(svg, WIDTH / 2.0, 22, "middle", 15, "class=\"title\"", fit(title, 15, WIDTH - 2 * RIGHT));
        text(svg, WIDTH / 2.0, 40, "middle", LABEL_SIZE, "fill=\"#444\" class=\"subtitle\"", SUBTITLE);
        legend(svg, legend, legendTop);
        if (panels.isEmpty())
        {
            text(svg, WIDTH / 2.0, top + 40, "middle", 13, "class=\"empty\"", "no valid sample");
        }
        for (int i = 0; i < panels.size(); i++)
        {
            final boolean isCombined = i == panels.size() - 1 && !combined.isEmpty();
            panel(svg, i, top + i * (PANEL_HEIGHT + PANEL_GAP), panels.get(i).getKey(), panels.get(i).getValue(),
                isCombined ? COMBINED_COLOUR : COLOURS[i % COLOURS.length], isCombined, timeStepNs, timeMaxNs,
                timeUnitNs, i == panels.size() - 1);
        }
        svg.append("</svg>\n");
        return svg.toString();
    }

    private List<String[]> legendItems()
    {
        final List<String[]> items = new ArrayList<>();
        items.add(new String[] {"open", "a sample: offset, bar ± its error bound"});
        items.add(new String[] {"filled", "the sample the clock filter chose"});
        if (!combined.isEmpty())
        {
            items.add(new String[] {"band", "chosen estimate: the last round's combined offset ± bound"});
        }
        return items;
    }

    private static int legendRows(final List<String[]> items)
    {
        int rows = 1;
        double x = 0;
        for (final String[] item : items)
        {
            final double w = 22 + textWidth(item[1], LABEL_SIZE, false) + 22;
            if (x > 0 && x + w > WIDTH - 2 * LEFT)
            {
                rows++;
                x = 0;
            }
            x += w;
        }
        return rows;
    }

    private static void legend(final StringBuilder svg, final List<String[]> items, final int top)
    {
        double total = 0;
        for (final String[] item : items)
        {
            total += 22 + textWidth(item[1], LABEL_SIZE, false) + 22;
        }
        double x = total <= WIDTH - 2 * LEFT ? (WIDTH - total) / 2 : LEFT;
        double y = top;
        for (final String[] item : items)
        {
            final double w = 22 + textWidth(item[1], LABEL_SIZE, false) + 22;
            if (x > LEFT && x + w > WIDTH - LEFT)
            {
                x = LEFT;
                y += 18;
            }
            switch (item[0])
            {
                case "open" -> svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" " +
                    "y2=\"%.1f\" stroke=\"#555\"/><rect class=\"legend-key\" x=\"%.1f\" y=\"%.1f\" width=\"7\" " +
                    "height=\"7\" rx=\"3.5\" fill=\"white\" stroke=\"#555\"/>%n", x + 7.5, y - 4.0, x + 7.5, y + 11.0,
                    x + 4, y + 0.0));
                case "filled" -> svg.append(String.format(Locale.ROOT, "<rect class=\"legend-key\" x=\"%.1f\" " +
                    "y=\"%.1f\" width=\"7\" height=\"7\" rx=\"3.5\" fill=\"#555\" stroke=\"#555\"/>%n", x + 4, y + 0.0));
                default -> svg.append(String.format(Locale.ROOT, "<rect class=\"legend-key\" x=\"%.1f\" y=\"%.1f\" " +
                    "width=\"15\" height=\"11\" fill=\"#000\" fill-opacity=\"0.1\"/><line x1=\"%.1f\" y1=\"%.1f\" " +
                    "x2=\"%.1f\" y2=\"%.1f\" stroke=\"#000\" stroke-dasharray=\"3,2\"/>%n", x, y - 2.0, x, y + 3.5,
                    x + 15, y + 3.5));
            }
            text(svg, x + 22, y + 8, "start", LABEL_SIZE, "class=\"legend\"", item[1]);
            x += w;
        }
    }

    private void panel(
        final StringBuilder svg, final int index, final int top, final String name, final List<Point> points,
        final String colour, final boolean isCombined, final long timeStepNs, final long timeMaxNs,
        final long timeUnitNs, final boolean last)
    {
        final Point estimate = isCombined ? points.get(points.size() - 1) : null;
        final Scale scale = scale(points, estimate);
        final int plotWidth = WIDTH - LEFT - RIGHT;
        final int bottom = top + PANEL_HEIGHT;
        // 2% of the axis on either side so that points at 0 and at the end are drawn whole
        final double padNs = timeMaxNs * 0.02;
        final double xScale = plotWidth / (timeMaxNs + 2 * padNs);
        final double yScale = (double)PANEL_HEIGHT / (scale.hiNs - scale.loNs);

        svg.append("<g class=\"panel\" data-panel=\"").append(index).append("\">\n");
        svg.append("<rect class=\"plot\" x=\"").append(LEFT).append("\" y=\"").append(top).append("\" width=\"")
            .append(plotWidth).append("\" height=\"").append(PANEL_HEIGHT)
            .append("\" fill=\"#fafafa\" stroke=\"#999\"/>\n");
        final String heading = scale.referenceNs == 0 ? name :
            name + "  (ticks: offset " + (scale.referenceNs > 0 ? "− " : "+ ") +
                roundDuration(Math.abs(scale.referenceNs), Math.abs(scale.referenceNs)) + ")";
        final String estimateText = estimate == null ? "" : "chosen estimate: " +
            Durations.formatSigned(estimate.offsetNs) + " ± " + Durations.format(estimate.boundNs) + " (round " +
            points.size() + ")";
        // the estimate goes right of the title when both fit on one line, else on a line of its own above it
        final boolean oneLine = textWidth(heading, 12, true) + 16 + textWidth(estimateText, LABEL_SIZE, false) <=
            plotWidth;
        text(svg, LEFT, oneLine ? top - 7 : top - 22, "start", 12, "font-weight=\"bold\" class=\"panel-title\"",
            fit(heading, 12, plotWidth));
        if (estimate != null)
        {
            text(svg, LEFT + plotWidth, top - 7, "end", LABEL_SIZE, "class=\"estimate-label\"", estimateText);
        }
        final long maxAbsTickNs = Math.max(Math.abs(scale.loNs - scale.referenceNs),
            Math.abs(scale.hiNs - scale.referenceNs));
        for (long v = scale.loNs; v <= scale.hiNs; v += scale.stepNs)
        {
            final double y = bottom - (v - scale.loNs) * yScale;
            line(svg, LEFT - 4, y, LEFT + plotWidth, y, "#e0e0e0", "");
            text(svg, LEFT - 8, y + 4, "end", 10, "class=\"tick\" data-axis=\"y\"",
                signedTick(v - scale.referenceNs, maxAbsTickNs));
        }
        for (long t = 0; t <= timeMaxNs; t += timeStepNs)
        {
            final double x = LEFT + (t + padNs) * xScale;
            line(svg, x, top, x, bottom + 4, t == 0 ? "#999" : "#eeeeee", "");
            text(svg, x, bottom + 16, "middle", 10, "class=\"tick\" data-axis=\"time\"", timeTick(t, timeUnitNs));
        }
        if (last)
        {
            text(svg, LEFT + plotWidth / 2.0, bottom + 32, "middle", LABEL_SIZE, "fill=\"#444\" class=\"axis-title\"",
                "time since the first sample (the same axis in every panel)");
        }
        final String clipId = "panel" + index;
        svg.append("<clipPath id=\"").append(clipId).append("\"><rect x=\"").append(LEFT).append("\" y=\"")
            .append(top).append("\" width=\"").append(plotWidth).append("\" height=\"").append(PANEL_HEIGHT)
            .append("\"/></clipPath>\n");
        svg.append("<g clip-path=\"url(#").append(clipId).append(")\">\n");
        if (estimate != null)
        {
            final double yHigh = bottom - (estimate.offsetNs + estimate.boundNs - scale.loNs) * yScale;
            final double yLow = bottom - (estimate.offsetNs - estimate.boundNs - scale.loNs) * yScale;
            final double y = bottom - (estimate.offsetNs - scale.loNs) * yScale;
            svg.append(String.format(Locale.ROOT, "<rect class=\"estimate\" x=\"%d\" y=\"%.1f\" width=\"%d\" " +
                "height=\"%.1f\" fill=\"#000\" fill-opacity=\"0.1\"/>%n", LEFT, yHigh, plotWidth,
                Math.max(1, yLow - yHigh)));
            line(svg, LEFT, y, LEFT + plotWidth, y, "#000", " stroke-dasharray=\"4,3\"");
        }
        for (final Point p : points)
        {
            final double x = LEFT + (p.monoNs - originMonoNs + padNs) * xScale;
            final double y = bottom - (p.offsetNs - scale.loNs) * yScale;
            final double yLow = bottom - (p.offsetNs - p.boundNs - scale.loNs) * yScale;
            final double yHigh = bottom - (p.offsetNs + p.boundNs - scale.loNs) * yScale;
            line(svg, x, yLow, x, yHigh, colour, "");
            line(svg, x - 3, yLow, x + 3, yLow, colour, "");
            line(svg, x - 3, yHigh, x + 3, yHigh, colour, "");
            svg.append(String.format(Locale.ROOT,
                "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" stroke=\"%s\" fill=\"%s\"/>%n",
                x, y, colour, p.filled ? colour : "white"));
        }
        svg.append("</g>\n</g>\n");
    }

    /**
     * The vertical scale of a panel: the typical samples (and the estimate) fit, with round ticks, at most six.
     */
    private static Scale scale(final List<Point> points, final Point estimate)
    {
        // Scale to the typical samples: one with a bound over 5x the median (a slow round trip) would squash
        // the others into a line; it is drawn clipped at the panel's edge instead.
        final long[] bounds = points.stream().mapToLong(Point::boundNs).sorted().toArray();
        final long typicalBoundNs = 5 * bounds[bounds.length / 2];
        long lo = Long.MAX_VALUE;
        long hi = Long.MIN_VALUE;
        for (final Point p : points)
        {
            if (p.boundNs <= typicalBoundNs || p.filled)
            {
                lo = Math.min(lo, p.offsetNs - p.boundNs);
                hi = Math.max(hi, p.offsetNs + p.boundNs);
            }
        }
        if (estimate != null)
        {
            lo = Math.min(lo, estimate.offsetNs - estimate.boundNs);
            hi = Math.max(hi, estimate.offsetNs + estimate.boundNs);
        }
        final long span = Math.max(2, hi - lo);
        final long pad = Math.max(1, span / 20);
        lo -= pad;
        hi += pad;
        final long step = niceStep(hi - lo, 5);
        final long reference = reference(lo, hi);
        final long loTick = reference + Math.floorDiv(lo - reference, step) * step;
        final long hiTick = reference + -Math.floorDiv(-(hi - reference), step) * step;
        return new Scale(reference, step, loTick, hiTick);
    }

    /**
     * @return 0 when the values are near zero; else the roundest number (the largest power of ten's multiple)
     * within the span, so that ticks can be labelled as small offsets from it.
     */
    private static long reference(final long lo, final long hi)
    {
        final long span = hi - lo;
        if (lo <= 0 && hi >= 0 || Math.min(Math.abs(lo), Math.abs(hi)) < 5 * span)
        {
            return 0;
        }
        final long centre = lo + span / 2;
        for (long m = 1_000_000_000_000_000_000L; m >= 1; m /= 10)
        {
            final long candidate = Math.round((double)centre / m) * m;
            if (candidate != 0 && candidate >= lo && candidate <= hi)
            {
                return candidate;
            }
        }
        return centre;
    }

    /**
     * @param range    the span to cover, ns (positive).
     * @param maxSteps at most this many steps.
     * @return 1, 2 or 5 times a power of ten, ns, such that {@code range / step <= maxSteps}.
     */
    static long niceStep(final long range, final int maxSteps)
    {
        long magnitude = 1;
        while (true)
        {
            for (final long m : new long[] {1, 2, 5})
            {
                if (m * magnitude * maxSteps >= range)
                {
                    return m * magnitude;
                }
            }
            magnitude *= 10;
        }
    }

    private static long ceilTo(final long value, final long step)
    {
        return -Math.floorDiv(-value, step) * step;
    }

    /**
     * @param ns      a tick value, ns.
     * @param maxAbsNs the largest absolute tick value on the axis: it picks the unit (ns, µs, ms or s) so that
     *                 every label on one axis has the same unit and stays under 1000 of it.
     * @return the value with a sign: {@code +200 µs}, {@code −1.5 ms}, {@code 0}.
     */
    static String signedTick(final long ns, final long maxAbsNs)
    {
        if (ns == 0)
        {
            return "0";
        }
        return (ns > 0 ? "+" : "−") + roundDuration(Math.abs(ns), maxAbsNs);
    }

    private static String timeTick(final long ns, final long unitNs)
    {
        if (ns == 0)
        {
            return "0";
        }
        final String unit = unitNs == 1_000_000_000L ? "s" : unitNs == 1_000_000L ? "ms" : "µs";
        return trim((double)ns / unitNs) + " " + unit;
    }

    private static String roundDuration(final long ns, final long unitFromNs)
    {
        long unitNs = 1;
        String unit = "ns";
        if (unitFromNs >= 1_000_000_000L)
        {
            unitNs = 1_000_000_000L;
            unit = "s";
        }
        else if (unitFromNs >= 1_000_000L)
        {
            unitNs = 1_000_000L;
            unit = "ms";
        }
        else if (unitFromNs >= 1_000L)
        {
            unitNs = 1_000L;
            unit = "µs";
        }
        return trim((double)ns / unitNs) + " " + unit;
    }

    private static String trim(final double v)
    {
        if (v == Math.rint(v))
        {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        String s = String.format(Locale.ROOT, "%.6f", v);
        s = s.replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    /**
     * @param text    a label.
     * @param sizePx  its font size.
     * @param widthPx the room there is.
     * @return the label, cut and ended with an ellipsis when it would not fit (even in bold).
     */
    static String fit(final String text, final int sizePx, final double widthPx)
    {
        if (textWidth(text, sizePx, true) <= widthPx)
        {
            return text;
        }
        final int chars = Math.max(1, (int)(widthPx / (sizePx * 0.64)) - 1);
        return text.substring(0, Math.min(text.length(), chars)) + "…";
    }

    /**
     * @param text   a label.
     * @param sizePx its font size.
     * @param bold   whether it is bold.
     * @return a generous estimate of its width in a sans-serif font, px.
     */
    static double textWidth(final String text, final int sizePx, final boolean bold)
    {
        return text.length() * sizePx * (bold ? 0.64 : 0.58);
    }

    private static void line(final StringBuilder svg, final double x1, final double y1, final double x2,
        final double y2, final String colour, final String attrs)
    {
        svg.append(String.format(Locale.ROOT,
            "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"%s/>%n", x1, y1, x2, y2, colour, attrs));
    }

    private static void text(final StringBuilder svg, final double x, final double y, final String anchor,
        final int size, final String attrs, final String text)
    {
        svg.append(String.format(Locale.ROOT,
            "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" font-size=\"%d\" %s>%s</text>%n", x, y, anchor, size,
            attrs, escape(text)));
    }

    private static String escape(final String s)
    {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
