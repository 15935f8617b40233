package dev.ordo.ntp;

/**
 * What became of one server in a probe round.
 */
public enum ServerStatus
{
    /** At least one valid sample. */
    OK,
    /** The host name did not resolve. */
    UNKNOWN_HOST,
    /** ICMP port unreachable: nothing listens at that address and port. */
    UNREACHABLE,
    /** No reply within the timeout to any request. */
    NO_REPLY,
    /** The server sent a Kiss-o'-Death (see the kiss code) and no valid sample. */
    KISS_OF_DEATH,
    /** Replies came but every one was rejected (see the message). */
    REJECTED,
    /** A local I/O error (see the message). */
    ERROR,
    /** NTS only: the key exchange failed (certificate, ALPN, the server's records...; see the message). */
    KEY_EXCHANGE_FAILED
}
