package dev.ordo.benchmarks.report;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One row of a JMH result file, reduced to what the table needs. Immutable.
 *
 * @param className  simple class name, e.g. {@code HybridClockBenchmark}.
 * @param method     benchmark method (or {@code @Group} name), e.g. {@code now}.
 * @param params     JMH parameters, sorted by name; empty when none.
 * @param threads    threads that ran the benchmark.
 * @param nsPerOp    average time per operation in nanoseconds.
 * @param errorNs    99.9% confidence half-width in nanoseconds; NaN when JMH had too few iterations.
 * @param bytesPerOp {@code gc.alloc.rate.norm}; NaN when the run had no {@code -prof gc}.
 * @param counters   the other secondary results that are not profiler output (JMH {@code @AuxCounters}, such
 *                   as the commit-wait benchmark's {@code overshootNs} and {@code waits}), by name; empty when
 *                   none.
 * @param forkMeansNs the mean of each fork's measurement iterations, ns per operation, in fork order (JMH's
 *                    {@code rawData}); one value for a single fork, empty when the file has no raw data.
 */
public record BenchmarkResult(
    String className, String method, Map<String, String> params, int threads, double nsPerOp, double errorNs,
    double bytesPerOp, Map<String, Double> counters, List<Double> forkMeansNs)
{
    /**
     * A result without auxiliary counters.
     *
     * @param className  simple class name.
     * @param method     benchmark method.
     * @param params     JMH parameters.
     * @param threads    threads.
     * @param nsPerOp    average time per operation, ns.
     * @param errorNs    99.9% confidence half-width, ns.
     * @param bytesPerOp bytes allocated per operation.
     */
    public BenchmarkResult(
        final String className, final String method, final Map<String, String> params, final int threads,
        final double nsPerOp, final double errorNs, final double bytesPerOp)
    {
        this(className, method, params, threads, nsPerOp, errorNs, bytesPerOp, Map.of(), List.of());
    }

    /**
     * @return true when the result comes from more than one fork (JVM), so {@link #forkMeansNs()} shows the
     * spread between JVMs (thread placement, JIT decisions) that the error bar alone hides.
     */
    public boolean hasSeveralForks()
    {
        return forkMeansNs.size() > 1;
    }

    /**
     * @param name a counter name, e.g. {@code overshootNs}.
     * @return the counter's score (summed over iterations for JMH event counters), or NaN when absent.
     */
    public double counter(final String name)
    {
        final Double value = counters.get(name);
        return value == null ? Double.NaN : value;
    }

    /**
     * @return {@code Class.method}.
     */
    public String id()
    {
        return className + "." + method;
    }

    /**
     * @return {@code Class.method} followed by {@code [name=value,...]} when there are parameters.
     */
    public String label()
    {
        if (params.isEmpty())
        {
            return id();
        }
        final StringBuilder sb = new StringBuilder(id()).append(" [");
        String separator = "";
        for (final Map.Entry<String, String> e : params.entrySet())
        {
            sb.append(separator).append(e.getKey()).append('=').append(e.getValue());
            separator = ",";
        }
        return sb.append(']').toString();
    }

    /**
     * Reads every result of a JMH {@code -rf json} file, in file order.
     *
     * @param json the file's text.
     * @return the results; results in a mode other than average time are converted from their unit when it is a
     * time per operation, and skipped otherwise (throughput).
     * @throws IllegalArgumentException if the text is not a JSON array of JMH results.
     */
    public static List<BenchmarkResult> parseAll(final String json)
    {
        final Object root = Json.parse(json);
        if (!(root instanceof List))
        {
            throw new IllegalArgumentException("a JMH result file is a JSON array, found " + typeName(root));
        }
        final List<BenchmarkResult> results = new ArrayList<>();
        for (final Object item : (List<?>)root)
        {
            final BenchmarkResult result = parseOne(item);
            if (result != null)
            {
                results.add(result);
            }
        }
        return Collections.unmodifiableList(results);
    }

    private static BenchmarkResult parseOne(final Object item)
    {
        final Map<?, ?> entry = asMap(item, "result");
        final String fullName = asString(entry.get("benchmark"), "benchmark");
        final int lastDot = fullName.lastIndexOf('.');
        final String method = fullName.substring(lastDot + 1);
        final String qualifiedClass = lastDot < 0 ? "" : fullName.substring(0, lastDot);
        final String className = qualifiedClass.substring(qualifiedClass.lastIndexOf('.') + 1);

        final Map<String, String> params = new TreeMap<>();
        final Object rawParams = entry.get("params");
        if (rawParams instanceof Map)
        {
            for (final Map.Entry<?, ?> p : ((Map<?, ?>)rawParams).entrySet())
            {
                params.put(String.valueOf(p.getKey()), String.valueOf(p.getValue()));
            }
        }
        final double threadsValue = Json.number(entry.get("threads"));
        final int threads = Double.isNaN(threadsValue) ? 1 : (int)threadsValue;

        final Map<?, ?> primary = asMap(entry.get("primaryMetric"), "primaryMetric of " + fullName);
        final double toNs = nanosPerUnit(asString(primary.get("scoreUnit"), "scoreUnit of " + fullName));
        if (Double.isNaN(toNs))
        {
            return null;
        }
        final double score = Json.number(primary.get("score")) * toNs;
        final double error = Json.number(primary.get("scoreError")) * toNs;
        final List<Double> forkMeans = new ArrayList<>();
        if (primary.get("rawData") instanceof List)
        {
            for (final Object fork : (List<?>)primary.get("rawData"))
            {
                if (fork instanceof List && !((List<?>)fork).isEmpty())
                {
                    double sum = 0;
                    for (final Object iteration : (List<?>)fork)
                    {
                        sum += Json.number(iteration);
                    }
                    forkMeans.add(sum / ((List<?>)fork).size() * toNs);
                }
            }
        }

        double bytes = Double.NaN;
        final Map<String, Double> counters = new TreeMap<>();
        final Object secondary = entry.get("secondaryMetrics");
        if (secondary instanceof Map)
        {
            for (final Map.Entry<?, ?> metric : ((Map<?, ?>)secondary).entrySet())
            {
                final String name = String.valueOf(metric.getKey());
                if (!(metric.getValue() instanceof Map))
                {
                    continue;
                }
                final double value = Json.number(((Map<?, ?>)metric.getValue()).get("score"));
                if ("gc.alloc.rate.norm".equals(name))
                {
                    bytes = value;
                }
                else if (!name.contains(".") && !name.startsWith("·"))
                {
                    // profiler outputs are dotted (gc.count, gc.time, ...); auxiliary counters are plain fields
                    counters.put(name, value);
                }
            }
        }
        return new BenchmarkResult(className, method, Collections.unmodifiableMap(params), threads, score, error,
            bytes, Collections.unmodifiableMap(counters), List.copyOf(forkMeans));
    }

    /**
     * @param unit a JMH score unit such as {@code ns/op} or {@code us/op}.
     * @return nanoseconds per one of that unit's time, or NaN when the unit is not a time per operation.
     */
    static double nanosPerUnit(final String unit)
    {
        switch (unit)
        {
            case "ns/op":
                return 1;
            case "us/op":
                return 1e3;
            case "ms/op":
                return 1e6;
            case "s/op":
                return 1e9;
            default:
                return Double.NaN;
        }
    }

    private static Map<?, ?> asMap(final Object value, final String what)
    {
        if (!(value instanceof Map))
        {
            throw new IllegalArgumentException("expected a JSON object for " + what + ", found " + typeName(value));
        }
        return (Map<?, ?>)value;
    }

    private static String asString(final Object value, final String what)
    {
        if (!(value instanceof String))
        {
            throw new IllegalArgumentException("expected a JSON string for " + what + ", found " + typeName(value));
        }
        return (String)value;
    }

    private static String typeName(final Object value)
    {
        return value == null ? "null" : value.getClass().getSimpleName();
    }
}
