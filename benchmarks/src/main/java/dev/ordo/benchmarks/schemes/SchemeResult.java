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
 * @param siblingsRead         values returned by all reads together (a read of a register with siblings returns
 *                             each of them; total orders return at most one).
 * @param maxSiblings          the most values one read returned.
 */
public record SchemeResult(
    String scheme, long skewUs, long writes, long lostWrites, long concurrentOverwritten, long reads,
    long causalityViolations, long concurrentDetected, long rejections, long messages, long metadataBytes,
    long totalWaitUs, long maxWaitUs, long siblingsRead, long maxSiblings)
{
    /**
     * A result without sibling statistics (schemes that keep one value per register).
     *
     * @param scheme                scheme name.
     * @param skewUs                configured skew, µs.
     * @param writes                writes made.
     * @param lostWrites            writes lost.
     * @param concurrentOverwritten concurrent writes overwritten.
     * @param reads                 reads made.
     * @param causalityViolations   causality violations.
     * @param concurrentDetected    concurrent pairs detected.
     * @param rejections            refused messages.
     * @param messages              messages.
     * @param metadataBytes         metadata bytes.
     * @param totalWaitUs           total commit wait, µs.
     * @param maxWaitUs             longest commit wait, µs.
     */
    public SchemeResult(
        final String scheme, final long skewUs, final long writes, final long lostWrites,
        final long concurrentOverwritten, final long reads, final long causalityViolations,
        final long concurrentDetected, final long rejections, final long messages, final long metadataBytes,
        final long totalWaitUs, final long maxWaitUs)
    {
        this(scheme, skewUs, writes, lostWrites, concurrentOverwritten, reads, causalityViolations,
            concurrentDetected, rejections, messages, metadataBytes, totalWaitUs, maxWaitUs, 0, 0);
    }

    /**
     * @return mean number of values a read returned (0 for reads of a register never written).
     */
    public double meanSiblingsPerRead()
    {
        return reads == 0 ? 0 : (double)siblingsRead / reads;
    }

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
