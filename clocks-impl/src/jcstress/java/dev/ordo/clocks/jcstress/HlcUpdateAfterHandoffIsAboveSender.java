package dev.ordo.clocks.jcstress;

import dev.ordo.clocks.hlc.AtomicHybridClock;
import org.agrona.concurrent.CachedEpochClock;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIIII_Result;

import static dev.ordo.clocks.jcstress.HlcFixture.T_MS;
import static dev.ordo.clocks.jcstress.HlcFixture.logical;
import static dev.ordo.clocks.jcstress.HlcFixture.physicalOffset;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Causality across two nodes whose physical clocks disagree. The sender's physical clock is 1 ms ahead of
 * the receiver's: the sending thread moves it to T+1, stamps a message with {@code sender.now()} (r1, r2 =
 * physical offset, logical) and publishes it through a volatile field. The receiving thread takes the
 * message if it is there (r3 = 1) and merges it with {@code receiver.update(message)}, else (r3 = 0) stamps a
 * local event with {@code receiver.now()}; (r4, r5) is its timestamp. A received message always yields a
 * timestamp above the sender's although the receiver's own physical clock is behind.
 */
@JCStressTest
@Outcome(id = "1, 0, 1, 1, 1", expect = ACCEPTABLE, desc = "received T+1.0 and stamped the receipt T+1.1")
@Outcome(id = "1, 0, 0, 0, 0", expect = ACCEPTABLE, desc = "no message yet: local event at the receiver's T.0")
@Outcome(id = "1, 0, 1, .*", expect = FORBIDDEN, desc = "the receipt is not above the message's timestamp")
@Outcome(expect = FORBIDDEN, desc = "the sender's stamp is not at its physical time T+1, or a torn message")
@State
public class HlcUpdateAfterHandoffIsAboveSender
{
    private final CachedEpochClock senderPhysical = HlcFixture.physicalAt(T_MS);
    private final AtomicHybridClock sender = HlcFixture.hybridOn(senderPhysical);
    private final AtomicHybridClock receiver = HlcFixture.hybridOn(HlcFixture.physicalAt(T_MS));
    private volatile long message;

    @Actor
    public void send(final IIIII_Result r)
    {
        senderPhysical.update(T_MS + 1);
        final long stamp = sender.now();
        message = stamp;
        r.r1 = physicalOffset(stamp);
        r.r2 = logical(stamp);
    }

    @Actor
    public void receive(final IIIII_Result r)
    {
        final long received = message;
        final long ts;
        if (received != 0)
        {
            r.r3 = 1;
            ts = receiver.update(received);
        }
        else
        {
            ts = receiver.now();
        }
        r.r4 = physicalOffset(ts);
        r.r5 = logical(ts);
    }
}
