package dev.ordo.benchmarks.report;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which floor and which peers each benchmark is compared with. Rules match {@code Class.method} and are tried in
 * order; the first match wins. Benchmarks that do not exist yet (written on other branches) are named here so
 * that their rows get ratios as soon as they appear in a run. Edit these tables, not the report code, to add
 * comparisons.
 *
 * <p>The floor of a row is the cheapest code that does the same physical work: for an HLC a clock read plus an
 * atomic add ({@link #HLC_FLOOR}; with two threads on one clock, the same with both threads adding to one counter,
 * {@link #HLC_CONTENDED_FLOOR}), for a bounded clock a real-time read plus a monotonic read
 * ({@link #BOUNDED_FLOOR}), for a Lamport clock and the in-memory vector operations an atomic increment
 * ({@link #ATOMIC_FLOOR}; for the Lamport clock shared by two threads, {@link #ATOMIC_CONTENDED_FLOOR}). A result file made before those floor benchmarks existed falls back to the next
 * candidate, one clock read ({@link #CLOCK_READ_FLOOR}); the table says so.
 */
public final class Comparisons
{
    /** One read of the physical clock: {@code System.currentTimeMillis()}. */
    public static final String CLOCK_READ_FLOOR = "PhysicalClockBenchmark.currentTimeMillis";

    /** The floor of pure logical operations: {@code AtomicLong.incrementAndGet()}. */
    public static final String ATOMIC_FLOOR = "PhysicalClockBenchmark.atomicIncrement";

    /** The floor of a logical clock shared by two threads: an atomic increment of one counter both hammer. */
    public static final String ATOMIC_CONTENDED_FLOOR = "PhysicalClockBenchmark.atomicIncrementContended";

    /** The floor of an HLC: one epoch-millisecond read plus one atomic add. */
    public static final String HLC_FLOOR = "PhysicalClockBenchmark.epochMillisPlusAtomicAdd";

    /**
     * The floor of an HLC shared by two threads: the same clock read plus an atomic add on one counter that both
     * threads hammer (every add moves the counter's cache line between the cores).
     */
    public static final String HLC_CONTENDED_FLOOR = "PhysicalClockBenchmark.epochMillisPlusAtomicAddContended";

    /** The floor of a bounded clock's {@code now}: one real-time read plus one monotonic read. */
    public static final String BOUNDED_FLOOR = "BoundedClockBenchmark.floorRealTimePlusMonotonicRead";

    /** A floor or peer rule: a pattern over {@code Class.method} and its target(s) ($1 etc. are groups). */
    record Rule(Pattern pattern, List<String> targets)
    {
        Rule(final String regex, final String... targets)
        {
            this(Pattern.compile(regex), List.of(targets));
        }
    }

    private static final List<Rule> FLOORS = List.of(
        // the floors themselves and the commit-wait overshoot (a different quantity) have no floor
        new Rule(Pattern.quote(HLC_FLOOR) + "|" + Pattern.quote(BOUNDED_FLOOR) + "|" +
            Pattern.quote(ATOMIC_FLOOR) + "|" + Pattern.quote(CLOCK_READ_FLOOR) + "|" +
            Pattern.quote(HLC_CONTENDED_FLOOR) + "|" + Pattern.quote(ATOMIC_CONTENDED_FLOOR)),
        new Rule("BoundedClockBenchmark\\.commitWait.*"),
        new Rule("PhysicalClockBenchmark\\..*", CLOCK_READ_FLOOR),
        new Rule("LamportClockBenchmark\\..*Contended", ATOMIC_CONTENDED_FLOOR),
        new Rule("LamportClockBenchmark\\..*", ATOMIC_FLOOR),
        new Rule("(Mutex|Ignite)?HybridClockBenchmark\\..*Contended", HLC_CONTENDED_FLOOR),
        new Rule("ContendedCounterBenchmark\\..*", HLC_CONTENDED_FLOOR),
        new Rule("(Mutex|Ignite)?HybridClockBenchmark\\..*", HLC_FLOOR, CLOCK_READ_FLOOR),
        new Rule("BoundedClockBenchmark\\..*", BOUNDED_FLOOR, CLOCK_READ_FLOOR),
        new Rule("(Pekko|Hazelcast)?VectorClockBenchmark\\..*", ATOMIC_FLOOR));

    private static final List<Rule> PEERS = List.of(
        new Rule("HybridClockBenchmark\\.now",
            "IgniteHybridClockBenchmark.now", "IgniteHybridClockBenchmark.nowObject", "MutexHybridClockBenchmark.now"),
        new Rule("HybridClockBenchmark\\.(update|nowContended)",
            "IgniteHybridClockBenchmark.$1", "MutexHybridClockBenchmark.$1"),
        new Rule("HybridClockBenchmark\\.tryUpdate", "IgniteHybridClockBenchmark.update"),
        new Rule("HybridClockBenchmark\\.nowCachedClock", "IgniteHybridClockBenchmark.now"),
        new Rule("VectorClockBenchmark\\.merge",
            "PekkoVectorClockBenchmark.merge", "HazelcastVectorClockBenchmark.merge",
            "HazelcastVectorClockBenchmark.mergeInPlace"),
        new Rule("VectorClockBenchmark\\.(increment|compare)",
            "PekkoVectorClockBenchmark.$1", "HazelcastVectorClockBenchmark.$1"));

    /** Peer class to the Ordo class it is compared with, in the order peers are listed everywhere. */
    private static final Map<String, String> PEER_CLASSES = new LinkedHashMap<>();

    /** Short names of peers and floors for the chart. */
    private static final Map<String, String> SHORT_NAMES = Map.ofEntries(
        Map.entry("IgniteHybridClockBenchmark.now", "Ignite 3 nowLong()"),
        Map.entry("IgniteHybridClockBenchmark.nowObject", "Ignite 3 now()"),
        Map.entry("IgniteHybridClockBenchmark", "Ignite 3"),
        Map.entry("MutexHybridClockBenchmark", "mutex HLC"),
        Map.entry("PekkoVectorClockBenchmark", "Pekko"),
        Map.entry("HazelcastVectorClockBenchmark.mergeInPlace", "Hazelcast in place"),
        Map.entry("HazelcastVectorClockBenchmark", "Hazelcast"),
        Map.entry(HLC_FLOOR, "floor: clock read + atomic add"),
        Map.entry(HLC_CONTENDED_FLOOR, "floor: clock read + atomic add, 2 threads"),
        Map.entry(BOUNDED_FLOOR, "floor: real-time + monotonic read"),
        Map.entry(ATOMIC_FLOOR, "floor: atomic increment"),
        Map.entry(ATOMIC_CONTENDED_FLOOR, "floor: atomic increment, 2 threads"),
        Map.entry(CLOCK_READ_FLOOR, "floor: one clock read"));

    static
    {
        PEER_CLASSES.put("IgniteHybridClockBenchmark", "HybridClockBenchmark");
        PEER_CLASSES.put("MutexHybridClockBenchmark", "HybridClockBenchmark");
        PEER_CLASSES.put("PekkoVectorClockBenchmark", "VectorClockBenchmark");
        PEER_CLASSES.put("HazelcastVectorClockBenchmark", "VectorClockBenchmark");
    }

    private Comparisons()
    {
    }

    /**
     * @param id {@code Class.method}.
     * @return the preferred floor's {@code Class.method}, or null when the benchmark has no physical floor.
     */
    public static String floorOf(final String id)
    {
        final List<String> targets = floorsOf(id);
        return targets.isEmpty() ? null : targets.get(0);
    }

    /**
     * @param id {@code Class.method}.
     * @return the floor candidates, best first: the real floor of the operation, then the fallbacks to use when
     * a result file lacks it; empty when the benchmark has no physical floor.
     */
    public static List<String> floorsOf(final String id)
    {
        return resolve(FLOORS, id);
    }

    /**
     * @param id {@code Class.method} of an Ordo benchmark.
     * @return the peers' {@code Class.method}s to compare it with (same parameters), in a fixed order; empty
     * when none.
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
        return PEER_CLASSES.containsKey(className);
    }

    /**
     * @param peerClassName simple class name of a peer.
     * @return the Ordo class it is compared with, or null when it is not a peer.
     */
    public static String ordoClassOf(final String peerClassName)
    {
        return PEER_CLASSES.get(peerClassName);
    }

    /**
     * @param id {@code Class.method}.
     * @return whether the benchmark measures a physical floor (any {@code PhysicalClockBenchmark} method, or a
     * floor method in another class such as {@link #BOUNDED_FLOOR}).
     */
    public static boolean isFloor(final String id)
    {
        return id.startsWith("PhysicalClockBenchmark.") || id.equals(BOUNDED_FLOOR) || id.equals(HLC_FLOOR);
    }

    /**
     * @param id {@code Class.method} of a peer or floor.
     * @return a short name for a chart: {@code Pekko}, {@code floor: atomic increment}, ...; the method name
     * when nothing shorter is known.
     */
    public static String shortName(final String id)
    {
        final String byId = SHORT_NAMES.get(id);
        if (byId != null)
        {
            return byId;
        }
        final String byClass = SHORT_NAMES.get(id.substring(0, Math.max(0, id.indexOf('.'))));
        return byClass != null ? byClass : id.replace("Benchmark.", ".");
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
