package dev.ordo.clocks.api;

/**
 * How two time intervals are ordered. Only {@link #BEFORE} and {@link #AFTER} are certain; when the
 * intervals overlap, either event may have happened first in true time.
 */
public enum IntervalOrder
{
    /** The first interval ends before the second begins: its event certainly happened first. */
    BEFORE,

    /** The first interval begins after the second ends: its event certainly happened later. */
    AFTER,

    /** The intervals share at least one instant: the true order is uncertain. */
    OVERLAPPING
}
