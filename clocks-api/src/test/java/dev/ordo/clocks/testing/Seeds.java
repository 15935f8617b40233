package dev.ordo.clocks.testing;

/**
 * Seeds for randomized tests. Every randomized test takes its seed from here, which prints it, so a
 * failure replays with {@code -Dordo.seed=<seed>} (or by pasting the seed into the test).
 */
public final class Seeds
{
    private Seeds()
    {
    }

    /**
     * @param testName printed with the seed.
     * @return the seed given as system property {@code ordo.seed}, else a fresh one.
     */
    public static long seed(final String testName)
    {
        final Long fixed = Long.getLong("ordo.seed");
        final long seed = fixed != null ? fixed : System.nanoTime() ^ Double.doubleToLongBits(Math.random());
        System.out.println("[seed] " + testName + ": " + seed + "  (replay with -Dordo.seed=" + seed + ")");
        return seed;
    }
}
