package dev.ordo.clocks.api;

/**
 * Told when a clock sees its physical time source go backwards. The clock itself stays monotonic (it
 * keeps issuing timestamps above the last one); this is for logging, metrics and alerting.
 *
 * <p>Called on the thread that noticed the jump, inside {@code now()}/{@code update()}: keep it short,
 * non-blocking and allocation-free, or hand off to another thread. An exception it throws is not caught.
 */
@FunctionalInterface
public interface BackwardJumpListener
{
    /** A listener that does nothing. */
    BackwardJumpListener NONE = (previousPhysical, currentPhysical) -> {};

    /**
     * @param previousPhysical the largest physical time seen before, in the clock format's unit.
     * @param currentPhysical  the smaller physical time just read, in the same unit.
     */
    void onBackwardJump(long previousPhysical, long currentPhysical);
}
