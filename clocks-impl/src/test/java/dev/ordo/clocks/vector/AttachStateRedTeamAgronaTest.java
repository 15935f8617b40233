package dev.ordo.clocks.vector;

import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;

/**
 * {@link AttachStateRedTeamTest}'s stateful differential run with Agrona homes mixed in (creating them needs
 * Agrona's JVM flag, hence the class name): unsafe buffers over the array at an offset and whole, over a heap
 * buffer slice, over another unsafe buffer, over direct memory, and expandable array buffers.
 */
class AttachStateRedTeamAgronaTest
{
    @Test
    void everyFlyweightShouldActAsAFreshOneOverTheBytesItLastAcceptedAgronaHomesIncluded()
    {
        AttachStateRedTeamTest.run(
            "AttachStateRedTeamAgronaTest.everyFlyweightShouldActAsAFreshOneOverTheBytesItLastAcceptedAgronaHomesIncluded",
            new AttachStateRedTeamTest.Views()
            {
                @Override
                public int count()
                {
                    return 6;
                }

                @Override
                public Object[] make(
                    final int v, final byte[] array, final int limit, final int abs, final SplittableRandom random)
                {
                    final int cut = random.nextInt(abs + 1);
                    switch (v)
                    {
                        case 0:
                            return new Object[]{new UnsafeBuffer(array, cut, limit - cut), abs - cut, true};
                        case 1:
                            return new Object[]{new UnsafeBuffer(array), abs, true};
                        case 2:
                        {
                            final ByteBuffer direct = ByteBuffer.allocateDirect(limit);
                            direct.put(0, array, 0, limit);
                            return new Object[]{new UnsafeBuffer(direct), abs, false};
                        }
                        case 3:
                        {
                            final ExpandableArrayBuffer expandable = new ExpandableArrayBuffer(limit + random.nextInt(3));
                            expandable.putBytes(0, array, 0, limit);
                            return new Object[]{expandable, abs, false};
                        }
                        case 4:
                            return new Object[]{
                                new UnsafeBuffer(ByteBuffer.wrap(array, cut, limit - cut).slice()), abs - cut, true};
                        default:
                        {
                            final UnsafeBuffer outer = new UnsafeBuffer(array, 0, limit);
                            return new Object[]{new UnsafeBuffer(outer, cut, limit - cut), abs - cut, true};
                        }
                    }
                }
            });
    }
}
