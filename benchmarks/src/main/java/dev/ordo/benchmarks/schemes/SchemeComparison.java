package dev.ordo.benchmarks.schemes;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.IntFunction;

/**
 * Runs the same seeded workload and network under every clock scheme, for several clock skews, and prints one
 * table (markdown) and optionally an SVG chart. Deterministic: the same arguments print the same table.
 *
 * <pre>
 * java -cp benchmarks.jar dev.ordo.benchmarks.schemes.SchemeComparison [--seed N] [--skews 0,10,100,1000]
 *     [--replicas 5] [--keys 8] [--clients 20] [--operations 5000] [--read-fraction 0.75] [--drift-ppm 50]
 *     [--epsilon-ms auto] [--faults loss,duplicate,reorder,reorderMs (default 0.01,0.01,0.05,20)]
 *     [--md out.md] [--svg out.svg]
 * </pre>
 * Skews are in milliseconds.
 */
public final class SchemeComparison
{
    private SchemeComparison()
    {
    }

    /**
     * @param config parameters; its skew is replaced by each of {@code skewsMs}.
     * @param skewsMs skews to run, ms.
     * @return one result per skew and scheme, skews in the given order, schemes in a fixed order.
     */
    public static List<SchemeResult> compare(final SimConfig config, final long[] skewsMs)
    {
        final List<SchemeResult> results = new ArrayList<>();
        for (final long skewMs : skewsMs)
        {
            config.skewUs(skewMs * 1_000);
            final List<Simulation.Operation> workload = Simulation.workload(config);
            final long runUs = workload.get(workload.size() - 1).timeUs();
            final long epsilonUs = Simulation.epsilonUs(config, runUs);
            final List<IntFunction<TimestampScheme>> schemes = List.of(
                n -> new WallClockScheme(),
                LamportScheme::new,
                HybridScheme::new,
                VectorScheme::new,
                DvvScheme::new,
                n -> new BoundedScheme(epsilonUs));
            for (final IntFunction<TimestampScheme> factory : schemes)
            {
                final Simulation simulation = new Simulation(
                    config, factory.apply(config.replicas), workload, new RandomNetwork(config, runUs));
                results.add(simulation.run());
            }
        }
        return results;
    }

    /**
     * @param results results of {@link #compare}.
     * @return a markdown table, one row per skew and scheme.
     */
    public static String markdown(final List<SchemeResult> results)
    {
        final StringBuilder sb = new StringBuilder();
        sb.append("| Skew | Scheme | Writes | Writes lost | Concurrent overwritten | Causality violations | " +
            "Concurrent pairs detected | Siblings per read (mean / max) | Rejected (HLC max offset) | Metadata B/msg | Commit wait ms (mean / max) |\n");
        sb.append("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (final SchemeResult r : results)
        {
            sb.append(String.format(Locale.ROOT, "| %s | %s | %d | %d | %d | %d | %d | %.2f / %d | %d | %.0f | %s |%n",
                skewText(r.skewUs()), r.scheme(), r.writes(), r.lostWrites(), r.concurrentOverwritten(),
                r.causalityViolations(), r.concurrentDetected(), r.meanSiblingsPerRead(), r.maxSiblings(),
                r.rejections(), r.metadataBytesPerMessage(),
                r.maxWaitUs() == 0 ? "0" : String.format(Locale.ROOT, "%.1f / %.1f", r.meanWaitMs(),
                    r.maxWaitUs() / 1e3)));
        }
        return sb.toString();
    }

    /**
     * @param results results of {@link #compare}.
     * @param title   chart title.
     * @return the SVG chart of {@link SchemeChartSvg}: per scheme, writes lost and concurrent writes overwritten
     * against skew, and the commit wait.
     */
    public static String chart(final List<SchemeResult> results, final String title)
    {
        return SchemeChartSvg.render(results, title, "");
    }

    private static String skewText(final long skewUs)
    {
        return skewUs % 1_000_000 == 0 && skewUs > 0 ? skewUs / 1_000_000 + " s" :
            skewUs % 1_000 == 0 ? skewUs / 1_000 + " ms" : skewUs + " µs";
    }

    /**
     * @param args see the class comment.
     * @throws IOException if an output file cannot be written.
     */
    public static void main(final String[] args) throws IOException
    {
        final SimConfig config = SimConfig.defaults();
        long[] skewsMs = {0, 10, 100, 1000};
        String md = null;
        String svg = null;
        for (int i = 0; i < args.length; i++)
        {
            final String arg = args[i];
            if ("--help".equals(arg) || "-h".equals(arg))
            {
                System.out.println("usage: SchemeComparison [--seed N] [--skews 0,10,100,1000] [--replicas 5] " +
                    "[--keys 8] [--clients 20] [--operations 5000] [--read-fraction 0.75] [--drift-ppm 50] " +
                    "[--epsilon-ms auto] [--faults 0.01,0.01,0.05,20] " +
                    "[--md out.md] [--svg out.svg]   (skews and epsilon in ms)");
                return;
            }
            if (i + 1 >= args.length)
            {
                throw new IllegalArgumentException(arg + " needs a value (see --help)");
            }
            final String value = args[++i];
            switch (arg)
            {
                case "--seed" -> config.seed(Long.parseLong(value));
                case "--skews" -> skewsMs = parseList(value);
                case "--replicas" -> config.replicas(Integer.parseInt(value));
                case "--keys" -> config.keys(Integer.parseInt(value));
                case "--clients" -> config.clients(Integer.parseInt(value));
                case "--operations" -> config.operations(Integer.parseInt(value));
                case "--faults" -> faults(config, value);
                case "--read-fraction" -> config.readFraction(Double.parseDouble(value));
                case "--drift-ppm" -> config.maxDriftPpm(Double.parseDouble(value));
                case "--epsilon-ms" -> config.epsilonUs("auto".equals(value) ? -1 : Long.parseLong(value) * 1_000);
                case "--md" -> md = value;
                case "--svg" -> svg = value;
                default -> throw new IllegalArgumentException("unknown option " + arg + " (see --help)");
            }
        }
        final List<SchemeResult> results = compare(config, skewsMs);
        final String text = "Seed " + config.seed + " (replay: --seed " + config.seed + ")\n\n" +
            "Configuration: " + config.describe() + "\n\n" + markdown(results);
        System.out.print(text);
        if (md != null)
        {
            Files.writeString(Path.of(md), text, StandardCharsets.UTF_8);
        }
        if (svg != null)
        {
            Files.writeString(Path.of(svg), SchemeChartSvg.render(results, "Clock schemes under skew (seed " +
                config.seed + ")", subtitle(config, results)), StandardCharsets.UTF_8);
        }
    }

    private static String subtitle(final SimConfig config, final List<SchemeResult> results)
    {
        final long writes = results.isEmpty() ? 0 : results.get(0).writes();
        return String.format(Locale.ROOT, "%d replicas, %d clients, %,d writes per run; one run per scheme and skew, " +
            "the same seeded workload and network in all (replay: --seed %d)", config.replicas, config.clients, writes,
            config.seed);
    }

    private static void faults(final SimConfig config, final String text)
    {
        final String[] parts = text.split(",");
        if (parts.length != 4)
        {
            throw new IllegalArgumentException(
                "--faults takes loss,duplicate,reorder,reorderMs (e.g. 0.01,0.01,0.05,20): " + text);
        }
        config.faults(Double.parseDouble(parts[0]), Double.parseDouble(parts[1]), Double.parseDouble(parts[2]),
            Math.round(Double.parseDouble(parts[3]) * 1_000));
    }

    private static long[] parseList(final String text)
    {
        final String[] parts = text.split(",");
        final long[] values = new long[parts.length];
        for (int i = 0; i < parts.length; i++)
        {
            values[i] = Long.parseLong(parts[i].trim());
            if (values[i] < 0)
            {
                throw new IllegalArgumentException("skews must be >= 0 ms: " + text);
            }
        }
        return values;
    }
}
