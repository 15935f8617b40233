package dev.ordo.clocks.itc;

import dev.ordo.clocks.api.MalformedClockException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Decode refuses trees deeper than {@link ItcStamp#MAX_DEPTH} (the recursion bound against hostile input), so
 * the library must never make a stamp it would refuse to read back: forking a participant again and again
 * deepens its id by one each time, and the fork that would pass the bound must be refused, not handed out as a
 * stamp no peer can decode.
 */
class ItcDepthRoundTripTest
{
    @Test
    void repeatedForksShouldStopAtTheDepthDecodeAcceptsAndEveryStampHandedOutShouldRoundTrip()
    {
        ItcStamp mine = ItcStamp.seed().event();
        int forks = 0;
        while (forks < ItcStamp.MAX_DEPTH + 10)
        {
            final ItcStamp.Fork fork;
            try
            {
                fork = mine.fork();
            }
            catch (final IllegalStateException refused)
            {
                assertThat(refused.getMessage()).contains(String.valueOf(ItcStamp.MAX_DEPTH));
                break;
            }
            forks++;
            for (final ItcStamp handedOut : new ItcStamp[] {fork.left().event(), fork.right().event()})
            {
                final byte[] bytes = new byte[handedOut.encodedLength()];
                handedOut.encode(bytes, 0);
                assertThat(ItcStamp.decode(bytes, 0, bytes.length)).as("after %d forks", forks).isEqualTo(handedOut);
            }
            mine = fork.left().event();
        }
        assertThat(forks).as("forks allowed").isEqualTo(ItcStamp.MAX_DEPTH);
        final ItcStamp deepest = mine;
        assertThatThrownBy(deepest::fork).isInstanceOf(IllegalStateException.class);
        final byte[] bytes = new byte[deepest.encodedLength()];
        deepest.encode(bytes, 0);
        assertThat(ItcStamp.decode(bytes, 0, bytes.length)).isEqualTo(deepest);
        assertThatThrownBy(() -> ItcStamp.decode(new byte[] {(byte)ItcStamp.FORMAT, 9}, 0, 2))
            .isInstanceOf(MalformedClockException.class);
    }
}
