package dev.ordo.clocks.vector;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Publishes a consistent copy of a single-writer {@link VectorClock} to any number of reader threads, with a
 * sequence lock: no locks, no allocation, no torn snapshots.
 *
 * <p>Concurrency contract: one writer thread (the clock's owner) calls {@link #publish(VectorClock)}; it is
 * wait-free (it never waits for readers). Any thread calls {@link #readInto(VectorClock)}; it is lock-free:
 * it copies, then retries if a publish overlapped the copy, so a reader only spins while the writer is
 * publishing continuously. A reader always ends with exactly the state of one publish (entries and pruned
 * flags together), and never an older one than a publish that completed before its call started.
 *
 * <p>Memory ordering: the writer makes the sequence odd (opaque store), fences stores, writes the entries
 * (opaque, so no {@code long} tears), then makes it even with a release store. The reader acquires an even
 * sequence, copies (opaque), fences loads and re-reads the sequence: an unchanged value proves no write
 * overlapped. This is the protocol of {@link java.util.concurrent.locks.StampedLock#validate(long)}.
 *
 * <p>Allocation: none, except when the published clock has grown past the holder (a node was registered),
 * and then once, on the writer; a reader's target grows once in the same case.
 */
public final class VectorClockSnapshot
{
    private static final VarHandle SEQUENCE;
    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);

    static
    {
        try
        {
            SEQUENCE = MethodHandles.lookup().findVarHandle(VectorClockSnapshot.class, "sequence", long.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final NodeRegistry registry;
    private final EntryKind kind;
    @SuppressWarnings("unused") // accessed through SEQUENCE
    private volatile long sequence;
    private long[] values;
    private long[] prunedBits;
    private int valueCount;
    private int bitWordCount;

    /**
     * A holder whose initial snapshot is the all-zero clock.
     *
     * @param registry the membership of the clocks published here.
     * @param kind     their entry kind.
     */
    public VectorClockSnapshot(final NodeRegistry registry, final EntryKind kind)
    {
        this.registry = registry;
        this.kind = kind;
        final int size = registry.size();
        this.values = new long[size];
        this.prunedBits = new long[(size + 63) >>> 6];
    }

    /**
     * Publishes a copy of {@code source}. Writer thread only.
     *
     * @param source the clock to publish, of the same registry and kind; unchanged.
     * @throws IllegalArgumentException if the registry or kind differ.
     */
    public void publish(final VectorClock source)
    {
        if (source.registry() != registry || source.kind() != kind)
        {
            throw new IllegalArgumentException("cannot publish a clock of another registry or kind here");
        }
        final long[] src = source.valuesArray();
        final long[] srcBits = source.prunedBitsArray();
        final long s = (long)SEQUENCE.getOpaque(this);
        SEQUENCE.setOpaque(this, s + 1);
        VarHandle.storeStoreFence();
        if (src.length > values.length)
        {
            values = new long[src.length];
        }
        if (srcBits.length > prunedBits.length)
        {
            prunedBits = new long[srcBits.length];
        }
        final long[] dst = values;
        for (int i = 0; i < src.length; i++)
        {
            LONGS.setOpaque(dst, i, src[i]);
        }
        final long[] dstBits = prunedBits;
        for (int i = 0; i < srcBits.length; i++)
        {
            LONGS.setOpaque(dstBits, i, srcBits[i]);
        }
        valueCount = src.length;
        bitWordCount = srcBits.length;
        SEQUENCE.setRelease(this, s + 2);
    }

    /**
     * Copies the latest published state into {@code target}, replacing its history. Any thread; each reader
     * thread uses its own target.
     *
     * @param target a clock of the same registry and kind, owned by the calling thread.
     * @return the publish number the copy came from (0 for the initial all-zero state).
     * @throws IllegalArgumentException if the registry or kind differ.
     */
    public long readInto(final VectorClock target)
    {
        if (target.registry() != registry || target.kind() != kind)
        {
            throw new IllegalArgumentException("cannot read a snapshot into a clock of another registry or kind");
        }
        while (true)
        {
            final long s1 = (long)SEQUENCE.getAcquire(this);
            if ((s1 & 1) == 0)
            {
                final long[] src = values;
                final long[] srcBits = prunedBits;
                final int count = Math.min(valueCount, src.length);
                final int words = Math.min(bitWordCount, srcBits.length);
                if (target.valuesArray().length >= count && target.prunedBitsArray().length >= words)
                {
                    target.copyOpaque(src, count, srcBits, words, LONGS);
                    VarHandle.loadLoadFence();
                    if ((long)SEQUENCE.getOpaque(this) == s1)
                    {
                        target.finishCopy();
                        return s1 >>> 1;
                    }
                }
                else
                {
                    target.ensureSize(count);
                }
            }
            Thread.onSpinWait();
        }
    }

    /**
     * @return how many times {@link #publish(VectorClock)} has completed (a volatile read).
     */
    public long publishCount()
    {
        return (long)SEQUENCE.getVolatile(this) >>> 1;
    }
}
