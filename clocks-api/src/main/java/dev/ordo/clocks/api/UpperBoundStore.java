package dev.ordo.clocks.api;

import java.io.UncheckedIOException;

/**
 * Durable storage for a clock's upper bound: a value no timestamp issued so far reaches. A clock that
 * persists its bound before issuing timestamps below it can restart after a crash above every timestamp it
 * issued before, even if the physical clock stepped backwards meanwhile.
 *
 * <p>Implementations must make {@link #store(long)} durable before returning (write, fsync, atomic
 * rename): a bound that is lost in a crash breaks the guarantee. Calls come from one thread at a time.
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
}
