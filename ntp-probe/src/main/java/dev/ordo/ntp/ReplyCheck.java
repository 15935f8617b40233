package dev.ordo.ntp;

/**
 * The outcome of validating one datagram as the reply to an outstanding request
 * ({@link NtpExchange#acceptReply}). Every value except {@link #OK} says why the datagram gives no sample.
 * {@link #answersRequest()} tells whether the datagram authentically answered the request (its origin
 * timestamp matched), so that no further reply to it can be accepted.
 */
public enum ReplyCheck
{
    /** A valid reply: the sample was computed. */
    OK(true, "ok"),
    /** Shorter than the 48-byte header. */
    TRUNCATED(false, "truncated reply (shorter than 48 bytes)"),
    /** Mode is not 4 (server). */
    NOT_SERVER_MODE(false, "not a server-mode reply"),
    /** Version is not 3 or 4. */
    BAD_VERSION(false, "unsupported NTP version (not 3 or 4)"),
    /** No request is outstanding: a duplicate or a late reply. */
    NO_REQUEST_OUTSTANDING(false, "no request outstanding (duplicate or late reply)"),
    /** The origin timestamp is not the transmit timestamp we sent: bogus or forged. */
    BOGUS_ORIGIN(false, "origin timestamp does not match our request (bogus or forged reply)"),
    /** The server's transmit timestamp is zero. */
    ZERO_TRANSMIT(true, "server transmit timestamp is zero"),
    /** The server's transmit timestamp repeats the previous reply's: a replay. */
    REPLAY(true, "server transmit timestamp repeats the previous reply (replay)"),
    /** Stratum 0: Kiss-o'-Death; the kiss code is in the sample. */
    KISS_OF_DEATH(true, "Kiss-o'-Death"),
    /** Leap indicator 3: the server's clock is not synchronized. */
    UNSYNCHRONIZED(true, "server clock unsynchronized (leap indicator 3)"),
    /** Stratum above 15. */
    BAD_STRATUM(true, "server stratum above 15 (unsynchronized)"),
    /** Receive timestamp zero, or the server claims to have sent its reply before receiving the request. */
    BAD_TIMESTAMPS(true, "inconsistent server timestamps (zero receive time, or sent before received)"),
    /** The round trip measured is negative beyond the clocks' precision. */
    NEGATIVE_DELAY(true, "negative round-trip delay"),
    /** Root delay / 2 + root dispersion of 16 s or more (RFC 5905 MAXDISP): the server's time is useless. */
    ROOT_DISTANCE_TOO_LARGE(true, "server root distance of 16 s or more");

    private final boolean answersRequest;
    private final String description;

    ReplyCheck(final boolean answersRequest, final String description)
    {
        this.answersRequest = answersRequest;
        this.description = description;
    }

    /**
     * @return true when the datagram matched the outstanding request (origin check passed), so the request
     * is closed whatever the verdict; false when it was ignored and a genuine reply may still come.
     */
    public boolean answersRequest()
    {
        return answersRequest;
    }

    /**
     * @return a short human description.
     */
    public String description()
    {
        return description;
    }
}
