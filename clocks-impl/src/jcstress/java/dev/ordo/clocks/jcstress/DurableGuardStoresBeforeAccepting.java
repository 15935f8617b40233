package dev.ordo.clocks.jcstress;

import dev.ordo.clocks.bounded.DurableFencingTokenGuard;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Tokens 5 and 7 race into a durable guard: 7 is always accepted, 5 only if it came first; every accepted
 * token was already in the store when its thread saw the acceptance (r3 = 1); the guard ends at 7 with 8
 * stored (r4 = 1).
 */
@JCStressTest
@Outcome(id = {"1, 1, 1, 1", "0, 1, 1, 1"}, expect = ACCEPTABLE, desc = "7 accepted, 5 only if first; stored first")
@Outcome(expect = FORBIDDEN, desc = "7 refused, a token accepted before it was stored, or a wrong final state")
@State
public class DurableGuardStoresBeforeAccepting
{
    private final MemoryFencingTokenStore store = new MemoryFencingTokenStore(0);
    private final DurableFencingTokenGuard guard = new DurableFencingTokenGuard(store);
    private volatile boolean acceptedBeforeStored;

    @Actor
    public void low(final IIII_Result r)
    {
        final boolean accepted = guard.tryAccept(5);
        r.r1 = accepted ? 1 : 0;
        if (accepted && store.value <= 5)
        {
            acceptedBeforeStored = true;
        }
    }

    @Actor
    public void high(final IIII_Result r)
    {
        final boolean accepted = guard.tryAcceptCurrent(7);
        r.r2 = accepted ? 1 : 0;
        if (accepted && store.value <= 7)
        {
            acceptedBeforeStored = true;
        }
    }

    @Arbiter
    public void end(final IIII_Result r)
    {
        r.r3 = acceptedBeforeStored ? 0 : 1;
        r.r4 = guard.highestToken() == 7 && store.value == 8 ? 1 : 0;
    }
}
