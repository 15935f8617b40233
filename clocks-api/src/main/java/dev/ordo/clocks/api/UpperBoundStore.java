package dev.ordo.clocks.api;

import java.io.UncheckedIOException;

/**
 * Durable storage for a clock's upper bound: a value no timestamp issued so far reaches. A clock that
 * persists its bound before issuing timestamps below it can restart after a crash above every timestamp it
 * issued before, even if the physical clock stepped backwards meanwhile.
 *
 * <p>Implementations must make {@link #store(long)} durable before returning (write, fsync, atomic
 * rename): a bound that is lost in a crash breaks the guarantee. Calls come from one thread at a time.
 *
 * <p>Formats: a bound is a timestamp of the clock's {@link HybridTimestampFormat}, and read in the other format
 * it is off by a factor of about 1000 (a {@code MILLIS} bound read as {@code MICROS} lands in 1970, so a
 * restarted clock could repeat timestamps issued before the crash). A clock therefore calls the overloads that
 * take its format, {@link #load(HybridTimestampFormat)} and {@link #store(long, HybridTimestampFormat)}. A store
 * that records the format with the bound (as {@code FileUpperBoundStore} does) refuses a bound recorded for
 * another format; the defaults ignore the format and call {@link #load()} and {@link #store(long)}.
 */
public interface UpperBoundStore
{
    /** {@link #load()}'s result when nothing was stored yet. */
    long NONE = -1L;

    /**
     * @return the bound stored last, or {@link #NONE}.
     * @throws UncheckedIOException when the storage cannot be read or holds a corrupt value.
     */
    long load();

    /**
     * Durably stores a new bound; when this returns, a crash cannot lose it.
     *
     * @param upperBound the bound, a timestamp of the clock's format compared as an unsigned number
     *                   ({@code MICROS} timestamps are negative {@code long}s from 2041 on); never {@link #NONE}.
     * @throws UncheckedIOException when the bound could not be made durable.
     */
    void store(long upperBound);

    /**
     * Loads the bound a clock of {@code format} stored. The default ignores the format and calls {@link #load()};
     * a store that records the format of each bound overrides this to check it.
     *
     * @param format the format of the clock that reads the bound.
     * @return the bound stored last, or {@link #NONE}.
     * @throws UncheckedIOException     when the storage cannot be read or holds a corrupt value.
     * @throws IllegalStateException    when the stored bound was recorded for another format (the message says
     *                                  which, and how to go on).
     * @throws IllegalArgumentException when this store only serves another format.
     */
    default long load(final HybridTimestampFormat format)
    {
        return load();
    }

    /**
     * Durably stores a new bound of a clock of {@code format}. The default ignores the format and calls
     * {@link #store(long)}; a store that records the format of each bound overrides this to record it.
     *
     * @param upperBound the bound, as in {@link #store(long)}.
     * @param format     the format of the clock that stores it.
     * @throws UncheckedIOException     when the bound could not be made durable.
     * @throws IllegalArgumentException when this store only serves another format.
     */
    default void store(final long upperBound, final HybridTimestampFormat format)
    {
        store(upperBound);
    }
}
