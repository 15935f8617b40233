package dev.ordo.clocks.api;

/**
 * Thrown for a timestamp that no clock could have issued: a negative value, text that does not parse, or
 * a physical part outside what the format can hold. The clock given such a value is left unchanged.
 */
public class InvalidTimestampException extends IllegalArgumentException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what is wrong with the value, naming the value.
     */
    public InvalidTimestampException(final String message)
    {
        super(message);
    }
}
