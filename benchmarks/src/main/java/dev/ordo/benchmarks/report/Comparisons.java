package dev.ordo.benchmarks.report;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which floor and which peers each benchmark is compared with. Rules match {@code Class.method} and are tried in
 * order; the first match wins. Benchmarks that do not exist yet (written on other branches) are named here so
 * that their rows get ratios as soon as they appear in a run. Edit these tables, not the report code, to add
 * comparisons.
 */
public final class Comparisons
{
    /** The physical floor of clock reads. */
    public static final String CLOCK_READ_FLOOR = "PhysicalClockBenchmark.currentTimeMillis";

    /** The floor of pure logical operations: the cheapest atomic. */
    public static final String ATOMIC_FLOOR = "PhysicalClockBenchmark.atomicIncrement";

    /** A floor or peer rule: a pattern over {@code Class.method} and its target(s) ($1 etc. are groups). */
    record Rule(Pattern pattern, List<String> targets)
    {
        Rule(final String regex, final String... targets)
        {
            this(Pattern.compile(regex), List.of(targets));
        }
    }

    private static final List<Rule> FLOORS = List.of(
        new Rule("PhysicalClockBenchmark\\..*", CLOCK_READ_FLOOR),
        new Rule("LamportClockBenchmark\\..*", ATOMIC_FLOOR),
        new Rule("(Mutex|Ignite)?HybridClockBenchmark\\..*", CLOCK_READ_FLOOR),
        new Rule("BoundedClockBenchmark\\..*", CLOCK_READ_FLOOR),
        new Rule("(Pekko|Hazelcast)?VectorClockBenchmark\\..*", ATOMIC_FLOOR));

    private static final List<Rule> PEERS = List.of(
        new Rule("HybridClockBenchmark\\.(now|update|nowContended)",
            "IgniteHybridClockBenchmark.$1", "MutexHybridClockBenchmark.$1"),
        new Rule("HybridClockBenchmark\\.tryUpdate", "IgniteHybridClockBenchmark.update"),
        new Rule("HybridClockBenchmark\\.nowCachedClock", "IgniteHybridClockBenchmark.now"),
        new Rule("VectorClockBenchmark\\.(increment|merge|compare)",
            "PekkoVectorClockBenchmark.$1", "HazelcastVectorClockBenchmark.$1"));

    private static final List<String> PEER_CLASSES = List.of(
        "IgniteHybridClockBenchmark", "MutexHybridClockBenchmark", "PekkoVectorClockBenchmark",
        "HazelcastVectorClockBenchmark");

    private Comparisons()
    {
    }

    /**
     * @param id {@code Class.method}.
     * @return the floor's {@code Class.method}, or null when the benchmark has no physical floor.
     */
    public static String floorOf(final String id)
    {
        final List<String> targets = resolve(FLOORS, id);
        return targets.isEmpty() ? null : targets.get(0);
    }

    /**
     * @param id {@code Class.method} of an Ordo benchmark.
     * @return the peers' {@code Class.method}s to compare it with (same parameters); empty when none.
     */
    public static List<String> peersOf(final String id)
    {
        return resolve(PEERS, id);
    }

    /**
     * @param className simple class name.
     * @return whether the class measures a peer library or baseline rather than Ordo.
     */
    public static boolean isPeer(final String className)
    {
        return PEER_CLASSES.contains(className);
    }

    /**
     * @param className simple class name.
     * @return whether the class measures the physical floor.
     */
    public static boolean isFloor(final String className)
    {
        return "PhysicalClockBenchmark".equals(className);
    }

    private static List<String> resolve(final List<Rule> rules, final String id)
    {
        for (final Rule rule : rules)
        {
            final Matcher m = rule.pattern().matcher(id);
            if (m.matches())
            {
                return rule.targets().stream().map(t -> m.replaceFirst(t)).toList();
            }
        }
        return List.of();
    }
}
