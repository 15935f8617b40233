package dev.ordo.clocks.jcstress;

import dev.ordo.clocks.bounded.FencingTokenStore;

/** An in-memory {@link FencingTokenStore} whose value other threads may read (volatile). */
public final class MemoryFencingTokenStore implements FencingTokenStore
{
    volatile long value;

    MemoryFencingTokenStore(final long value)
    {
        this.value = value;
    }

    @Override
    public long load()
    {
        return value;
    }

    @Override
    public void store(final long newValue)
    {
        value = newValue;
    }
}
