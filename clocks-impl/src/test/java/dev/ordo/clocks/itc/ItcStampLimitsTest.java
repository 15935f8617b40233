package dev.ordo.clocks.itc;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Limits of stamps built by the operations themselves (not by the decoder): every stamp the API hands out must
 * round-trip through the wire format, so no operation may nest a tree deeper than {@link ItcStamp#MAX_DEPTH};
 * joining overlapping ids is refused and changes nothing.
 */
class ItcStampLimitsTest
{
    @Test
    void everyStampForkCanProduceShouldRoundTripAndForkPastTheDepthLimitShouldBeRefused()
    {
        ItcStamp deepest = ItcStamp.seed().event();
        int depth = 0;
        while (true)
        {
            final ItcStamp parent = deepest;
            final ItcStamp.Fork fork;
            try
            {
                fork = parent.fork();
            }
            catch (final IllegalStateException refused)
            {
                assertThat(refused).hasMessageContaining(Integer.toString(ItcStamp.MAX_DEPTH));
                break;
            }
            depth++;
            assertThat(depth).as("fork nests the id one level per fork; it must stop at the limit")
                .isLessThanOrEqualTo(ItcStamp.MAX_DEPTH);
            // A chain of workers, each forking the next one and recording an event.
            deepest = fork.right().event();
            final ItcStamp left = fork.left();
            for (final ItcStamp stamp : new ItcStamp[] {deepest, left, left.join(deepest), deepest.peek()})
            {
                final byte[] wire = new byte[stamp.encodedLength()];
                final int length = stamp.encode(wire, 0);
                assertThat(ItcStamp.decode(wire, 0, length)).as("depth " + depth).isEqualTo(stamp);
            }
        }
        assertThat(depth).isEqualTo(ItcStamp.MAX_DEPTH);
    }

    @Test
    void anEventAtTheCounterLimitShouldThrowAndLeaveTheStampAsItWas()
    {
        // Format byte, id 1 (owns all), event leaf n = 2^62 - 1: varint(n << 1) = 2^63 - 2 in nine bytes.
        final long word = ((1L << 62) - 1) << 1;
        final byte[] wire = new byte[12];
        wire[0] = 0x49;
        wire[1] = 1;
        int p = 2;
        long v = word;
        while ((v & ~0x7FL) != 0)
        {
            wire[p++] = (byte)((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        wire[p++] = (byte)v;
        final ItcStamp full = ItcStamp.decode(wire, 0, p);
        assertThatThrownBy(full::event).isInstanceOf(dev.ordo.clocks.api.ClockOverflowException.class);
        final ItcStamp.Fork fork = full.fork();
        // The half owns part of the interval: its event would add a node of 1 under the full counter, a path sum of
        // 2^62, past the documented limit (and the decoder refuses it).
        assertThatThrownBy(() -> fork.left().event()).isInstanceOf(dev.ordo.clocks.api.ClockOverflowException.class);
        assertThat(fork.left().join(fork.right())).isEqualTo(full);
        assertThat(full.compare(ItcStamp.decode(wire, 0, p))).isEqualTo(dev.ordo.clocks.api.Causality.EQUAL);
    }

    @Test
    void joiningOverlappingIdsShouldBeRefused()
    {
        final ItcStamp.Fork fork = ItcStamp.seed().fork();
        final ItcStamp.Fork inner = fork.right().fork();
        assertThatThrownBy(() -> fork.right().join(inner.left())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> inner.right().join(fork.right())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> fork.left().join(fork.left())).isInstanceOf(IllegalArgumentException.class);
        assertThat(fork.left().join(inner.left()).join(inner.right()).join(fork.left().peek()).isAnonymous())
            .isFalse();
    }
}
