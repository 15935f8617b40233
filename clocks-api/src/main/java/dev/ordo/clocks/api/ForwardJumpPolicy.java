package dev.ordo.clocks.api;

/**
 * What a hybrid clock does when its physical source jumps forward by more than the threshold (see
 * {@link ForwardJumpListener}).
 */
public enum ForwardJumpPolicy
{
    /**
     * Count the jump, tell the listener, and go on issuing timestamps at the new physical time. The default:
     * the clock stays available, and peers' max offset still protects them from timestamps too far ahead.
     */
    REPORT,

    /**
     * Count the jump, tell the listener, and refuse to issue timestamps: {@code now()}, {@code update()} and
     * {@code tryUpdate()} throw {@link PhysicalClockJumpedException} (the clock unchanged) until the operator
     * calls the clock's {@code acknowledgeForwardJump()}. This is CockroachDB's stance (a forward jump over
     * half the max offset is fatal there) without killing the process.
     */
    REFUSE
}
