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
 * Draws offset ± bound over time as a hand-written SVG: one panel per server (every valid sample; the chosen
 * one filled) and one for the combined result of each round, each panel with its own vertical scale so
 * that both a 5 s skew and a 50 µs drift are visible at a glance. Not thread-safe.
 */
final class SvgPlot
{
    private static final int WIDTH = 900;
    private static final int PANEL_HEIGHT = 170;
    private static final int LEFT = 110;
    private static final int RIGHT = 30;
    private static final int TOP = 50;
    private static final int GAP = 40;
    private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"};

    private record Point(long monoNs, long offsetNs, long boundNs, boolean filled)
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
            final List<Point> points = series.computeIfAbsent(server.server(), k -> new ArrayList<>());
            for (final SampleRecord sample : server.samples())
            {
                if (sample.ok() && !sample.warmup())
                {
                    points.add(new Point(sample.monoNs(), sample.offsetNs(), sample.boundNs(), sample.best()));
                    originMonoNs = Math.min(originMonoNs, sample.monoNs());
                }
            }
        }
        if (result.ok())
        {
            combined.add(new Point(result.measuredAtMonoNs(), result.offsetNs(), result.boundNs(), true));
            originMonoNs = Math.min(originMonoNs, result.measuredAtMonoNs());
        }
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
            panels.add(Map.entry("combined (intersection of agreeing servers)", combined));
        }
        long maxT = 1;
        for (final Map.Entry<String, List<Point>> panel : panels)
        {
            for (final Point p : panel.getValue())
            {
                maxT = Math.max(maxT, p.monoNs - originMonoNs);
            }
        }
        final int height = TOP + Math.max(1, panels.size()) * (PANEL_HEIGHT + GAP) + 10;
        final StringBuilder svg = new StringBuilder(16_384);
        svg.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH).append("\" height=\"")
            .append(height).append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(height)
            .append("\" font-family=\"sans-serif\" font-size=\"12\">\n");
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        text(svg, WIDTH / 2, 22, "middle", 15, escape(title));
        text(svg, WIDTH / 2, 40, "middle", 11,
            "offset = server − host (positive: host behind); bars: ± error bound; filled: chosen sample; " +
                "bounds over 5× the median are clipped");
        if (panels.isEmpty())
        {
            text(svg, WIDTH / 2, TOP + 40, "middle", 13, "no valid sample");
        }
        for (int i = 0; i < panels.size(); i++)
        {
            panel(svg, TOP + i * (PANEL_HEIGHT + GAP), panels.get(i).getKey(), panels.get(i).getValue(), maxT,
                i == panels.size() - 1 && !combined.isEmpty() ? "#000000" : COLOURS[i % COLOURS.length]);
        }
        svg.append("</svg>\n");
        return svg.toString();
    }

    private void panel(
        final StringBuilder svg, final int top, final String name, final List<Point> points, final long maxT,
        final String colour)
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
        final long pad = Math.max(1, (hi - lo) / 10);
        lo -= pad;
        hi += pad;
        final int plotWidth = WIDTH - LEFT - RIGHT;
        final int bottom = top + PANEL_HEIGHT;
        svg.append("<rect x=\"").append(LEFT).append("\" y=\"").append(top).append("\" width=\"").append(plotWidth)
            .append("\" height=\"").append(PANEL_HEIGHT).append("\" fill=\"#fafafa\" stroke=\"#999\"/>\n");
        text(svg, LEFT, top - 6, "start", 12, escape(name));
        final String clipId = "panel" + top;
        svg.append("<clipPath id=\"").append(clipId).append("\"><rect x=\"").append(LEFT).append("\" y=\"")
            .append(top).append("\" width=\"").append(plotWidth).append("\" height=\"").append(PANEL_HEIGHT)
            .append("\"/></clipPath>\n");
        for (int k = 0; k <= 4; k++)
        {
            final long value = lo + (hi - lo) * k / 4;
            final double y = bottom - (double)PANEL_HEIGHT * k / 4;
            line(svg, LEFT - 4, y, LEFT + plotWidth, y, "#e0e0e0");
            text(svg, LEFT - 8, y + 4, "end", 10, escape(Durations.formatSigned(value)));
        }
        for (int k = 0; k <= 5; k++)
        {
            final double x = LEFT + (double)plotWidth * k / 5;
            line(svg, x, bottom, x, bottom + 4, "#999");
            text(svg, x, bottom + 16, "middle", 10, String.format(Locale.ROOT, "%.1f s", maxT / 1e9 * k / 5));
        }
        final double yScale = (double)PANEL_HEIGHT / (hi - lo);
        final double xScale = (double)plotWidth / maxT;
        svg.append("<g clip-path=\"url(#").append(clipId).append(")\">\n");
        for (final Point p : points)
        {
            final double x = LEFT + (p.monoNs - originMonoNs) * xScale;
            final double y = bottom - (p.offsetNs - lo) * yScale;
            final double yLow = bottom - (p.offsetNs - p.boundNs - lo) * yScale;
            final double yHigh = bottom - (p.offsetNs + p.boundNs - lo) * yScale;
            line(svg, x, yLow, x, yHigh, colour);
            line(svg, x - 3, yLow, x + 3, yLow, colour);
            line(svg, x - 3, yHigh, x + 3, yHigh, colour);
            svg.append(String.format(Locale.ROOT,
                "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" stroke=\"%s\" fill=\"%s\"/>\n",
                x, y, colour, p.filled ? colour : "white"));
        }
        svg.append("</g>\n");
    }

    private static void line(final StringBuilder svg, final double x1, final double y1, final double x2,
        final double y2, final String colour)
    {
        svg.append(String.format(Locale.ROOT,
            "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>\n", x1, y1, x2, y2, colour));
    }

    private static void text(final StringBuilder svg, final double x, final double y, final String anchor,
        final int size, final String text)
    {
        svg.append(String.format(Locale.ROOT,
            "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" font-size=\"%d\">%s</text>\n", x, y, anchor, size, text));
    }

    private static String escape(final String s)
    {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
