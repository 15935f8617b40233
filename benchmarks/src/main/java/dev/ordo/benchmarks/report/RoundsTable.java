package dev.ordo.benchmarks.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The table of interleaved rounds: several JMH result files, each one run of one fork of the same benchmarks, read
 * side by side. Within a round every benchmark ran in the same minutes of the same host, so the ratio of two rows
 * of one round is not moved by where the host happened to put the threads that day; across rounds the ratios show
 * how much placement moves them. This is how the two-thread rows are decided on a 2-core VM, where one row's
 * forks can all land in a cheap stretch and its peer's all in a dear one (a single run then reports a ratio that
 * is only the host's).
 *
 * <p>Command line: {@code RoundsTable round1.json round2.json ... [--md rounds.md]}; the markdown also goes to
 * standard output. {@code benchmarks/run --rounds N} runs the rounds and calls it.
 *
 * <p>Two tables: every benchmark's ns/op per round, with the median and the range; and, for every Ordo row with a
 * floor or a peer in the same round, its ratio to each, per round, with the median and the range. A benchmark
 * missing from a round shows {@code —} there, and its median is over the rounds that have it; so does a ratio
 * that is not a finite number (a score of zero). Only average-time results are read (JMH files may hold others:
 * {@link BenchmarkResult#parseAll} skips throughput).
 */
public final class RoundsTable
{
    private RoundsTable()
    {
    }

    /**
     * @param rounds the results of each round, in round order; at least one round.
     * @return the two markdown tables.
     * @throws IllegalArgumentException if {@code rounds} is empty, if every round is empty, or if one round holds
     * the same benchmark, parameters and threads twice (two modes of one benchmark, or two files pasted together):
     * its ratios would silently pair one copy with the other's peer.
     */
    public static String markdown(final List<List<BenchmarkResult>> rounds)
    {
        if (rounds.isEmpty())
        {
            throw new IllegalArgumentException("no rounds: give at least one JMH result file");
        }
        final int n = rounds.size();
        if (rounds.stream().allMatch(List::isEmpty))
        {
            throw new IllegalArgumentException("no average-time results in any round");
        }
        final Map<String, double[]> times = new LinkedHashMap<>();
        final Map<String, double[]> ratios = new LinkedHashMap<>();
        for (int round = 0; round < n; round++)
        {
            final Set<String> seen = new HashSet<>();
            for (final ResultTable.Row row : ResultTable.rows(rounds.get(round)))
            {
                final BenchmarkResult r = row.result();
                final String label = label(r);
                if (!seen.add(label))
                {
                    throw new IllegalArgumentException("round " + (round + 1) + " holds " + label +
                        " twice (two benchmark modes, or two runs in one file): its ratios would be ambiguous");
                }
                cells(times, label, n)[round] = r.nsPerOp();
                if (Comparisons.isPeer(r.className()) || Comparisons.isFloor(r.id()))
                {
                    continue;
                }
                if (!Double.isNaN(row.floorRatio()))
                {
                    cells(ratios, label + " | × " + Comparisons.shortName(row.floorId()), n)[round] = row.floorRatio();
                }
                for (final ResultTable.PeerRatio peer : row.peers())
                {
                    cells(ratios, label + " | × " + Comparisons.shortName(peer.peer()), n)[round] = peer.ratio();
                }
            }
        }
        final StringBuilder sb = new StringBuilder();
        sb.append("Interleaved rounds: ").append(n).append(n == 1 ? " JMH run" : " JMH runs")
            .append(" of one fork each; every row of a round shares that round's host and thread placement.\n\n");
        sb.append("ns/op per round:\n\n");
        header(sb, n, "Benchmark");
        for (final Map.Entry<String, double[]> e : times.entrySet())
        {
            line(sb, e.getKey(), e.getValue(), "%.1f");
        }
        if (!ratios.isEmpty())
        {
            sb.append("\nRatios within each round (below 1: Ordo faster than the floor or the peer):\n\n");
            header(sb, n, "Benchmark", "against");
            for (final Map.Entry<String, double[]> e : ratios.entrySet())
            {
                line(sb, e.getKey(), e.getValue(), "%.2f×");
            }
        }
        return sb.toString();
    }

    /**
     * @param values the values of the rounds that have one (NaN marks a missing round).
     * @return the median of the finite values (NaN marks a missing round; an infinite ratio counts as missing);
     * NaN when there are none.
     */
    static double median(final double[] values)
    {
        final double[] present = Arrays.stream(values).filter(Double::isFinite).sorted().toArray();
        if (present.length == 0)
        {
            return Double.NaN;
        }
        final int mid = present.length / 2;
        return present.length % 2 == 1 ? present[mid] : (present[mid - 1] + present[mid]) / 2;
    }

    private static String label(final BenchmarkResult r)
    {
        // a JMH parameter value may hold '|', which would split a markdown cell
        return (r.label() + (r.threads() > 1 ? " (" + r.threads() + " threads)" : "")).replace("|", "\\|");
    }

    private static double[] cells(final Map<String, double[]> table, final String key, final int n)
    {
        return table.computeIfAbsent(key, k ->
        {
            final double[] empty = new double[n];
            Arrays.fill(empty, Double.NaN);
            return empty;
        });
    }

    private static void header(final StringBuilder sb, final int n, final String... labelColumns)
    {
        for (final String column : labelColumns)
        {
            sb.append("| ").append(column).append(' ');
        }
        for (int i = 1; i <= n; i++)
        {
            sb.append("| ").append(i).append(' ');
        }
        sb.append("| median | min–max |\n");
        sb.append("|---".repeat(labelColumns.length)).append("|---:".repeat(n)).append("|---:|---|\n");
    }

    private static void line(final StringBuilder sb, final String key, final double[] values, final String format)
    {
        sb.append("| ").append(key).append(' ');
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (final double v : values)
        {
            sb.append("| ").append(!Double.isFinite(v) ? "—" : String.format(Locale.ROOT, format, v)).append(' ');
            if (Double.isFinite(v))
            {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        final double median = median(values);
        sb.append("| ").append(Double.isNaN(median) ? "—" : String.format(Locale.ROOT, format, median)).append(' ');
        sb.append("| ").append(Double.isNaN(median) ? "—" :
            String.format(Locale.ROOT, format, min) + "–" + String.format(Locale.ROOT, format, max)).append(" |\n");
    }

    /**
     * Prints the tables of the given rounds. Bad arguments and unreadable files end it with one line on standard
     * error, no stack trace: exit code 2 for usage errors and input that is not a JMH result file, 1 when a file
     * cannot be read or written.
     *
     * @param args the result files of the rounds, in round order, then optionally {@code --md file}.
     */
    public static void main(final String[] args)
    {
        try
        {
            run(args);
        }
        catch (final IllegalArgumentException e)
        {
            System.err.println("RoundsTable: " + e.getMessage());
            System.exit(2);
        }
        catch (final IOException e)
        {
            System.err.println("RoundsTable: " + (e instanceof NoSuchFileException ? "no such file: " : "") +
                e.getMessage());
            System.exit(1);
        }
    }

    /**
     * {@link #main} without the exit: what the tests call.
     *
     * @param args as for {@link #main}.
     * @throws IllegalArgumentException on a usage error or a file that is not a JMH result file.
     * @throws IOException if a file cannot be read or written.
     */
    static void run(final String[] args) throws IOException
    {
        final String usage = "usage: RoundsTable round1.json round2.json ... [--md rounds.md]";
        final List<String> inputs = new ArrayList<>();
        String md = null;
        for (int i = 0; i < args.length; i++)
        {
            if (args[i].equals("--md"))
            {
                if (i + 1 >= args.length || args[i + 1].startsWith("-"))
                {
                    throw new IllegalArgumentException("--md needs a file name; " + usage);
                }
                md = args[++i];
            }
            else if (args[i].startsWith("-"))
            {
                throw new IllegalArgumentException("unexpected argument: " + args[i] + "; " + usage);
            }
            else
            {
                inputs.add(args[i]);
            }
        }
        if (inputs.isEmpty())
        {
            throw new IllegalArgumentException("no result files; " + usage);
        }
        final List<List<BenchmarkResult>> rounds = new ArrayList<>();
        for (final String input : inputs)
        {
            final List<BenchmarkResult> round;
            try
            {
                round = BenchmarkResult.parseAll(Files.readString(Path.of(input)));
            }
            catch (final IllegalArgumentException e)
            {
                throw new IllegalArgumentException(input + ": not a JMH result file: " + e.getMessage(), e);
            }
            if (round.isEmpty())
            {
                System.err.println("RoundsTable: " + input + ": no average-time results (round " +
                    (rounds.size() + 1) + " is empty)");
            }
            rounds.add(round);
        }
        final String table = markdown(rounds);
        if (md != null)
        {
            Files.writeString(Path.of(md), table, StandardCharsets.UTF_8);
        }
        System.out.print(table);
    }
}
