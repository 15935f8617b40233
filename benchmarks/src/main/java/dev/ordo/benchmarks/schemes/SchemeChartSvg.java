package dev.ordo.benchmarks.schemes;

import dev.ordo.benchmarks.report.NiceScale;
import dev.ordo.benchmarks.report.Svg;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The scheme comparison as small multiples: one row per scheme (any number, in the order of the results), and
 * three columns, each a bar per skew: writes lost, concurrent writes overwritten, and the commit wait a write
 * pays. The two count columns share one linear scale in every row, and the wait column has one of its own, so
 * the story reads down each column: wall-clock LWW loses more as skew grows, total orders overwrite concurrent
 * writes at any skew, schemes that keep siblings lose nothing, commit-wait pays in latency. Every bar carries its
 * value; a zero is printed as {@code 0} on the baseline. Notes under a scheme's name report what the columns do
 * not: messages refused (HLC max offset), concurrent pairs kept as siblings, causality violations.
 *
 * <p>Each cell is an SVG {@code <g class="cell" data-scheme data-metric>} holding one {@code <rect class="bar">}
 * per skew with a non-zero value. Stateless and thread-safe.
 */
public final class SchemeChartSvg
{
    private static final int MARGIN = 14;
    private static final int NAME_WIDTH = 200;
    private static final int AXIS_WIDTH = 44;
    private static final int BAR_WIDTH = 32;
    private static final int BAR_PITCH = 54;
    private static final int CELL_GAP = 26;
    private static final int PLOT_HEIGHT = 72;
    private static final int HEADROOM = 16;
    private static final int ROW_HEIGHT = HEADROOM + PLOT_HEIGHT + 34;
    private static final int HEADER_TOP = 64;
    private static final int ROWS_TOP = HEADER_TOP + 52;

    /** A column: what it shows and how. */
    private enum Metric
    {
        LOST("lost", "Writes lost", "#d62728",
            "a newer write discarded for an older one:", "the register silently went back in time"),
        OVERWRITTEN("overwritten", "Concurrent writes overwritten", "#ff7f0e",
            "one of two writes that never saw each other,", "discarded to keep a total order"),
        WAIT("wait", "Commit wait per write (mean)", "#9467bd",
            "how long a write stays invisible before", "it may be applied and sent");

        final String id;
        final String title;
        final String[] description;
        final String colour;

        Metric(final String id, final String title, final String colour, final String... description)
        {
            this.id = id;
            this.title = title;
            this.colour = colour;
            this.description = description;
        }

        double value(final SchemeResult r)
        {
            return switch (this)
            {
                case LOST -> r.lostWrites();
                case OVERWRITTEN -> r.concurrentOverwritten();
                case WAIT -> r.meanWaitMs() * 1e6; // ns, so that tick labels carry a unit
            };
        }

        String text(final double value)
        {
            return this == WAIT ? durationText(value) : String.format(Locale.ROOT, "%,.0f", value);
        }
    }

    private SchemeChartSvg()
    {
    }

    /**
     * @param results  results of {@link SchemeComparison#compare}: any schemes, any skews.
     * @param title    chart title.
     * @param subtitle line under the title (the configuration), or empty.
     * @return the SVG document.
     */
    public static String render(final List<SchemeResult> results, final String title, final String subtitle)
    {
        final Set<String> schemes = new LinkedHashSet<>();
        final Set<Long> skews = new LinkedHashSet<>();
        final Map<String, SchemeResult> byKey = new LinkedHashMap<>();
        double maxCount = 0;
        double maxWait = 0;
        for (final SchemeResult r : results)
        {
            schemes.add(r.scheme());
            skews.add(r.skewUs());
            byKey.put(r.scheme() + "@" + r.skewUs(), r);
            maxCount = Math.max(maxCount, Math.max(r.lostWrites(), r.concurrentOverwritten()));
            maxWait = Math.max(maxWait, Metric.WAIT.value(r));
        }
        final List<Double> countTicks = NiceScale.linearTicks(Math.max(maxCount, 1), 3);
        final List<Double> waitTicks = NiceScale.linearTicks(Math.max(maxWait, 1e6), 3);
        final int cellWidth = AXIS_WIDTH + skews.size() * BAR_PITCH;
        final int width = (int)Math.max(MARGIN + NAME_WIDTH + 3 * cellWidth + 2 * CELL_GAP + MARGIN,
            2 * MARGIN + Math.ceil(subtitle.length() * 11 * 0.58));
        final int height = ROWS_TOP + schemes.size() * ROW_HEIGHT + 8;
        final Svg svg = new Svg(width, height);
        svg.text(MARGIN, 24, "start", 16, "font-weight=\"bold\" class=\"title\"", title);
        if (!subtitle.isEmpty())
        {
            svg.text(MARGIN, 44, "start", 11, "fill=\"#444\" class=\"subtitle\"", subtitle);
        }
        for (final Metric m : Metric.values())
        {
            final double x = cellX(m, cellWidth) + 8;
            svg.text(x, HEADER_TOP + 12, "start", 13, "font-weight=\"bold\" fill=\"" + m.colour +
                "\" class=\"column-title\"", m.title);
            for (int i = 0; i < m.description.length; i++)
            {
                svg.text(x, HEADER_TOP + 27 + 12 * i, "start", 10, "fill=\"#444\" class=\"column-detail\"",
                    m.description[i]);
            }
        }
        int row = 0;
        for (final String scheme : schemes)
        {
            final double top = ROWS_TOP + row * ROW_HEIGHT;
            if (row > 0)
            {
                svg.line(MARGIN, top - 6, width - MARGIN, top - 6, "#e4e4e4", "");
            }
            svg.text(MARGIN, top + HEADROOM + 14, "start", 13, "font-weight=\"bold\" class=\"scheme\"", scheme);
            double noteY = top + HEADROOM + 32;
            for (final String note : notes(scheme, skews, byKey))
            {
                svg.text(MARGIN, noteY, "start", 10, "fill=\"#444\" class=\"note\"", note);
                noteY += 13;
            }
            for (final Metric m : Metric.values())
            {
                cell(svg, m, scheme, skews, byKey, cellX(m, cellWidth), top,
                    m == Metric.WAIT ? waitTicks : countTicks);
            }
            row++;
        }
        return svg.end();
    }

    private static double cellX(final Metric m, final int cellWidth)
    {
        return MARGIN + NAME_WIDTH + m.ordinal() * (cellWidth + CELL_GAP);
    }

    private static void cell(final Svg svg, final Metric m, final String scheme, final Set<Long> skews,
        final Map<String, SchemeResult> byKey, final double left, final double top, final List<Double> ticks)
    {
        final double max = ticks.get(ticks.size() - 1);
        final double plotLeft = left + AXIS_WIDTH;
        final double plotRight = plotLeft + skews.size() * BAR_PITCH;
        final double baseline = top + HEADROOM + PLOT_HEIGHT;
        svg.raw("<g class=\"cell\" data-scheme=\"" + Svg.escape(scheme) + "\" data-metric=\"" + m.id + "\">\n");
        for (final double t : ticks)
        {
            final double y = baseline - t / max * PLOT_HEIGHT;
            svg.line(plotLeft - 3, y, plotRight, y, t == 0 ? "#888888" : "#e8e8e8", "");
            svg.text(plotLeft - 6, y + 3.5, "end", 9, "fill=\"#666\" class=\"tick\" data-axis=\"" + m.id + "\"",
                m == Metric.WAIT ? durationTick(t) : String.format(Locale.ROOT, "%,.0f", t));
        }
        svg.text(plotLeft - 6, baseline + 14, "end", 9, "fill=\"#777\" font-style=\"italic\" class=\"skew-caption\"",
            "skew");
        int i = 0;
        for (final long skewUs : skews)
        {
            final double x = plotLeft + i * BAR_PITCH + (BAR_PITCH - BAR_WIDTH) / 2.0;
            final double centre = x + BAR_WIDTH / 2.0;
            final SchemeResult r = byKey.get(scheme + "@" + skewUs);
            if (r == null)
            {
                svg.text(centre, baseline - 4, "middle", 10, "fill=\"#999\" class=\"value\"", "—");
            }
            else
            {
                final double value = m.value(r);
                final double h = value / max * PLOT_HEIGHT;
                if (value > 0)
                {
                    svg.rect(x, baseline - Math.max(h, 1), BAR_WIDTH, Math.max(h, 1), m.colour,
                        "class=\"bar\" data-skew-us=\"" + skewUs + "\"",
                        scheme + ", skew " + skewText(skewUs) + ": " + m.text(value));
                }
                svg.text(centre, baseline - Math.max(h, 0) - 4, "middle", 10,
                    (value == 0 ? "fill=\"#777\" " : "font-weight=\"bold\" ") + "class=\"value\"", m.text(value));
            }
            svg.text(centre, baseline + 14, "middle", 10, "fill=\"#555\" class=\"skew\"", skewText(skewUs));
            i++;
        }
        svg.raw("</g>\n");
    }

    private static List<String> notes(final String scheme, final Set<Long> skews, final Map<String, SchemeResult> byKey)
    {
        long maxRejected = 0;
        long rejectedAtUs = 0;
        long siblings = 0;
        long violations = 0;
        long maxWaitUs = 0;
        for (final long skewUs : skews)
        {
            final SchemeResult r = byKey.get(scheme + "@" + skewUs);
            if (r == null)
            {
                continue;
            }
            if (r.rejections() > maxRejected)
            {
                maxRejected = r.rejections();
                rejectedAtUs = skewUs;
            }
            siblings = Math.max(siblings, r.concurrentDetected());
            violations = Math.max(violations, r.causalityViolations());
            maxWaitUs = Math.max(maxWaitUs, r.maxWaitUs());
        }
        final List<String> notes = new ArrayList<>();
        if (siblings > 0)
        {
            notes.add("keeps concurrent writes as siblings");
            notes.add(String.format(Locale.ROOT, "(up to %,d pairs per run)", siblings));
        }
        if (maxRejected > 0)
        {
            notes.add(String.format(Locale.ROOT, "refused %,d messages at %s skew", maxRejected,
                skewText(rejectedAtUs)));
            notes.add("(beyond its max offset)");
        }
        if (maxWaitUs > 0)
        {
            notes.add("writes begun during a wait count as");
            notes.add("concurrent (the model has no locks)");
        }
        if (violations > 0)
        {
            notes.add(String.format(Locale.ROOT, "up to %,d causality violations per run", violations));
        }
        return notes;
    }

    /**
     * @param skewUs a skew, µs.
     * @return e.g. {@code 0}, {@code 10 ms}, {@code 1 s}.
     */
    static String skewText(final long skewUs)
    {
        if (skewUs == 0)
        {
            return "0";
        }
        return skewUs % 1_000_000 == 0 ? skewUs / 1_000_000 + " s" :
            skewUs % 1_000 == 0 ? skewUs / 1_000 + " ms" : skewUs + " µs";
    }

    private static String durationText(final double ns)
    {
        if (ns == 0)
        {
            return "0";
        }
        final double ms = ns / 1e6;
        if (ms >= 1000)
        {
            return String.format(Locale.ROOT, "%.2f s", ms / 1000);
        }
        return ms >= 100 ? String.format(Locale.ROOT, "%.0f ms", ms) :
            String.format(Locale.ROOT, "%.1f ms", ms);
    }

    private static String durationTick(final double ns)
    {
        if (ns == 0)
        {
            return "0";
        }
        if (ns >= 1e9)
        {
            return String.format(Locale.ROOT, "%s s", trim(ns / 1e9));
        }
        if (ns >= 1e6)
        {
            return String.format(Locale.ROOT, "%s ms", trim(ns / 1e6));
        }
        return String.format(Locale.ROOT, "%s µs", trim(ns / 1e3));
    }

    private static String trim(final double v)
    {
        return v == Math.rint(v) ? String.format(Locale.ROOT, "%.0f", v) : String.valueOf(v);
    }
}
