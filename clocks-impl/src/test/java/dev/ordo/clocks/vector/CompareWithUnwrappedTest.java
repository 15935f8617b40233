package dev.ordo.clocks.vector;

import dev.ordo.clocks.api.MalformedClockException;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * compareWith on a flyweight that wraps nothing throws what {@code compare(new EncodedVectorClock().wrap(...))}
 * throws: the argument is evaluated first, so malformed bytes (or no buffer) are reported as
 * {@link MalformedClockException} with wrap's message and offset, and only valid bytes get the
 * IllegalArgumentException of the missing wrap.
 */
class CompareWithUnwrappedTest
{
    // COUNTERS, layout 0x00, 2 entries: ids 1, 2; values 3, 0 (a zero value: malformed at offset 6).
    private static final byte[] ZERO_VALUE = {0x31, 0x00, 0x02, 0x01, 0x02, 0x03, 0x00};
    private static final byte[] VALID = {0x31, 0x00, 0x02, 0x01, 0x02, 0x03, 0x04};

    @Test
    void malformedBytesShouldBeReportedBeforeTheMissingWrap()
    {
        final EncodedVectorClock unwrapped = new EncodedVectorClock();
        assertThatThrownBy(() -> unwrapped.compareWith(ZERO_VALUE, 0, ZERO_VALUE.length))
            .isExactlyInstanceOf(MalformedClockException.class)
            .hasMessageStartingWith("zero value for node 2")
            .satisfies(ex -> org.assertj.core.api.Assertions.assertThat(((MalformedClockException)ex).offset())
                .isEqualTo(6));
        assertThatThrownBy(() -> unwrapped.compareWith(VALID, -1, VALID.length))
            .isExactlyInstanceOf(MalformedClockException.class)
            .hasMessageStartingWith("vector clock bounds offset -1 length 7");
        assertThatThrownBy(() -> unwrapped.compareWith((byte[])null, 0, 7))
            .isExactlyInstanceOf(MalformedClockException.class)
            .hasMessageStartingWith("no buffer");
        assertThatThrownBy(() -> unwrapped.compareWith(ByteBuffer.wrap(ZERO_VALUE), 0, ZERO_VALUE.length))
            .isExactlyInstanceOf(MalformedClockException.class)
            .hasMessageStartingWith("zero value for node 2");
        assertThatThrownBy(() -> unwrapped.compareWith((ByteBuffer)null, 0, 7))
            .isExactlyInstanceOf(MalformedClockException.class);
        // The same as the reference expression.
        assertThatThrownBy(() -> unwrapped.compare(new EncodedVectorClock().wrap(ZERO_VALUE, 0, ZERO_VALUE.length)))
            .isExactlyInstanceOf(MalformedClockException.class)
            .hasMessageStartingWith("zero value for node 2");
    }

    @Test
    void validBytesShouldGetTheMissingWrapError()
    {
        final EncodedVectorClock unwrapped = new EncodedVectorClock();
        assertThatThrownBy(() -> unwrapped.compareWith(VALID, 0, VALID.length))
            .isExactlyInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("wraps nothing");
        assertThatThrownBy(() -> unwrapped.compareWith(ByteBuffer.allocateDirect(7).put(VALID).clear(), 0, 7))
            .isExactlyInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("wraps nothing");
    }
}
