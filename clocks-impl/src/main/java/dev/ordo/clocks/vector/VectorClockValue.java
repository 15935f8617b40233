package dev.ordo.clocks.vector;

import dev.ordo.clocks.api.Causality;
import dev.ordo.clocks.api.MalformedClockException;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.RandomAccess;

/**
 * An immutable vector clock value for cold paths: map keys, logs, tests, storage next to a record. It is
 * its own canonical encoding (the wire format of docs/vector-clocks.md), so {@link #equals(Object)} and
 * {@link #hashCode()} are those of equal histories, {@link #toBytes()} is free of conversion and
 * {@link #fromBytes(byte[])} validates exactly as {@link VectorClock#decode(byte[], int, int)} does.
 * Entries are keyed by wire id: a value needs no {@link NodeRegistry}.
 *
 * <p>Thread-safe (immutable). Every method allocates at most its result; the hot paths stay on
 * {@link VectorClock} and {@link EncodedVectorClock}.
 */
public final class VectorClockValue
{
    /**
     * One (node, value) entry.
     *
     * @param nodeId  the node's wire id.
     * @param value   its entry: exact, a lower bound when {@code pruned}, 0 when {@code retired}.
     * @param pruned  true when the value is only a lower bound.
     * @param retired true for a retired marker: exactly the node's final value, kept by the registries
     *                ({@link NodeRegistry#retire(int, long)}), not by the bytes.
     */
    public record Entry(long nodeId, long value, boolean pruned, boolean retired)
    {
    }

    private final byte[] encoding;
    private final EncodedVectorClock view;

    private VectorClockValue(final byte[] encoding)
    {
        this.encoding = encoding;
        this.view = new EncodedVectorClock().wrap(encoding, 0, encoding.length);
    }

    /**
     * @param clock a clock; unchanged.
     * @return its current history as a value.
     */
    public static VectorClockValue of(final VectorClock clock)
    {
        final byte[] bytes = new byte[clock.encodedLength()];
        clock.encode(bytes, 0);
        return new VectorClockValue(bytes);
    }

    /**
     * @param bytes an encoding, untrusted; copied.
     * @return the value it encodes.
     * @throws MalformedClockException if the bytes are not exactly one valid encoding.
     */
    public static VectorClockValue fromBytes(final byte[] bytes)
    {
        return new VectorClockValue(bytes.clone());
    }

    /**
     * @param kind    what the entries hold.
     * @param nodeIds wire ids, any order, no duplicates.
     * @param values  matching entries, each {@code 1 .. kind.maxValue()} (0 entries are simply absent).
     * @return the value with exactly these exact (unpruned) entries.
     * @throws IllegalArgumentException for duplicate or negative ids, mismatched lengths or bad values.
     */
    public static VectorClockValue of(final EntryKind kind, final long[] nodeIds, final long[] values)
    {
        if (nodeIds.length != values.length)
        {
            throw new IllegalArgumentException(nodeIds.length + " node ids but " + values.length + " values");
        }
        final NodeRegistry members = new NodeRegistry();
        final VectorClock clock = new VectorClock(members, kind);
        for (int i = 0; i < nodeIds.length; i++)
        {
            final int index = members.register(nodeIds[i]);
            if (clock.get(index) != 0)
            {
                throw new IllegalArgumentException("duplicate node id " + nodeIds[i]);
            }
            if (values[i] != 0)
            {
                clock.increment(index, values[i]);
            }
        }
        return of(clock);
    }

    /**
     * @return a copy of the canonical encoding (what {@link #fromBytes(byte[])} reads back).
     */
    public byte[] toBytes()
    {
        return encoding.clone();
    }

    /**
     * @return what the entries hold.
     */
    public EntryKind kind()
    {
        return view.kind();
    }

    /**
     * @return number of (non-zero) entries.
     */
    public int size()
    {
        return view.entryCount();
    }

    /**
     * @param nodeId a wire id.
     * @return the node's entry, 0 when absent (a lower bound when pruned).
     */
    public long get(final long nodeId)
    {
        return view.get(nodeId);
    }

    /**
     * @param nodeId a wire id.
     * @return true when the node's entry is pruned.
     */
    public boolean isPruned(final long nodeId)
    {
        return view.isPruned(nodeId);
    }

    /**
     * @return the entries in ascending node-id order, as an immutable list.
     */
    public List<Entry> entries()
    {
        final class Entries extends AbstractList<Entry> implements RandomAccess
        {
            @Override
            public Entry get(final int index)
            {
                return new Entry(view.nodeId(index), view.value(index), view.pruned(index), view.retired(index));
            }

            @Override
            public int size()
            {
                return view.entryCount();
            }
        }
        return new Entries();
    }

    /**
     * Removes a departed node's entry: the history without that node's events. Like Pekko's {@code prune}
     * this lowers the clock, so comparing it with a clock that still holds the node can answer a false
     * BEFORE/AFTER; do it only once every clock that will ever be compared has dropped (or retired) the node.
     *
     * @param nodeId the departed node's wire id.
     * @return the value without that entry ({@code this} when it has none).
     */
    public VectorClockValue without(final long nodeId)
    {
        if (view.get(nodeId) == 0)
        {
            return this;
        }
        final NodeRegistry members = new NodeRegistry();
        for (int e = 0, n = size(); e < n; e++)
        {
            final int index = members.register(view.nodeId(e));
            if (view.retired(e))
            {
                // The final value is not in the bytes: a placeholder above every real entry keeps the marker
                // a marker through the decode and encode below (and no real entry is ever confused with it).
                members.retire(index, kind().maxValue());
            }
        }
        final VectorClock clock = new VectorClock(members, kind());
        clock.decode(encoding, 0, encoding.length);
        clock.clearEntry(members.indexOf(nodeId));
        return of(clock);
    }

    /**
     * @param other a value of the same kind.
     * @return how this history relates to {@code other}'s (pruned entries honoured).
     * @throws IllegalArgumentException if the kinds differ.
     */
    public Causality compare(final VectorClockValue other)
    {
        return new EncodedVectorClock().wrap(encoding, 0, encoding.length).compare(other.view);
    }

    /**
     * @param other a value of the same kind.
     * @return true when this history happened before {@code other}'s.
     */
    public boolean happenedBefore(final VectorClockValue other)
    {
        return compare(other) == Causality.BEFORE;
    }

    /**
     * Decodes this value into a clock (replacing its history).
     *
     * @param target a clock of the same kind whose registry knows every node of this value.
     * @throws MalformedClockException if a node is not registered there or the kind differs; unchanged then.
     */
    public void copyTo(final VectorClock target)
    {
        target.decode(encoding, 0, encoding.length);
    }

    @Override
    public boolean equals(final Object obj)
    {
        return obj instanceof VectorClockValue && Arrays.equals(encoding, ((VectorClockValue)obj).encoding);
    }

    @Override
    public int hashCode()
    {
        return Arrays.hashCode(encoding);
    }

    /**
     * Example: {@code VectorClockValue{COUNTERS, 3=5, 7=300, 130=>=1(pruned)}}.
     */
    @Override
    public String toString()
    {
        return view.toString().replace("EncodedVectorClock{", "VectorClockValue{");
    }
}
