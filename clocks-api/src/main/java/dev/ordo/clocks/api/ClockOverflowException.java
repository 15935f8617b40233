package dev.ordo.clocks.api;

/**
 * Thrown when a clock cannot issue a larger value because it would pass {@link Long#MAX_VALUE} (or the
 * largest value its timestamp format can hold). Clocks never wrap silently; the clock that throws this is
 * left unchanged.
 */
public class ClockOverflowException extends ArithmeticException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what overflowed and at which value.
     */
    public ClockOverflowException(final String message)
    {
        super(message);
    }
}
