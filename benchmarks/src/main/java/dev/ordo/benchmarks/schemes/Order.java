package dev.ordo.benchmarks.schemes;

/** How a scheme orders two stamps. */
public enum Order
{
    /** The first stamp is ordered before the second. */
    BEFORE,
    /** The first stamp is ordered after the second. */
    AFTER,
    /** Neither is ordered before the other: only schemes that detect concurrency return this. */
    CONCURRENT
}
