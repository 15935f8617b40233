package dev.ordo.benchmarks.schemes;

/**
 * One way of ordering the writes of a replicated register, seen from the simulation. An instance serves all the
 * replicas of one simulation run (it holds one clock per replica) and is used by one thread.
 *
 * <p>Each method receives the replica's local clock reading in microseconds (simulated true time plus that
 * replica's offset and drift); schemes that need no physical time ignore it.
 */
public interface TimestampScheme
{
    /**
     * @return short display name.
     */
    String name();

    /**
     * Stamps a new write at a replica (a local or send event).
     *
     * @param replica replica index.
     * @param localUs the replica's clock, µs.
     * @param writeId the write's id, for tie-breaks.
     * @return the write's stamp.
     */
    Stamp stamp(int replica, long localUs, long writeId);

    /**
     * Stamps a new write of {@code key}; the simulation calls this one. Schemes whose clock is per replica ignore
     * the key (the default); per-key schemes (dotted version vectors) need it.
     *
     * @param replica replica index.
     * @param key     the register written.
     * @param localUs the replica's clock, µs.
     * @param writeId the write's id.
     * @return the write's stamp.
     */
    default Stamp stamp(int replica, int key, long localUs, long writeId)
    {
        return stamp(replica, localUs, writeId);
    }

    /**
     * @param replica replica index.
     * @param localUs the replica's clock when the write was stamped, µs.
     * @param stamp   the stamp {@link #stamp} returned.
     * @return how long, on the replica's clock, the write must wait before it becomes visible (commit wait); 0
     * for schemes without one.
     */
    long commitWaitUs(int replica, long localUs, Stamp stamp);

    /**
     * A replica receives a write stamped by another replica (a receive event).
     *
     * @param replica replica index.
     * @param localUs the replica's clock, µs.
     * @param remote  the received stamp.
     * @return false when the scheme refuses the message (an HLC beyond its max offset); it is then not applied.
     */
    boolean receive(int replica, long localUs, Stamp remote);

    /**
     * @param a a stamp.
     * @param b another stamp of a different write.
     * @return how the scheme orders {@code a} relative to {@code b}.
     */
    Order order(Stamp a, Stamp b);

    /**
     * @param stamp a stamp.
     * @return bytes this scheme puts on the wire for it.
     */
    int metadataBytes(Stamp stamp);
}
