package dev.ordo.ntp.nts;

/**
 * Why an NTS-protected reply was not accepted ({@link NtsAssociation#openReply}), or {@link #OK}. Every value but
 * {@code OK} and {@code NAK} means the datagram is ignored: none of its timestamps is used.
 */
public enum NtsReplyCheck
{
    /** Authenticator verified and unique identifier echoed: the timestamps may be checked and used. */
    OK("ok"),
    /** An NTS NAK (Kiss-o'-Death NTSN) echoing our unique identifier: the server lost our keys; re-key. */
    NAK("NTS NAK (the server could not use our cookie)"),
    /** No request of ours is waiting for a reply. */
    NO_REQUEST_OUTSTANDING("no NTS request outstanding (duplicate or late reply)"),
    /** Extension fields whose lengths lie, overlap or are misaligned. */
    MALFORMED_EXTENSION_FIELDS("malformed extension fields"),
    /** No unique identifier extension field. */
    MISSING_UNIQUE_IDENTIFIER("no unique identifier (extension field stripped)"),
    /** The unique identifier is not the one our outstanding request carried. */
    UNIQUE_IDENTIFIER_MISMATCH("unique identifier does not match our request (replayed or misdirected reply)"),
    /** No authenticator extension field. */
    MISSING_AUTHENTICATOR("no NTS authenticator (extension field stripped)"),
    /** The authenticator's tag does not verify: the reply was altered or forged. */
    AUTHENTICATION_FAILED("NTS authenticator does not verify (altered or forged reply)");

    private final String description;

    NtsReplyCheck(final String description)
    {
        this.description = description;
    }

    /**
     * @return a short human description.
     */
    public String description()
    {
        return description;
    }
}
