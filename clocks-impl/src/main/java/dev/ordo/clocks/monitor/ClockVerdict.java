package dev.ordo.clocks.monitor;

/**
 * What a {@link PeerClockMonitor} concludes about this node's clock relative to its cluster.
 */
public enum ClockVerdict
{
    /**
     * Too few fresh peer measurements to tell: neither the peers in step with this node nor those certainly
     * beyond the threshold (with this node itself counted on the in-step side) form a majority of the
     * configured cluster. The state right after start, and during a partition.
     */
    UNKNOWN,

    /**
     * This node and the peers that may be within the tolerated offset of it form a strict majority of the
     * cluster. A peer whose measured interval straddles the threshold counts as in step (as CockroachDB does),
     * so a verdict is never forced by measurement noise.
     */
    HEALTHY,

    /**
     * A strict majority of the cluster consists of peers whose clocks are certainly (the whole measured
     * interval) further than the tolerated offset from this node's clock. This node should fence itself: stop
     * serving, give up leases, stop issuing timestamps others rely on.
     */
    OUT_OF_STEP
}
