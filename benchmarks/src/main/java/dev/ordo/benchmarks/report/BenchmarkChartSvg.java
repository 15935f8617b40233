package dev.ordo.benchmarks.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The benchmark chart: one group of bars per operation and parameter set, so that the comparison a reader came
 * for sits in one place. In each group: Ordo's bar, then each peer that ran the same operation with the same
 * parameters and threads (in {@link Comparisons#peersOf} order), then the operation's floor; all on one
 * logarithmic nanosecond scale shared by every group, with the time, the bytes allocated per operation (when
 * not zero) and Ordo's ratio to that bar printed beside it. Groups are collected in panels by Ordo class
 * (HLC, Lamport, vector clock, bounded clock, ...), the operations measured against a peer first; the floors get a panel of their own, and the commit-wait
 * overshoot, a different quantity, is drawn last on a panel with its own scale.
 *
 * <p>Every group is an SVG {@code <g class="group">} and every bar a {@code <rect class="bar">} with a
 * {@code data-series} of {@code ordo}, {@code peer} or {@code floor}, so a test can check the chart's
 * structure. Stateless and thread-safe.
 */
public final class BenchmarkChartSvg
{
    static final String ORDO_COLOUR = "#1f6fb4";
    static final String PEER_COLOUR = "#f28e2b";
    static final String FLOOR_COLOUR = "#a0a0a0";
    static final String OVERSHOOT_COLOUR = "#8c564b";
    static final String WAIT_COLOUR = "#c9b3a8";

    private static final int MARGIN = 14;
    private static final int PLOT_WIDTH = 380;
    private static final int BAR_HEIGHT = 11;
    private static final int STEP = 15;
    private static final int GROUP_GAP = 9;
    private static final int LABEL_SIZE = 11;
    private static final int GROUP_SIZE = 12;
    private static final Map<String, String> PANEL_TITLES = new LinkedHashMap<>();
    private static final Map<String, String> FLOOR_CALLS = Map.of(
        "currentTimeMillis", "System.currentTimeMillis()",
        "nanoTime", "System.nanoTime()",
        "instantNow", "Instant.now()",
        "atomicIncrement", "AtomicLong.incrementAndGet()",
        "atomicIncrementContended", "AtomicLong.incrementAndGet(), 2 threads",
        "epochMillisPlusAtomicAdd", "clock read + atomic add",
        "epochMillisPlusAtomicAddContended", "clock read + atomic add, 2 threads",
        "floorRealTimePlusMonotonicRead", "real-time + monotonic read");

    static
    {
        PANEL_TITLES.put("HybridClockBenchmark", "Hybrid logical clock: Ordo against Apache Ignite 3 and a mutex HLC");
        PANEL_TITLES.put("LamportClockBenchmark", "Lamport clock");
        PANEL_TITLES.put("VectorClockBenchmark", "Vector clock: Ordo against Apache Pekko and Hazelcast");
        PANEL_TITLES.put("BoundedClockBenchmark", "Bounded clock (TrueTime-like)");
        PANEL_TITLES.put("NtpPacketBenchmark", "NTP packets");
    }

    /** What kind of bar: its colour and its {@code data-series}. */
    enum Series
    {
        ORDO("ordo", ORDO_COLOUR), PEER("peer", PEER_COLOUR), FLOOR("floor", FLOOR_COLOUR),
        WAIT("wait", WAIT_COLOUR), OVERSHOOT("overshoot", OVERSHOOT_COLOUR);

        final String id;
        final String colour;

        Series(final String id, final String colour)
        {
            this.id = id;
            this.colour = colour;
        }
    }

    /**
     * One bar.
     *
     * @param series    its kind.
     * @param name      text left of the bar.
     * @param valueNs   its length, ns.
     * @param valueText text right of the bar.
     */
    record Bar(Series series, String name, double valueNs, String valueText)
    {
    }

    /**
     * Bars for one operation and parameter set.
     *
     * @param id     the first bar's result label ({@code Class.method [params]} and threads), for tests.
     * @param title  first line of the label (method, threads).
     * @param detail second line (parameters), or empty.
     * @param bars   the bars, top to bottom.
     */
    record Group(String id, String title, String detail, List<Bar> bars)
    {
    }

    /**
     * Groups under one heading.
     *
     * @param title    heading.
     * @param groups   groups, top to bottom.
     * @param ownScale whether the panel has a scale of its own (otherwise the chart's shared scale).
     */
    record Panel(String title, List<Group> groups, boolean ownScale)
    {
    }

    private BenchmarkChartSvg()
    {
    }

    /**
     * @param rows  the table rows of one run.
     * @param title chart title.
     * @return the SVG document.
     */
    public static String render(final List<ResultTable.Row> rows, final String title)
    {
        final List<Panel> panels = panels(rows);
        boolean fallback = false;
        for (final ResultTable.Row row : rows)
        {
            fallback |= row.floorFallback();
        }
        return draw(panels, title, fallback);
    }

    /**
     * Sorts the rows into panels and groups.
     *
     * @param rows the table rows of one run.
     * @return the panels, in drawing order.
     */
    static List<Panel> panels(final List<ResultTable.Row> rows)
    {
        final List<BenchmarkResult> results = rows.stream().map(ResultTable.Row::result).toList();
        final Map<String, List<Group>> byClass = new LinkedHashMap<>();
        for (final String cls : PANEL_TITLES.keySet())
        {
            byClass.put(cls, new ArrayList<>());
        }
        final List<Bar> floors = new ArrayList<>();
        final List<Group> overshoot = new ArrayList<>();
        final Set<BenchmarkResult> shown = new LinkedHashSet<>();

        for (final ResultTable.Row row : rows)
        {
            final BenchmarkResult r = row.result();
            if (!Double.isNaN(ResultTable.meanOvershootNs(r)))
            {
                overshoot.add(overshootGroup(r));
                shown.add(r);
            }
            else if (!Comparisons.isPeer(r.className()) && !Comparisons.isFloor(r.id()))
            {
                final List<Bar> bars = new ArrayList<>();
                bars.add(new Bar(Series.ORDO, "Ordo", r.nsPerOp(), valueText(r, null)));
                for (final ResultTable.PeerRatio peer : row.peers())
                {
                    final BenchmarkResult p = ResultTable.findPeer(results, peer.peer(), r);
                    bars.add(new Bar(Series.PEER, Comparisons.shortName(peer.peer()), p.nsPerOp(),
                        valueText(p, peerRatioText(peer.ratio()))));
                    shown.add(p);
                }
                addFloor(bars, row, results);
                byClass.computeIfAbsent(r.className(), k -> new ArrayList<>()).add(group(r, bars));
                shown.add(r);
            }
        }
        for (final ResultTable.Row row : rows)
        {
            final BenchmarkResult r = row.result();
            if (shown.contains(r))
            {
                continue;
            }
            if (Comparisons.isFloor(r.id()))
            {
                floors.add(new Bar(Series.FLOOR, FLOOR_CALLS.getOrDefault(r.method(), r.method()), r.nsPerOp(),
                    valueText(r, null)));
            }
            else
            {
                // a peer result with no Ordo counterpart in this run: shown with its floor in its panel
                final List<Bar> bars = new ArrayList<>();
                bars.add(new Bar(Series.PEER, Comparisons.shortName(r.id()), r.nsPerOp(), valueText(r, null)));
                addFloor(bars, row, results);
                final String cls = Comparisons.ordoClassOf(r.className());
                byClass.computeIfAbsent(cls == null ? r.className() : cls, k -> new ArrayList<>())
                    .add(group(r, bars));
            }
        }
        final List<Panel> panels = new ArrayList<>();
        for (final Map.Entry<String, List<Group>> e : byClass.entrySet())
        {
            // the head-to-head comparisons first, then Ordo's other operations, then peers on their own
            // (a stable sort: each kind keeps the order of the result file)
            e.getValue().sort(Comparator.comparingInt(BenchmarkChartSvg::kind));
            if (!e.getValue().isEmpty())
            {
                final String heading = PANEL_TITLES.getOrDefault(e.getKey(), e.getKey().replace("Benchmark", ""));
                panels.add(new Panel(heading, e.getValue(), false));
            }
        }
        if (!floors.isEmpty())
        {
            panels.add(new Panel("Floors: the physical operations on their own",
                List.of(new Group("floors", "floors", "", floors)), false));
        }
        if (!overshoot.isEmpty())
        {
            panels.add(new Panel("Commit-wait: how long past its target a wait returns (its own scale)", overshoot,
                true));
        }
        return panels;
    }

    private static int kind(final Group group)
    {
        if (group.bars().get(0).series() != Series.ORDO)
        {
            return 2;
        }
        return group.bars().stream().anyMatch(b -> b.series() == Series.PEER) ? 0 : 1;
    }

    private static Group overshootGroup(final BenchmarkResult r)
    {
        final double overshootNs = ResultTable.meanOvershootNs(r);
        final String ahead = r.params().get("aheadNs");
        final String title = ahead == null ? r.method() : "wait of " + tickText(Double.parseDouble(ahead));
        final String detail = ahead == null ? paramText(r) : "";
        return new Group(groupId(r), title, detail, List.of(
            new Bar(Series.WAIT, "whole commitWait call", r.nsPerOp(), durationText(r.nsPerOp())),
            new Bar(Series.OVERSHOOT, "overshoot (mean)", overshootNs, durationText(overshootNs) + " past the target, " +
                "mean of " + String.format(Locale.ROOT, "%,.0f", r.counter("waits")) + " waits")));
    }

    private static void addFloor(final List<Bar> bars, final ResultTable.Row row, final List<BenchmarkResult> results)
    {
        if (row.floorId() == null || Double.isNaN(row.floorRatio()))
        {
            return;
        }
        final BenchmarkResult floor = ResultTable.findFloor(results, row.floorId());
        final String ratio = String.format(Locale.ROOT, "%s at %s floor", bars.get(0).name(),
            ratioText(row.floorRatio()));
        bars.add(new Bar(Series.FLOOR, floorName(row.floorId(), row.floorFallback()), floor.nsPerOp(),
            valueText(floor, ratio)));
    }

    private static String floorName(final String floorId, final boolean fallback)
    {
        final String name = Comparisons.shortName(floorId);
        return fallback ? name + " *" : name;
    }

    private static Group group(final BenchmarkResult r, final List<Bar> bars)
    {
        final String title = r.method() + (r.threads() > 1 ? " (" + r.threads() + " threads)" : "");
        return new Group(groupId(r), title, paramText(r), bars);
    }

    /**
     * @param r a result.
     * @return its label and, when more than one, its thread count: the {@code data-id} of its group.
     */
    static String groupId(final BenchmarkResult r)
    {
        return r.label() + (r.threads() > 1 ? " x" + r.threads() : "");
    }

    private static String paramText(final BenchmarkResult r)
    {
        final StringBuilder sb = new StringBuilder();
        for (final Map.Entry<String, String> p : r.params().entrySet())
        {
            sb.append(sb.length() == 0 ? "" : ", ").append(p.getKey()).append(" = ").append(p.getValue());
        }
        return sb.toString();
    }

    private static String valueText(final BenchmarkResult r, final String ratio)
    {
        final StringBuilder sb = new StringBuilder(durationText(r.nsPerOp()));
        if (r.bytesPerOp() >= 0.5)
        {
            sb.append(" · ").append(ResultTable.formatBytes(r.bytesPerOp())).append(" B/op");
        }
        if (ratio != null)
        {
            sb.append(" · ").append(ratio);
        }
        return sb.toString();
    }

    private static String valueMarkup(final String valueText)
    {
        final StringBuilder sb = new StringBuilder();
        String separator = "";
        for (final String part : valueText.split(" · "))
        {
            sb.append(Svg.escape(separator));
            sb.append(part.endsWith(" B/op") ? "<tspan fill=\"#b22222\" font-weight=\"bold\">" + Svg.escape(part) +
                "</tspan>" : Svg.escape(part));
            separator = " · ";
        }
        return sb.toString();
    }

    /**
     * @param ratio Ordo's time over the peer's.
     * @return e.g. {@code Ordo 62× faster}, {@code Ordo 1.46× slower}, {@code Ordo ties (1.02×)}.
     */
    static String peerRatioText(final double ratio)
    {
        if (ratio >= 0.95 && ratio <= 1.05)
        {
            return "Ordo ties (" + ratioText(ratio) + ")";
        }
        return ratio < 1 ? "Ordo " + ratioText(1 / ratio) + " faster" : "Ordo " + ratioText(ratio) + " slower";
    }

    static String ratioText(final double ratio)
    {
        return ratio >= 9.95 ? String.format(Locale.ROOT, "%,.0f×", ratio) :
            String.format(Locale.ROOT, "%.2f×", ratio);
    }

    /**
     * @param ns a duration, ns.
     * @return it in ns, µs or ms with three significant digits, e.g. {@code 18.3 ns}, {@code 1.13 µs}.
     */
    static String durationText(final double ns)
    {
        if (ns >= 1e6)
        {
            return String.format(Locale.ROOT, "%s ms", threeDigits(ns / 1e6));
        }
        if (ns >= 1e3)
        {
            return String.format(Locale.ROOT, "%s µs", threeDigits(ns / 1e3));
        }
        return String.format(Locale.ROOT, "%s ns", threeDigits(ns));
    }

    private static String threeDigits(final double v)
    {
        return v >= 100 ? String.format(Locale.ROOT, "%.0f", v) :
            v >= 10 ? String.format(Locale.ROOT, "%.1f", v) : String.format(Locale.ROOT, "%.2f", v);
    }

    /**
     * @param value a tick value, ns (a power of ten).
     * @return e.g. {@code 1 ns}, {@code 100 ns}, {@code 10 µs}.
     */
    static String tickText(final double value)
    {
        final String[] units = {"ns", "µs", "ms", "s"};
        double v = value;
        int u = 0;
        while (v >= 1000 - 1e-6 && u < units.length - 1)
        {
            v /= 1000;
            u++;
        }
        return (v == Math.rint(v) ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%s", v)) +
            " " + units[u];
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

    private static String draw(final List<Panel> panels, final String title, final boolean fallback)
    {
        double groupWidth = 0;
        double nameWidth = 0;
        double valueWidth = 0;
        double min = Double.MAX_VALUE;
        double max = 0;
        int height = 96;
        for (final Panel panel : panels)
        {
            height += 48;
            for (final Group g : panel.groups())
            {
                groupWidth = Math.max(groupWidth, textWidth(g.title(), GROUP_SIZE, true));
                groupWidth = Math.max(groupWidth, textWidth(g.detail(), LABEL_SIZE, false));
                height += Math.max(g.bars().size(), g.detail().isEmpty() ? 1 : 2) * STEP + GROUP_GAP;
                for (final Bar bar : g.bars())
                {
                    nameWidth = Math.max(nameWidth, textWidth(bar.name(), LABEL_SIZE, false));
                    valueWidth = Math.max(valueWidth, textWidth(bar.valueText(), LABEL_SIZE, false));
                    if (!panel.ownScale() && bar.valueNs() > 0)
                    {
                        min = Math.min(min, bar.valueNs());
                        max = Math.max(max, bar.valueNs());
                    }
                }
            }
        }
        if (max == 0)
        {
            min = 1;
            max = 10;
        }
        final double nameEnd = MARGIN + Math.ceil(groupWidth) + 14 + Math.ceil(nameWidth);
        final double plotX = nameEnd + 8;
        final double valueX = plotX + PLOT_WIDTH + 8;
        final String subtitle = "Time per operation, one thread unless marked; log scale, shared by every group but " +
            "the last panel. Ratios are Ordo's time against that bar.";
        final String[] legend = {"Ordo", "peer library or baseline", "floor (the same physical work, nothing else)"};
        final String allocation = "B/op: bytes allocated per operation, shown where not 0";
        final String[] footnote = {
            "* this run has no floor benchmark for that operation (clock read + atomic add, or real-time + " +
                "monotonic read),",
            "  so it is divided by one clock read instead, which understates the floor."};
        double legendEnd = MARGIN;
        for (final String text : legend)
        {
            legendEnd += 17 + textWidth(text, LABEL_SIZE, false) + 18;
        }
        legendEnd += textWidth(allocation, LABEL_SIZE, true);
        double widest = Math.max(valueX + valueWidth, legendEnd);
        widest = Math.max(widest, MARGIN + textWidth(subtitle, LABEL_SIZE, false));
        widest = Math.max(widest, MARGIN + textWidth(title, 16, true));
        if (fallback)
        {
            height += 34;
            widest = Math.max(widest, MARGIN + textWidth(footnote[0], LABEL_SIZE, false));
        }
        final int width = (int)Math.ceil(widest + MARGIN);
        final Svg svg = new Svg(width, height);
        svg.text(MARGIN, 24, "start", 16, "font-weight=\"bold\" class=\"title\"", title);
        svg.text(MARGIN, 44, "start", LABEL_SIZE, "fill=\"#444\" class=\"subtitle\"", subtitle);
        double legendX = MARGIN;
        final Series[] legendSeries = {Series.ORDO, Series.PEER, Series.FLOOR};
        for (int i = 0; i < legend.length; i++)
        {
            svg.rect(legendX, 56, 12, 11, legendSeries[i].colour, "class=\"legend-key\"", null);
            svg.text(legendX + 17, 66, "start", LABEL_SIZE, "class=\"legend\"", legend[i]);
            legendX += 17 + textWidth(legend[i], LABEL_SIZE, false) + 18;
        }
        svg.text(legendX, 66, "start", LABEL_SIZE, "fill=\"#b22222\" font-weight=\"bold\" class=\"legend\"",
            allocation);

        double y = 96;
        for (final Panel panel : panels)
        {
            double lo = min;
            double hi = max;
            if (panel.ownScale())
            {
                lo = Double.MAX_VALUE;
                hi = 0;
                for (final Group g : panel.groups())
                {
                    for (final Bar bar : g.bars())
                    {
                        if (bar.valueNs() > 0)
                        {
                            lo = Math.min(lo, bar.valueNs());
                            hi = Math.max(hi, bar.valueNs());
                        }
                    }
                }
                if (hi == 0)
                {
                    lo = 1;
                    hi = 10;
                }
            }
            // the axis starts at least a third of a decade below the shortest bar, so that every bar shows
            y = panel(svg, panel, y, plotX, nameEnd, valueX, NiceScale.decadeTicks(lo / 2, hi));
        }
        if (fallback)
        {
            svg.text(MARGIN, height - 26, "start", LABEL_SIZE, "fill=\"#444\" class=\"footnote\"", footnote[0]);
            svg.text(MARGIN, height - 12, "start", LABEL_SIZE, "fill=\"#444\" class=\"footnote\"", footnote[1]);
        }
        return svg.end();
    }

    private static double panel(final Svg svg, final Panel panel, final double top, final double plotX,
        final double nameEnd, final double valueX, final List<Double> ticks)
    {
        final double lo = Math.log10(ticks.get(0));
        final double hi = Math.log10(ticks.get(ticks.size() - 1));
        svg.text(MARGIN, top + 16, "start", 14, "font-weight=\"bold\" class=\"panel-title\"", panel.title());
        double height = 0;
        for (final Group g : panel.groups())
        {
            height += Math.max(g.bars().size(), g.detail().isEmpty() ? 1 : 2) * STEP + GROUP_GAP;
        }
        final double gridTop = top + 40;
        final double gridBottom = gridTop + height - GROUP_GAP + 2;
        for (final double t : ticks)
        {
            final double x = plotX + (Math.log10(t) - lo) / (hi - lo) * PLOT_WIDTH;
            svg.line(x, gridTop - 4, x, gridBottom, "#dddddd", "");
            svg.text(x, top + 34, "middle", 10, "fill=\"#555\" class=\"tick\"", tickText(t));
        }
        double y = gridTop;
        for (final Group g : panel.groups())
        {
            svg.raw("<g class=\"group\" data-id=\"" + Svg.escape(g.id()) + "\">\n");
            svg.text(MARGIN, y + BAR_HEIGHT - 1, "start", GROUP_SIZE, "font-weight=\"bold\" class=\"group-title\"",
                g.title());
            if (!g.detail().isEmpty())
            {
                svg.text(MARGIN, y + STEP + BAR_HEIGHT - 1, "start", LABEL_SIZE, "fill=\"#444\" class=\"group-detail\"",
                    g.detail());
            }
            double barY = y;
            for (final Bar bar : g.bars())
            {
                svg.text(nameEnd, barY + BAR_HEIGHT - 1, "end", LABEL_SIZE, "class=\"bar-name\"", bar.name());
                if (bar.valueNs() > 0)
                {
                    final double v = Math.max(Math.log10(bar.valueNs()), lo);
                    final double length = Math.max(1, (v - lo) / (hi - lo) * PLOT_WIDTH);
                    svg.rect(plotX, barY, length, BAR_HEIGHT, bar.series().colour,
                        "class=\"bar\" data-series=\"" + bar.series().id + "\"",
                        g.title() + " " + g.detail() + " · " + bar.name() + ": " + bar.valueText());
                }
                svg.textMarkup(valueX, barY + BAR_HEIGHT - 1, "start", LABEL_SIZE, "class=\"value\"",
                    valueMarkup(bar.valueText()));
                barY += STEP;
            }
            svg.raw("</g>\n");
            y += Math.max(g.bars().size(), g.detail().isEmpty() ? 1 : 2) * STEP + GROUP_GAP;
            svg.line(MARGIN, y - GROUP_GAP / 2.0 - 2, valueX - 8, y - GROUP_GAP / 2.0 - 2, "#eeeeee", "");
        }
        return y + 8;
    }
}
