package dev.ordo.ntp;

/**
 * The verdict of a probe round over all servers.
 */
public enum ProbeStatus
{
    /** A majority of usable servers agree; the combined offset and bound are valid. */
    OK,
    /** No server produced a sample. */
    NO_USABLE_SERVER,
    /** Servers produced samples but no majority of them agree (their intervals do not intersect). */
    NO_MAJORITY
}
