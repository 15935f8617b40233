package dev.ordo.clocks.jcstress;

import dev.ordo.clocks.bounded.FencingTokenIssuer;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.JJJJ_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Two threads take a token from an issuer whose reservation is one token, so each call writes the store: they
 * get 5 and 6 in either order, each token was below the stored limit the moment its thread saw it (r3, r4 = 1:
 * stored before handed out), and the limit ends at 7.
 */
@JCStressTest
@Outcome(id = {"5, 6, 1, 1", "6, 5, 1, 1"}, expect = ACCEPTABLE, desc = "distinct tokens, each durable when issued")
@Outcome(expect = FORBIDDEN, desc = "a repeated token, a token above the stored limit, or a wrong limit")
@State
public class FencingIssuerTokensAreUniqueAndDurable
{
    private final MemoryFencingTokenStore store = new MemoryFencingTokenStore(5);
    private final FencingTokenIssuer issuer = new FencingTokenIssuer(store, 1);

    @Actor
    public void first(final JJJJ_Result r)
    {
        r.r1 = issuer.next();
        r.r3 = r.r1 < store.value ? 1 : 0;
    }

    @Actor
    public void second(final JJJJ_Result r)
    {
        r.r2 = issuer.next();
        r.r4 = r.r2 < store.value ? 1 : 0;
    }

    @Arbiter
    public void limit(final JJJJ_Result r)
    {
        if (store.value != 7)
        {
            r.r3 = -store.value;
        }
    }
}
