package dev.ordo.clocks.causal;

import dev.ordo.clocks.vector.EntryKind;
import dev.ordo.clocks.vector.NodeRegistry;
import dev.ordo.clocks.vector.VectorClock;

import java.util.Arrays;
import java.util.Objects;

/**
 * Delivers broadcast messages in causal order: a message is handed to the application only after every message
 * its sender had delivered (or sent) before sending it. Messages that arrive early wait in a bounded buffer.
 *
 * <h2>Algorithm</h2>
 * Causal broadcast with vector timestamps (Birman, Schiper, Stephenson 1991). Each member keeps
 * {@code delivered[k]}: how many of member {@code k}'s messages it has delivered (its own sends count as
 * delivered). A send stamps the message with that vector after adding one to the sender's own entry
 * ({@link #stampNextSend}). A message from {@code s} with stamp {@code V} is deliverable when
 * {@code V[s] == delivered[s] + 1} (the next one from {@code s}) and {@code V[k] <= delivered[k]} for every other
 * {@code k} (everything it depends on was delivered); delivering it sets {@code delivered[s] = V[s]}. A message
 * with {@code V[s] <= delivered[s]}, or one already held, is a duplicate.
 *
 * <h2>Bounded memory, and dependencies that never arrive</h2>
 * At most {@code capacity} messages wait (memory: about 70 to 110 bytes per slot allocated up front, plus
 * {@code 16 + 8 * members} bytes per slot for its stamp copy once it has held a message); a message offered to a
 * full buffer is refused ({@link OfferResult#REFUSED_FULL}) and nothing changes, so the sender's retransmission
 * brings it back later.
 * {@link #expire} drops every message that has waited longer than {@code maxWaitMs} and reports each one, with the
 * first message it is still waiting for, to an {@link ExpiryHandler}: ask a peer for the missing message, and
 * offer the expired one again with it. When a member is gone for good with messages nobody received,
 * {@link #skip} declares them lost; what waited only for them is then delivered (a documented, explicit break of
 * causality, never an implicit one). Held messages of that sender up to the skipped point are dropped with them
 * (counted in {@link #expiredCount()}).
 *
 * <h2>Cost</h2>
 * Once warm (the buffer's slots and stamp arrays exist), {@link #offer}, {@link #stampNextSend} and
 * {@link #expire} allocate nothing. Held messages are indexed by (sender, sequence) in an open-addressing table,
 * so a delivery checks only the next message of each sender: {@code O(members^2)} per delivered message,
 * independent of how many messages wait. {@link #expire} scans the held messages.
 *
 * <h2>Thread safety</h2>
 * Not thread-safe: one thread (the member's receive loop) offers, expires and stamps. The handlers run on that
 * thread, inside the call, and must not call back into the buffer. A delivery handler that throws: the exception
 * leaves the call, the message it was given counts as delivered, and the held messages its delivery unblocked are
 * delivered at the start of the next {@link #offer}, {@link #expire} or {@link #skip} (never expired for it).
 *
 * @param <M> the message payload type.
 */
public final class CausalDeliveryBuffer<M>
{
    /**
     * Receives messages in causal order.
     *
     * @param <M> payload type.
     */
    @FunctionalInterface
    public interface DeliveryHandler<M>
    {
        /**
         * @param senderIndex the sender's registry index.
         * @param sequence    the message's number among its sender's messages (1, 2, ...).
         * @param message     the payload.
         */
        void deliver(int senderIndex, long sequence, M message);
    }

    /**
     * Told about a message dropped by {@link #expire} because a message it depends on did not arrive in time.
     *
     * @param <M> payload type.
     */
    @FunctionalInterface
    public interface ExpiryHandler<M>
    {
        /**
         * @param senderIndex     the expired message's sender.
         * @param sequence        its sequence number.
         * @param message         its payload (offer it again once the missing message is found).
         * @param missingSender   the sender of the first message it still waits for.
         * @param missingSequence that message's sequence number.
         */
        void expired(int senderIndex, long sequence, M message, int missingSender, long missingSequence);
    }

    private static final int EMPTY = -1;

    private final NodeRegistry registry;
    private final int selfIndex;
    private final int capacity;
    private final long maxWaitMs;
    private final DeliveryHandler<? super M> handler;

    /** delivered[k]: messages of member k delivered here (for k == self: messages sent). */
    private long[] delivered;
    private int width;

    // Slots for held messages.
    private long[][] stamps;
    private final int[] senders;
    private final long[] sequences;
    private final long[] arrivedMs;
    private final Object[] payloads;
    private final int[] freeSlots;
    private int freeCount;
    /** Indices of occupied slots, densely packed, for expire's scan. */
    private final int[] occupied;
    private final int[] positionInOccupied;
    private int held;

    // Open-addressing index (sender, sequence) -> slot, linear probing, backward-shift deletion.
    private final int[] tableSenders;
    private final long[] tableSequences;
    private final int[] tableSlots;
    private final int tableMask;
    // A per-instance secret mixed into every bucket, so a hostile member cannot choose sequence numbers that all
    // collide (which would make each lookup linear in the held messages).
    private final long hashSeed = new java.security.SecureRandom().nextLong();

    private boolean inCallback;
    /** Set while a handler runs: if it throws, messages it unblocked are delivered at the start of the next call. */
    private boolean drainPending;

    private long deliveredCount;
    private long duplicateCount;
    private long refusedCount;
    private long expiredCount;

    /**
     * @param registry  the members (their indices are the senders' indices and the stamps' entries).
     * @param selfIndex this member's index.
     * @param capacity  the most messages that may wait (at least 1).
     * @param maxWaitMs how long a message may wait before {@link #expire} drops and reports it (at least 0).
     * @param handler   receives the messages in causal order.
     */
    public CausalDeliveryBuffer(
        final NodeRegistry registry, final int selfIndex, final int capacity, final long maxWaitMs,
        final DeliveryHandler<? super M> handler)
    {
        this.registry = Objects.requireNonNull(registry, "registry");
        if (selfIndex < 0 || selfIndex >= registry.size())
        {
            throw new IllegalArgumentException("self index " + selfIndex + " is not registered (" +
                registry.size() + " members)");
        }
        if (capacity < 1 || capacity > 1 << 24)
        {
            throw new IllegalArgumentException("capacity must be in [1, 2^24]: " + capacity);
        }
        if (maxWaitMs < 0)
        {
            throw new IllegalArgumentException("maxWaitMs must be non-negative: " + maxWaitMs);
        }
        this.selfIndex = selfIndex;
        this.capacity = capacity;
        this.maxWaitMs = maxWaitMs;
        this.handler = Objects.requireNonNull(handler, "handler");
        width = registry.size();
        delivered = new long[width];
        stamps = new long[capacity][];
        senders = new int[capacity];
        sequences = new long[capacity];
        arrivedMs = new long[capacity];
        payloads = new Object[capacity];
        freeSlots = new int[capacity];
        for (int i = 0; i < capacity; i++)
        {
            freeSlots[i] = capacity - 1 - i;
        }
        freeCount = capacity;
        occupied = new int[capacity];
        positionInOccupied = new int[capacity];
        final int tableSize = Integer.highestOneBit(capacity * 2 - 1) << 1;
        tableSenders = new int[tableSize];
        tableSequences = new long[tableSize];
        tableSlots = new int[tableSize];
        Arrays.fill(tableSlots, EMPTY);
        tableMask = tableSize - 1;
    }

    /**
     * Stamps this member's next broadcast: adds one to its own entry and writes the whole delivered vector into
     * {@code stamp} (send it with the message).
     *
     * @param stamp overwritten with the message's vector timestamp; same registry, {@link EntryKind#COUNTERS}.
     * @return the message's sequence number.
     * @throws IllegalArgumentException when the stamp belongs to another registry or holds another kind of entry;
     *                                  nothing changes.
     */
    public long stampNextSend(final VectorClock stamp)
    {
        checkStampShape(stamp);
        refreshWidth();
        final long sequence = ++delivered[selfIndex];
        stamp.reset();
        for (int k = 0; k < width; k++)
        {
            if (delivered[k] != 0)
            {
                stamp.increment(k, delivered[k]);
            }
        }
        return sequence;
    }

    /**
     * Offers a received message: delivers it (and every held message it unblocks) when all it depends on was
     * delivered, holds it otherwise.
     *
     * @param senderIndex the sender's index (not this member).
     * @param stamp       the vector timestamp the sender attached ({@link #stampNextSend}), decoded against this
     *                    buffer's registry; only read, never kept.
     * @param message     the payload.
     * @param nowMs       the current time, for {@link #expire} (any monotonic millisecond clock).
     * @return what happened to the message.
     * @throws IllegalArgumentException when the sender is this member or unknown, the stamp does not count the
     *                                  message itself ({@code stamp[sender] < 1}), belongs to another registry,
     *                                  holds other entries than {@link EntryKind#COUNTERS}, has pruned entries
     *                                  (only lower bounds), or claims more messages of this member than it sent
     *                                  (it could never be delivered: a stamp from before a restart, or forged);
     *                                  nothing changes.
     */
    public OfferResult offer(final int senderIndex, final VectorClock stamp, final M message, final long nowMs)
    {
        enter();
        try
        {
            refreshWidth();
            if (senderIndex < 0 || senderIndex >= width || senderIndex == selfIndex)
            {
                throw new IllegalArgumentException("sender " + senderIndex + " is this member or not registered");
            }
            checkStampShape(stamp);
            if (stamp.prunedEntries() != 0)
            {
                throw new IllegalArgumentException("stamp has " + stamp.prunedEntries() + " pruned entries (lower " +
                    "bounds only): causal delivery needs exact stamps");
            }
            final long sequence = stamp.get(senderIndex);
            if (sequence < 1)
            {
                throw new IllegalArgumentException("stamp does not count the message itself: entry of sender " +
                    senderIndex + " is " + sequence);
            }
            final long claimedOwn = stamp.get(selfIndex);
            if (claimedOwn > delivered[selfIndex])
            {
                throw new IllegalArgumentException("stamp says this member sent " + claimedOwn +
                    " messages, but it sent " + delivered[selfIndex] + " (a stamp from before a restart, or forged)");
            }
            if (drainPending)
            {
                drain();
            }
            if (sequence <= delivered[senderIndex] || find(senderIndex, sequence) != EMPTY)
            {
                duplicateCount++;
                return OfferResult.DUPLICATE;
            }
            if (sequence == delivered[senderIndex] + 1 && dependenciesDelivered(stamp, senderIndex))
            {
                deliver(senderIndex, sequence, message);
                drain();
                return OfferResult.DELIVERED;
            }
            if (freeCount == 0)
            {
                refusedCount++;
                return OfferResult.REFUSED_FULL;
            }
            hold(senderIndex, sequence, stamp, message, nowMs);
            return OfferResult.BUFFERED;
        }
        finally
        {
            inCallback = false;
        }
    }

    /**
     * Drops every message that has waited longer than {@code maxWaitMs}, reporting each with the first message
     * it still waits for.
     *
     * @param nowMs   the current time, on the clock given to {@link #offer}.
     * @param onExpired told about each dropped message.
     * @return how many messages were dropped.
     */
    public int expire(final long nowMs, final ExpiryHandler<? super M> onExpired)
    {
        enter();
        try
        {
            if (drainPending)
            {
                drain();
            }
            int dropped = 0;
            for (int i = held - 1; i >= 0; i--)
            {
                final int slot = occupied[i];
                if (nowMs - arrivedMs[slot] > maxWaitMs)
                {
                    final int sender = senders[slot];
                    final long sequence = sequences[slot];
                    @SuppressWarnings("unchecked") final M message = (M)payloads[slot];
                    final long[] stamp = stamps[slot];
                    int missingSender = sender;
                    long missingSequence = delivered[sender] + 1;
                    if (missingSequence == sequence)
                    {
                        for (int k = 0; k < width; k++)
                        {
                            if (k != sender && stamp[k] > delivered[k])
                            {
                                missingSender = k;
                                missingSequence = delivered[k] + 1;
                                break;
                            }
                        }
                    }
                    release(slot);
                    expiredCount++;
                    dropped++;
                    onExpired.expired(sender, sequence, message, missingSender, missingSequence);
                }
            }
            return dropped;
        }
        finally
        {
            inCallback = false;
        }
    }

    /**
     * Declares messages of {@code senderIndex} up to {@code throughSequence} lost for good (their sender is gone
     * and no member has them), then delivers every held message that waited only for them. Messages that
     * depended on the skipped ones are delivered without them: use this only when waiting longer cannot help.
     *
     * @param senderIndex     a member other than this one.
     * @param throughSequence the last lost sequence number.
     * @return how many held messages were delivered as a result.
     */
    public long skip(final int senderIndex, final long throughSequence)
    {
        enter();
        try
        {
            refreshWidth();
            if (senderIndex < 0 || senderIndex >= width || senderIndex == selfIndex)
            {
                throw new IllegalArgumentException("sender " + senderIndex + " is this member or not registered");
            }
            final long before = deliveredCount;
            if (drainPending)
            {
                drain();
            }
            if (throughSequence > delivered[senderIndex])
            {
                // Held messages of that sender at or below the skipped point are gone from the sequence too.
                for (int i = held - 1; i >= 0; i--)
                {
                    final int slot = occupied[i];
                    if (senders[slot] == senderIndex && sequences[slot] <= throughSequence)
                    {
                        release(slot);
                        expiredCount++;
                    }
                }
                delivered[senderIndex] = throughSequence;
                drain();
            }
            return deliveredCount - before;
        }
        finally
        {
            inCallback = false;
        }
    }

    /**
     * @param memberIndex a member's index.
     * @return how many of its messages were delivered here (for this member: how many it sent).
     */
    public long delivered(final int memberIndex)
    {
        return memberIndex < width ? delivered[memberIndex] : 0;
    }

    /** @return messages waiting now (at most the capacity). */
    public int heldCount()
    {
        return held;
    }

    /** @return messages delivered since creation. */
    public long deliveredCount()
    {
        return deliveredCount;
    }

    /** @return duplicates ignored since creation. */
    public long duplicateCount()
    {
        return duplicateCount;
    }

    /** @return messages refused because the buffer was full. */
    public long refusedCount()
    {
        return refusedCount;
    }

    /** @return messages dropped by {@link #expire}. */
    public long expiredCount()
    {
        return expiredCount;
    }

    // ---------------------------------------------------------------- internals

    private void enter()
    {
        if (inCallback)
        {
            throw new IllegalStateException("a handler must not call back into the CausalDeliveryBuffer");
        }
        inCallback = true;
    }

    private void refreshWidth()
    {
        final int members = registry.size();
        if (members > width)
        {
            delivered = Arrays.copyOf(delivered, members);
            for (int s = 0; s < capacity; s++)
            {
                if (stamps[s] != null)
                {
                    stamps[s] = Arrays.copyOf(stamps[s], members);
                }
            }
            width = members;
        }
    }

    private boolean dependenciesDelivered(final VectorClock stamp, final int sender)
    {
        for (int k = 0; k < width; k++)
        {
            if (k != sender && stamp.get(k) > delivered[k])
            {
                return false;
            }
        }
        return true;
    }

    private boolean dependenciesDelivered(final long[] stamp, final int sender)
    {
        for (int k = 0; k < width; k++)
        {
            if (k != sender && stamp[k] > delivered[k])
            {
                return false;
            }
        }
        return true;
    }

    private void deliver(final int sender, final long sequence, final M message)
    {
        delivered[sender] = sequence;
        deliveredCount++;
        drainPending = true; // cleared by the drain that follows every delivery, unless the handler throws
        handler.deliver(sender, sequence, message);
    }

    private void checkStampShape(final VectorClock stamp)
    {
        if (stamp.registry() != registry)
        {
            throw new IllegalArgumentException("stamp belongs to another NodeRegistry: its indices may name other " +
                "members; decode stamps against the buffer's registry");
        }
        if (stamp.kind() != EntryKind.COUNTERS)
        {
            throw new IllegalArgumentException("stamp holds " + stamp.kind() + " entries; causal delivery counts " +
                "messages (EntryKind.COUNTERS)");
        }
    }

    /** Delivers held messages until none is deliverable: only each sender's next message can be. */
    private void drain()
    {
        boolean progress = held > 0;
        while (progress)
        {
            progress = false;
            for (int sender = 0; sender < width && held > 0; sender++)
            {
                final int slot = find(sender, delivered[sender] + 1);
                if (slot != EMPTY && dependenciesDelivered(stamps[slot], sender))
                {
                    @SuppressWarnings("unchecked") final M message = (M)payloads[slot];
                    final long sequence = sequences[slot];
                    release(slot);
                    deliver(sender, sequence, message);
                    progress = true;
                }
            }
        }
        drainPending = false;
    }

    private void hold(final int sender, final long sequence, final VectorClock stamp, final M message,
        final long nowMs)
    {
        final int slot = freeSlots[--freeCount];
        long[] copy = stamps[slot];
        if (copy == null || copy.length < width)
        {
            copy = new long[width];
            stamps[slot] = copy;
        }
        for (int k = 0; k < width; k++)
        {
            copy[k] = stamp.get(k);
        }
        senders[slot] = sender;
        sequences[slot] = sequence;
        arrivedMs[slot] = nowMs;
        payloads[slot] = message;
        positionInOccupied[slot] = held;
        occupied[held++] = slot;
        insert(sender, sequence, slot);
    }

    private void release(final int slot)
    {
        remove(senders[slot], sequences[slot]);
        payloads[slot] = null;
        final int position = positionInOccupied[slot];
        final int last = occupied[--held];
        occupied[position] = last;
        positionInOccupied[last] = position;
        freeSlots[freeCount++] = slot;
    }

    private int bucket(final int sender, final long sequence)
    {
        long h = (sequence ^ hashSeed) * 0x9E3779B97F4A7C15L + (sender ^ (hashSeed >>> 32)) * 0xC2B2AE3D27D4EB4FL;
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 29;
        return (int)h & tableMask;
    }

    private int find(final int sender, final long sequence)
    {
        for (int i = bucket(sender, sequence); ; i = (i + 1) & tableMask)
        {
            final int slot = tableSlots[i];
            if (slot == EMPTY)
            {
                return EMPTY;
            }
            if (tableSenders[i] == sender && tableSequences[i] == sequence)
            {
                return slot;
            }
        }
    }

    private void insert(final int sender, final long sequence, final int slot)
    {
        int i = bucket(sender, sequence);
        while (tableSlots[i] != EMPTY)
        {
            i = (i + 1) & tableMask;
        }
        tableSenders[i] = sender;
        tableSequences[i] = sequence;
        tableSlots[i] = slot;
    }

    private void remove(final int sender, final long sequence)
    {
        int i = bucket(sender, sequence);
        while (!(tableSenders[i] == sender && tableSequences[i] == sequence && tableSlots[i] != EMPTY))
        {
            i = (i + 1) & tableMask;
        }
        // Backward-shift deletion keeps every remaining key reachable from its home bucket (no tombstones).
        int hole = i;
        for (int j = (hole + 1) & tableMask; tableSlots[j] != EMPTY; j = (j + 1) & tableMask)
        {
            final int home = bucket(tableSenders[j], tableSequences[j]);
            // Move j into the hole when its home is not in the cyclic range (hole, j].
            if (((j - home) & tableMask) >= ((j - hole) & tableMask))
            {
                tableSenders[hole] = tableSenders[j];
                tableSequences[hole] = tableSequences[j];
                tableSlots[hole] = tableSlots[j];
                hole = j;
            }
        }
        tableSlots[hole] = EMPTY;
    }
}
