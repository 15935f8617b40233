package dev.ordo.clocks.dvv;

import dev.ordo.clocks.api.Causality;
import dev.ordo.clocks.testing.AllocationMeter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The DVV hot paths allocate nothing once warm (a million calls each): a server-side update with the client's
 * context, a sync of two replicas, handing out the context, reading siblings, comparing and merging version
 * vectors, and both codecs on {@code byte[]} and direct {@link ByteBuffer}s. A set's decode allocates only what
 * its value codec allocates: with a codec that returns shared values it allocates nothing either.
 */
class DvvAllocationTest
{
    private static final Integer[] SMALL = new Integer[128];

    static
    {
        for (int i = 0; i < SMALL.length; i++)
        {
            SMALL[i] = i;
        }
    }

    /** One byte per value, decoded to shared Integer instances: a codec that allocates nothing. */
    private static final DvvValueCodec<Integer> SMALL_INTS = new DvvValueCodec<>()
    {
        @Override
        public int encodedLength(final Integer value)
        {
            return 1;
        }

        @Override
        public void encode(final Integer value, final byte[] dst, final int offset)
        {
            dst[offset] = (byte)value.intValue();
        }

        @Override
        public void encode(final Integer value, final ByteBuffer dst, final int index)
        {
            dst.put(index, (byte)value.intValue());
        }

        @Override
        public Integer decode(final byte[] src, final int offset, final int length)
        {
            return SMALL[src[offset] & 0x7F];
        }

        @Override
        public Integer decode(final ByteBuffer src, final int index, final int length)
        {
            return SMALL[src.get(index) & 0x7F];
        }
    };

    private DvvSet<Integer> a;
    private DvvSet<Integer> b;
    private VersionVector context;
    private VersionVector other;
    private byte[] array;
    private ByteBuffer direct;
    private long sink;

    @BeforeEach
    void setUp()
    {
        a = new DvvSet<>();
        b = new DvvSet<>();
        for (long replica = 1; replica <= 5; replica++)
        {
            a.update(new VersionVector(), replica * 1_000_003L, SMALL[(int)replica]);
        }
        b.copyFrom(a);
        context = a.context();
        other = b.context();
        other.increment(5_000_015L);
        array = new byte[256];
        direct = ByteBuffer.allocateDirect(256);
    }

    @Test
    void readModifyWriteAndConcurrentWritesShouldNotAllocate() throws Exception
    {
        final VersionVector empty = new VersionVector();
        assertThat(AllocationMeter.allocatedBytes(AllocationMeter.MILLION, n ->
        {
            for (int i = 0; i < n; i++)
            {
                a.context(context);                            // a client reads
                a.update(empty, 2_000_006L, SMALL[i & 63]);   // a concurrent blind write
                sink += a.update(context, 3_000_009L, SMALL[(i + 1) & 63]); // the read-modify-write
                sink += a.siblingCount() + a.sibling(0);
            }
        })).isZero();
    }

    @Test
    void syncShouldNotAllocate() throws Exception
    {
        final VersionVector empty = new VersionVector();
        assertThat(AllocationMeter.allocatedBytes(AllocationMeter.MILLION, n ->
        {
            for (int i = 0; i < n; i++)
            {
                b.update(b.context(context), 4_000_012L, SMALL[i & 63]);
                a.update(empty, 1_000_003L, SMALL[i & 63]);
                a.sync(b);
                b.sync(a);
                sink += a.siblingCount();
            }
        })).isZero();
    }

    @Test
    void versionVectorCompareMergeAndCoversShouldNotAllocate() throws Exception
    {
        final VersionVector target = new VersionVector();
        assertThat(AllocationMeter.allocatedBytes(AllocationMeter.MILLION, n ->
        {
            for (int i = 0; i < n; i++)
            {
                sink += context.compare(other) == Causality.BEFORE ? 1 : 0;
                target.copyFrom(context);
                target.merge(other);
                sink += target.covers(5_000_015L, i) ? 1 : 0;
            }
        })).isZero();
    }

    @Test
    void codecsShouldNotAllocate() throws Exception
    {
        final DvvSet<Integer> decoded = new DvvSet<>();
        final VersionVector decodedContext = new VersionVector();
        // A quarter million rounds of eight codec calls each: two million calls, the same warm-up, a quarter the time.
        assertThat(AllocationMeter.allocatedBytes(AllocationMeter.MILLION / 4, n ->
        {
            for (int i = 0; i < n; i++)
            {
                final int setLength = a.encode(SMALL_INTS, array, 0);
                decoded.decode(SMALL_INTS, array, 0, setLength);
                final int directLength = a.encode(SMALL_INTS, direct, 3);
                decoded.decode(SMALL_INTS, direct, 3, directLength);
                final int vvLength = context.encode(array, 100);
                decodedContext.decode(array, 100, vvLength);
                final int vvDirect = context.encode(direct, 100);
                decodedContext.decode(direct, 100, vvDirect);
                sink += decoded.siblingCount() + decodedContext.size();
            }
        })).isZero();
        assertThat(decoded).isEqualTo(a);
    }
}
