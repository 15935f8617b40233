package dev.ordo.clocks.vector;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A re-pointable view of the bytes of one encoding, in one of three homes: a {@code byte[]} (also a heap
 * {@link ByteBuffer} or a heap Agrona buffer, through their arrays), any other {@link ByteBuffer} (direct or
 * read-only), or an off-heap Agrona {@link DirectBuffer}. Reads and writes little-endian fields of 1, 2, 4
 * or 8 bytes, unsigned. No Unsafe: arrays through {@link MethodHandles#byteArrayViewVarHandle}, byte
 * buffers through their own absolute accessors (which never change the buffer's position, limit or order).
 *
 * <p>Indices are the caller's (the buffer's own indices); {@link #attach} records how they map to the
 * backing store. Callers check their whole range against {@link #capacity()} once; the accessors below do
 * not repeat the check (the backing store's own checks still apply, so a bug cannot read outside it).
 *
 * <p>Not thread-safe; each owner keeps its own and {@link #detach()}es it after every call, so it never
 * holds state between calls.
 */
final class WireBytes
{
    static final VarHandle SHORTS = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    // Little-endian views of any ByteBuffer (direct, read-only, either order): the buffer's own order is never
    // consulted, so a caller may change it after a wrap without changing what a flyweight reads.
    private static final VarHandle BUFFER_SHORTS =
        MethodHandles.byteBufferViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle BUFFER_INTS =
        MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle BUFFER_LONGS =
        MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** Backing array, or null. Caller index {@code i} is {@code array[base + i]}. */
    byte[] array;
    int base;
    /** A byte buffer without an accessible array (direct or read-only), or null. */
    ByteBuffer byteBuffer;
    /** An off-heap Agrona buffer, or null. */
    DirectBuffer direct;
    MutableDirectBuffer mutableDirect;
    /** Bytes addressable from caller index 0. */
    int capacity;

    /** @param bytes a heap array; indices are array indices. */
    void attach(final byte[] bytes)
    {
        clear();
        array = bytes;
        base = 0;
        capacity = bytes.length;
    }

    /**
     * {@link #attach(byte[])}, writing nothing when already attached so (the flyweight's repeated wraps of one
     * receive buffer). Attached so means the whole array: a heap byte buffer or Agrona buffer over the same
     * array at offset 0 with a smaller limit or capacity is not (it would bound later reads by its limit).
     */
    void attachArray(final byte[] bytes)
    {
        if (array != bytes || base != 0 || capacity != bytes.length)
        {
            attach(bytes);
        }
    }

    /** @param buffer any byte buffer; indices are absolute buffer indices, up to its limit. */
    void attach(final ByteBuffer buffer)
    {
        clear();
        if (buffer.hasArray())
        {
            array = buffer.array();
            base = buffer.arrayOffset();
        }
        else
        {
            byteBuffer = buffer;
        }
        capacity = buffer.limit();
    }

    /** @param buffer an Agrona buffer; indices are its indices. */
    void attach(final DirectBuffer buffer)
    {
        clear();
        final byte[] bytes = buffer.byteArray();
        if (bytes != null)
        {
            array = bytes;
            base = (int)buffer.wrapAdjustment();
        }
        else
        {
            direct = buffer;
            mutableDirect = buffer instanceof MutableDirectBuffer ? (MutableDirectBuffer)buffer : null;
        }
        capacity = buffer.capacity();
    }

    /** Copies another view's attachment. */
    void attach(final WireBytes other)
    {
        array = other.array;
        base = other.base;
        byteBuffer = other.byteBuffer;
        direct = other.direct;
        mutableDirect = other.mutableDirect;
        capacity = other.capacity;
    }

    /** Forgets the bytes. */
    void detach()
    {
        clear();
    }

    boolean isAttached()
    {
        return array != null || byteBuffer != null || direct != null;
    }

    private void clear()
    {
        array = null;
        base = 0;
        byteBuffer = null;
        direct = null;
        mutableDirect = null;
        capacity = 0;
    }

    int capacity()
    {
        return capacity;
    }

    /** @return the unsigned byte at {@code index}. */
    int u8(final int index)
    {
        final byte[] a = array;
        if (a != null)
        {
            return a[base + index] & 0xFF;
        }
        return (byteBuffer != null ? byteBuffer.get(index) : direct.getByte(index)) & 0xFF;
    }

    /**
     * @param width 1, 2, 4 or 8.
     * @return the little-endian field of {@code width} bytes at {@code index}, zero-extended (8 bytes: as is).
     */
    long read(final int index, final int width)
    {
        final byte[] a = array;
        if (a != null)
        {
            final int p = base + index;
            switch (width)
            {
                case 8:
                    return (long)LONGS.get(a, p);
                case 4:
                    return (int)INTS.get(a, p) & 0xFFFF_FFFFL;
                case 2:
                    return (short)SHORTS.get(a, p) & 0xFFFFL;
                default:
                    return a[p] & 0xFFL;
            }
        }
        return byteBuffer != null ? readByteBuffer(index, width) : readDirect(index, width);
    }

    private long readByteBuffer(final int index, final int width)
    {
        final ByteBuffer b = byteBuffer;
        switch (width)
        {
            case 8:
                return (long)BUFFER_LONGS.get(b, index);
            case 4:
                return (int)BUFFER_INTS.get(b, index) & 0xFFFF_FFFFL;
            case 2:
                return (short)BUFFER_SHORTS.get(b, index) & 0xFFFFL;
            default:
                return b.get(index) & 0xFFL;
        }
    }

    private long readDirect(final int index, final int width)
    {
        final DirectBuffer b = direct;
        switch (width)
        {
            case 8:
                return b.getLong(index, ByteOrder.LITTLE_ENDIAN);
            case 4:
                return b.getInt(index, ByteOrder.LITTLE_ENDIAN) & 0xFFFF_FFFFL;
            case 2:
                return b.getShort(index, ByteOrder.LITTLE_ENDIAN) & 0xFFFFL;
            default:
                return b.getByte(index) & 0xFFL;
        }
    }

    /**
     * @param a     an array.
     * @param p     the field's array index; the field lies in the array.
     * @param width 1, 2, 4 or 8.
     * @return the little-endian field of {@code width} bytes at {@code p}, zero-extended (8 bytes: as is), read
     * with one load of exactly the field's bytes.
     */
    static long get(final byte[] a, final int p, final int width)
    {
        switch (width)
        {
            case 8:
                return (long)LONGS.get(a, p);
            case 4:
                return (int)INTS.get(a, p) & 0xFFFF_FFFFL;
            case 2:
                return (short)SHORTS.get(a, p) & 0xFFFFL;
            default:
                return a[p] & 0xFFL;
        }
    }

    /**
     * Writes the low {@code width} bytes of {@code value} at {@code p}, little-endian, with one store of
     * exactly the field's bytes.
     *
     * @param width 1, 2, 4 or 8.
     */
    static void put(final byte[] a, final int p, final int width, final long value)
    {
        switch (width)
        {
            case 8:
                LONGS.set(a, p, value);
                return;
            case 4:
                INTS.set(a, p, (int)value);
                return;
            case 2:
                SHORTS.set(a, p, (short)value);
                return;
            default:
                a[p] = (byte)value;
        }
    }

    void putByte(final int index, final int value)
    {
        final byte[] a = array;
        if (a != null)
        {
            a[base + index] = (byte)value;
        }
        else if (byteBuffer != null)
        {
            byteBuffer.put(index, (byte)value);
        }
        else
        {
            mutableDirect.putByte(index, (byte)value);
        }
    }

    /**
     * Writes the low {@code width} bytes of {@code value}, little-endian.
     *
     * @param width 1, 2, 4 or 8.
     */
    void write(final int index, final int width, final long value)
    {
        final byte[] a = array;
        if (a != null)
        {
            final int p = base + index;
            switch (width)
            {
                case 8:
                    LONGS.set(a, p, value);
                    return;
                case 4:
                    INTS.set(a, p, (int)value);
                    return;
                case 2:
                    SHORTS.set(a, p, (short)value);
                    return;
                default:
                    a[p] = (byte)value;
                    return;
            }
        }
        if (byteBuffer != null)
        {
            writeByteBuffer(index, width, value);
        }
        else
        {
            writeDirect(index, width, value);
        }
    }

    private void writeByteBuffer(final int index, final int width, final long value)
    {
        final ByteBuffer b = byteBuffer;
        switch (width)
        {
            case 8:
                BUFFER_LONGS.set(b, index, value);
                return;
            case 4:
                BUFFER_INTS.set(b, index, (int)value);
                return;
            case 2:
                BUFFER_SHORTS.set(b, index, (short)value);
                return;
            default:
                b.put(index, (byte)value);
        }
    }

    private void writeDirect(final int index, final int width, final long value)
    {
        final MutableDirectBuffer b = mutableDirect;
        switch (width)
        {
            case 8:
                b.putLong(index, value, ByteOrder.LITTLE_ENDIAN);
                return;
            case 4:
                b.putInt(index, (int)value, ByteOrder.LITTLE_ENDIAN);
                return;
            case 2:
                b.putShort(index, (short)value, ByteOrder.LITTLE_ENDIAN);
                return;
            default:
                b.putByte(index, (byte)value);
        }
    }
}
