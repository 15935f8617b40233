package dev.ordo.clocks.dvv;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Turns a {@link DvvSet}'s values into bytes and back, for {@link DvvSet#encode} and {@link DvvSet#decode}. The
 * set frames every value with its length, so a codec only converts one value and never sees its neighbours.
 *
 * <p>{@code decode} may throw any {@link RuntimeException} for bytes it does not accept; the set reports it as a
 * malformed encoding and stays unchanged. Implementations should be stateless or thread-confined.
 *
 * @param <V> the value type.
 */
public interface DvvValueCodec<V>
{
    /**
     * @param value a value.
     * @return the exact number of bytes {@code encode} writes for it.
     */
    int encodedLength(V value);

    /**
     * @param value  a value.
     * @param dst    target array, with {@link #encodedLength} bytes free at {@code offset}.
     * @param offset where to write.
     */
    void encode(V value, byte[] dst, int offset);

    /**
     * @param value a value.
     * @param dst   target buffer, written at absolute indices.
     * @param index where to write.
     */
    void encode(V value, ByteBuffer dst, int index);

    /**
     * @param src    source array.
     * @param offset start of one value's bytes.
     * @param length their number (already checked against the bytes available).
     * @return the value.
     */
    V decode(byte[] src, int offset, int length);

    /**
     * @param src    source buffer, read at absolute indices.
     * @param index  start of one value's bytes.
     * @param length their number (already checked against the bytes available).
     * @return the value.
     */
    V decode(ByteBuffer src, int index, int length);

    /**
     * @return a codec for opaque {@code byte[]} values (copied on decode, written as is on encode).
     */
    static DvvValueCodec<byte[]> bytes()
    {
        return BytesCodec.INSTANCE;
    }

    /** The {@link #bytes()} codec. */
    final class BytesCodec implements DvvValueCodec<byte[]>
    {
        static final BytesCodec INSTANCE = new BytesCodec();

        private BytesCodec()
        {
        }

        @Override
        public int encodedLength(final byte[] value)
        {
            return value.length;
        }

        @Override
        public void encode(final byte[] value, final byte[] dst, final int offset)
        {
            System.arraycopy(value, 0, dst, offset, value.length);
        }

        @Override
        public void encode(final byte[] value, final ByteBuffer dst, final int index)
        {
            dst.put(index, value);
        }

        @Override
        public byte[] decode(final byte[] src, final int offset, final int length)
        {
            return Arrays.copyOfRange(src, offset, offset + length);
        }

        @Override
        public byte[] decode(final ByteBuffer src, final int index, final int length)
        {
            final byte[] value = new byte[length];
            src.get(index, value);
            return value;
        }
    }
}
