package dev.ordo.clocks.api;

/**
 * Told when a clock sees its physical time source jump forward: the source moved further than a monotonic
 * reference moved in the same interval, by more than a threshold (an NTP step, a VM resumed with a stale
 * clock corrected at once, an operator setting the date). A hybrid clock follows physical time forward, so
 * after such a jump its timestamps run ahead of the other nodes' and peers may reject them as beyond their
 * max offset; this is for logging, metrics and alerting.
 *
 * <p>Called on the thread that noticed the jump, inside {@code now()}/{@code update()}: keep it short,
 * non-blocking and allocation-free, or hand off to another thread. An exception it throws is not caught.
 */
@FunctionalInterface
public interface ForwardJumpListener
{
    /** A listener that does nothing. */
    ForwardJumpListener NONE = (expectedPhysical, currentPhysical) -> {};

    /**
     * @param expectedPhysical the physical time the monotonic reference predicted, in the clock format's unit.
     * @param currentPhysical  the larger physical time just read, in the same unit.
     */
    void onForwardJump(long expectedPhysical, long currentPhysical);
}
