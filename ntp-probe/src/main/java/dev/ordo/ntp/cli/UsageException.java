package dev.ordo.ntp.cli;

/**
 * A bad command line: the message is the one line shown to the user.
 */
final class UsageException extends Exception
{
    private static final long serialVersionUID = 1L;

    UsageException(final String message)
    {
        super(message);
    }
}
