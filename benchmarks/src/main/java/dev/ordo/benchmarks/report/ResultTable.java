package dev.ordo.benchmarks.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Turns a JMH JSON result file into one table: time per operation with its error, bytes allocated per
 * operation, the ratio to the physical floor and the ratio to each peer, plus an SVG bar chart.
 *
 * <p>Run as {@code java -cp benchmarks.jar dev.ordo.benchmarks.report.ResultTable results.json
 * [--md table.md] [--svg chart.svg] [--title text]}; the markdown also goes to standard output. Any benchmark
 * in the file gets a row, also ones this class has never heard of; floors and peers come from
 * {@link Comparisons}. Ratios are {@code this / other}: below 1 means faster than the floor or the peer.
 */
public final class ResultTable
{
    /**
     * A table row: a result with its comparisons.
     *
     * @param result        the measurement.
     * @param floorId       {@code Class.method} of the floor it was divided by (the operation's real floor, or a
     *                      fallback when the run lacks it), or null when it has none.
     * @param floorRatio    its time over the floor's time; NaN when there is no floor or no floor candidate ran.
     * @param floorFallback whether {@code floorId} is a fallback because the real floor is not in the run.
     * @param peers         ratios to the peers that ran, in {@link Comparisons#peersOf} order.
     */
    public record Row(
        BenchmarkResult result, String floorId, double floorRatio, boolean floorFallback, List<PeerRatio> peers)
    {
        /**
         * @return the operation's real floor ({@code Class.method}) when {@link #floorFallback}, else null.
         */
        public String missingFloorId()
        {
            return floorFallback ? Comparisons.floorOf(result.id()) : null;
        }
    }

    /**
     * @param peer  the peer's {@code Class.method}.
     * @param ratio this row's time over the peer's time.
     */
    public record PeerRatio(String peer, double ratio)
    {
    }

    private ResultTable()
    {
    }

    /**
     * @param results every result of one run.
     * @return one row per result, in the given order, with ratios to floors and peers found in the same run.
     */
    public static List<Row> rows(final List<BenchmarkResult> results)
    {
        final List<Row> rows = new ArrayList<>(results.size());
        for (final BenchmarkResult r : results)
        {
            final List<String> floorIds = Comparisons.floorsOf(r.id());
            String floorId = floorIds.isEmpty() ? null : floorIds.get(0);
            double floorRatio = Double.NaN;
            boolean fallback = false;
            for (int i = 0; i < floorIds.size(); i++)
            {
                final BenchmarkResult floor = findFloor(results, floorIds.get(i));
                if (floor != null)
                {
                    floorId = floorIds.get(i);
                    floorRatio = r.nsPerOp() / floor.nsPerOp();
                    fallback = i > 0;
                    break;
                }
            }
            final List<PeerRatio> peers = new ArrayList<>();
            for (final String peerId : Comparisons.peersOf(r.id()))
            {
                final BenchmarkResult peer = findPeer(results, peerId, r);
                if (peer != null)
                {
                    peers.add(new PeerRatio(peerId, r.nsPerOp() / peer.nsPerOp()));
                }
            }
            rows.add(new Row(r, floorId, floorRatio, fallback, List.copyOf(peers)));
        }
        return rows;
    }

    /**
     * @param results results of one run.
     * @param id      {@code Class.method}.
     * @param params  parameters to match exactly.
     * @param threads thread count to match.
     * @return the matching result, or null.
     */
    static BenchmarkResult find(
        final List<BenchmarkResult> results, final String id, final Map<String, String> params, final int threads)
    {
        for (final BenchmarkResult r : results)
        {
            if (r.id().equals(id) && r.params().equals(params) && r.threads() == threads)
            {
                return r;
            }
        }
        return null;
    }

    /**
     * @param results results of one run.
     * @param floorId {@code Class.method} of a floor (floors have no parameters; a contended floor is its own
     *                method, run with the threads of the rows it is the floor of).
     * @return the floor's result, or null.
     */
    static BenchmarkResult findFloor(final List<BenchmarkResult> results, final String floorId)
    {
        for (final BenchmarkResult r : results)
        {
            if (r.id().equals(floorId) && r.params().isEmpty())
            {
                return r;
            }
        }
        return null;
    }

    /**
     * @param results results of one run.
     * @param peerId  {@code Class.method} of a peer.
     * @param ordo    the Ordo result it is compared with.
     * @return the peer's result with the same thread count and the same parameters, or else the one whose every
     * parameter has Ordo's value (Ordo may have more: the vector clocks' {@code ids} kind, which the peers lack,
     * so both kinds are compared with the same peer row); null when none.
     */
    static BenchmarkResult findPeer(final List<BenchmarkResult> results, final String peerId, final BenchmarkResult ordo)
    {
        final BenchmarkResult exact = find(results, peerId, ordo.params(), ordo.threads());
        if (exact != null)
        {
            return exact;
        }
        for (final BenchmarkResult r : results)
        {
            if (r.id().equals(peerId) && r.threads() == ordo.threads() &&
                ordo.params().entrySet().containsAll(r.params().entrySet()))
            {
                return r;
            }
        }
        return null;
    }

    /**
     * @param result a result.
     * @return the mean commit-wait overshoot, ns ({@code overshootNs / waits}), or NaN when the result does not
     * carry those counters.
     */
    public static double meanOvershootNs(final BenchmarkResult result)
    {
        final double waits = result.counter("waits");
        return waits > 0 ? result.counter("overshootNs") / waits : Double.NaN;
    }

    /**
     * @param rows    the rows.
     * @param heading text above the table (e.g. the machine), or null.
     * @return a markdown table.
     */
    public static String markdown(final List<Row> rows, final String heading)
    {
        final StringBuilder sb = new StringBuilder();
        if (heading != null && !heading.isEmpty())
        {
            sb.append(heading).append("\n\n");
        }
        sb.append("| Benchmark | Threads | ns/op | ± | B/op | Floor | × floor | vs peers (× peer) |\n");
        sb.append("|---|---:|---:|---:|---:|---|---:|---|\n");
        for (final Row row : rows)
        {
            final BenchmarkResult r = row.result();
            sb.append("| ").append(r.label())
                .append(" | ").append(r.threads())
                .append(" | ").append(formatNs(r.nsPerOp()))
                .append(" | ").append(formatNs(r.errorNs()))
                .append(" | ").append(formatBytes(r.bytesPerOp()))
                .append(" | ").append(row.floorId() == null ? "—" :
                    shortMethod(row.floorId()) + (row.floorFallback() ? " (fallback)" : ""))
                .append(" | ").append(formatRatio(row.floorRatio()))
                .append(" | ").append(peerText(row.peers()))
                .append(" |\n");
        }
        final Set<String> missing = new TreeSet<>();
        for (final Row row : rows)
        {
            if (row.floorFallback())
            {
                missing.add(row.missingFloorId());
            }
        }
        for (final String floor : missing)
        {
            sb.append("\nFloor fallback: this run has no `").append(floor).append("`, so the rows marked (fallback) " +
                "are divided by one clock read alone, which understates their floor.\n");
        }
        boolean firstSpread = true;
        for (final Row row : rows)
        {
            final BenchmarkResult r = row.result();
            if (r.hasSeveralForks())
            {
                if (firstSpread)
                {
                    sb.append("\nSpread between forks (each fork a fresh JVM; mean of its iterations, ns/op): ");
                    firstSpread = false;
                }
                else
                {
                    sb.append("; ");
                }
                sb.append(r.label()).append(r.threads() > 1 ? " (" + r.threads() + " threads)" : "").append(' ');
                double min = Double.POSITIVE_INFINITY;
                double max = Double.NEGATIVE_INFINITY;
                for (int i = 0; i < r.forkMeansNs().size(); i++)
                {
                    final double mean = r.forkMeansNs().get(i);
                    sb.append(i == 0 ? "" : ", ").append(formatNs(mean));
                    min = Math.min(min, mean);
                    max = Math.max(max, mean);
                }
                sb.append(" (max/min ").append(formatRatio(max / min)).append(')');
            }
        }
        if (!firstSpread)
        {
            sb.append(".\n");
        }
        boolean first = true;
        for (final Row row : rows)
        {
            final double overshootNs = meanOvershootNs(row.result());
            if (!Double.isNaN(overshootNs))
            {
                sb.append(first ? "\nCommit-wait overshoot (mean `overshootNs / waits`): " : "; ")
                    .append(row.result().label()).append(' ').append(formatNs(overshootNs)).append(" ns");
                first = false;
            }
        }
        if (!first)
        {
            sb.append(".\n");
        }
        return sb.toString();
    }

    private static String peerText(final List<PeerRatio> peers)
    {
        if (peers.isEmpty())
        {
            return "—";
        }
        final StringBuilder sb = new StringBuilder();
        for (final PeerRatio p : peers)
        {
            if (sb.length() > 0)
            {
                sb.append("; ");
            }
            sb.append(p.peer().replace("Benchmark.", ".")).append(' ').append(formatRatio(p.ratio()));
        }
        return sb.toString();
    }

    private static String shortMethod(final String id)
    {
        return id.substring(id.indexOf('.') + 1);
    }

    static String formatNs(final double ns)
    {
        if (Double.isNaN(ns))
        {
            return "—";
        }
        return ns >= 1000 ? String.format(Locale.ROOT, "%,.0f", ns) : String.format(Locale.ROOT, "%.1f", ns);
    }

    static String formatBytes(final double bytes)
    {
        if (Double.isNaN(bytes))
        {
            return "—";
        }
        return String.format(Locale.ROOT, "%.0f", bytes < 0.5 ? 0.0 : bytes);
    }

    static String formatRatio(final double ratio)
    {
        return Double.isNaN(ratio) || Double.isInfinite(ratio) ? "—" : String.format(Locale.ROOT, "%.2f×", ratio);
    }

    /**
     * @param rows  the rows.
     * @param title chart title.
     * @return the SVG chart: one group per operation and parameter (Ordo, each peer, the floor, on one log
     * scale, ratios printed), and the commit-wait overshoot on its own panel; see {@link BenchmarkChartSvg}.
     */
    public static String chart(final List<Row> rows, final String title)
    {
        return BenchmarkChartSvg.render(rows, title);
    }

    /**
     * @return a line naming this machine: cores, CPU model and JDK.
     */
    public static String machineDescription()
    {
        String cpu = "unknown CPU";
        try
        {
            for (final String line : Files.readAllLines(Path.of("/proc/cpuinfo"), StandardCharsets.UTF_8))
            {
                if (line.startsWith("model name"))
                {
                    cpu = line.substring(line.indexOf(':') + 1).trim();
                    break;
                }
            }
        }
        catch (final IOException | RuntimeException ignored)
        {
            // not Linux: keep "unknown CPU"
        }
        return "Machine: " + Runtime.getRuntime().availableProcessors() + " cores (nproc), " + cpu + "; JDK " +
            System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version");
    }

    /**
     * @param args {@code results.json [--md table.md] [--svg chart.svg] [--title text]}.
     * @throws IOException if a file cannot be read or written.
     */
    public static void main(final String[] args) throws IOException
    {
        String input = null;
        String md = null;
        String svg = null;
        String title = "Ordo benchmarks";
        for (int i = 0; i < args.length; i++)
        {
            switch (args[i])
            {
                case "--md" -> md = value(args, ++i);
                case "--svg" -> svg = value(args, ++i);
                case "--title" -> title = value(args, ++i);
                default ->
                {
                    if (input != null || args[i].startsWith("--"))
                    {
                        throw new IllegalArgumentException("unexpected argument: " + args[i] +
                            "; usage: ResultTable results.json [--md table.md] [--svg chart.svg] [--title text]");
                    }
                    input = args[i];
                }
            }
        }
        Objects.requireNonNull(input, "usage: ResultTable results.json [--md table.md] [--svg chart.svg]");
        final List<Row> rows = rows(BenchmarkResult.parseAll(Files.readString(Path.of(input))));
        final String table = markdown(rows, machineDescription());
        System.out.print(table);
        if (md != null)
        {
            Files.writeString(Path.of(md), table, StandardCharsets.UTF_8);
        }
        if (svg != null)
        {
            Files.writeString(Path.of(svg), chart(rows, title), StandardCharsets.UTF_8);
        }
    }

    private static String value(final String[] args, final int i)
    {
        if (i >= args.length)
        {
            throw new IllegalArgumentException(args[i - 1] + " needs a value");
        }
        return args[i];
    }
}
