package dev.ordo.benchmarks.schemes;

/**
 * What one scheme got right and what it cost in one simulation run. Immutable.
 *
 * @param scheme               scheme name.
 * @param skewUs               configured skew, µs.
 * @param writes               writes made.
 * @param lostWrites           distinct writes discarded in favour of a write that happened before them.
 * @param concurrentOverwritten distinct writes discarded in favour of a write concurrent with them (arbitrated).
 * @param reads                reads made.
 * @param causalityViolations  reads that returned a value which happened before a value the same client had
 *                             already read for that key.
 * @param concurrentDetected   distinct pairs of writes the scheme reported as concurrent (kept as siblings).
 * @param rejections           messages the scheme refused (HLC beyond max offset).
 * @param messages             messages delivered or refused (duplicates count).
 * @param metadataBytes        ordering metadata bytes over all messages sent.
 * @param totalWaitUs          commit wait summed over writes, µs of true time.
 * @param maxWaitUs            longest commit wait, µs.
 */
public record SchemeResult(
    String scheme, long skewUs, long writes, long lostWrites, long concurrentOverwritten, long reads,
    long causalityViolations, long concurrentDetected, long rejections, long messages, long metadataBytes,
    long totalWaitUs, long maxWaitUs)
{
    /**
     * @return ordering metadata bytes per message; 0 when nothing was sent.
     */
    public double metadataBytesPerMessage()
    {
        return messages == 0 ? 0 : (double)metadataBytes / messages;
    }

    /**
     * @return mean commit wait per write, ms.
     */
    public double meanWaitMs()
    {
        return writes == 0 ? 0 : totalWaitUs / 1e3 / writes;
    }
}
