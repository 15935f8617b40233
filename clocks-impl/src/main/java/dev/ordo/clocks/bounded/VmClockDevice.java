package dev.ordo.clocks.bounded;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads the disruption marker of the Linux VMClock device ({@code /dev/vmclock0}, the AMZNC10C "vmclock" ACPI
 * device, driver {@code ptp_vmclock}): the hypervisor bumps the marker whenever the guest's clock is disrupted
 * (live migration, snapshot restore). AWS ClockBound's client compares it with the marker the daemon last
 * copied into its own segment and reports Unknown while they differ (the daemon may take a long time to
 * notice); {@link ClockBoundShm} does the same through this class.
 *
 * <p>Layout (little endian, {@code struct vmclock_abi} of the kernel's {@code uapi/linux/vmclock-abi.h}, as
 * AWS's {@code clock-bound-vmclock} crate reads it): magic u32 {@value #MAGIC_HEX} at 0; size u32 at 4;
 * version u16 at 8 (1 is the only one defined); counter id u8 at 10; time type u8 at 11; sequence count u32
 * at 12 (odd while the hypervisor updates); disruption marker u64 at 16; then flags, clock status and the
 * time fields up to 104 bytes.
 *
 * <p>How it reads: one positional {@code read} of the first 24 bytes per check. The kernel driver's
 * {@code read} copies under the sequence-count protocol (it retries until it sees the same even count before
 * and after the copy), so one system call gives a consistent marker; Java cannot memory-map the device
 * ({@code FileChannel.map} refuses a file whose size is 0, which a character device reports). A regular file
 * can play the device in tests: its sequence count must then be even.
 *
 * <p>Concurrency: thread-safe; each thread reads into its own small direct buffer (allocated on its first
 * check). A thread that is interrupted does not read at all (an interrupted read would close the channel for
 * every thread): {@link #compare(long)} then reports {@link #UNREADABLE}, which callers treat as "unknown". If the channel
 * was closed by an interrupt anyway, the next check reopens it.
 */
final class VmClockDevice implements AutoCloseable
{
    /** Magic number of a VMClock segment, {@code "VCLK"} little endian. */
    static final int MAGIC = 0x4B4C4356;
    static final String MAGIC_HEX = "0x4B4C4356";
    /** The only layout version defined. */
    static final int SUPPORTED_VERSION = 1;
    static final int MAGIC_OFFSET = 0;
    static final int SIZE_OFFSET = 4;
    static final int VERSION_OFFSET = 8;
    static final int SEQ_COUNT_OFFSET = 12;
    static final int DISRUPTION_MARKER_OFFSET = 16;
    /** Bytes read per check: the header and the marker. */
    static final int READ_LENGTH = 24;
    /** Size of header and body of layout version 1. */
    static final int SEGMENT_LENGTH = 104;

    private final Path path;
    private final ThreadLocal<ByteBuffer> scratch =
        ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(READ_LENGTH).order(ByteOrder.LITTLE_ENDIAN));
    private volatile FileChannel channel;
    private volatile boolean closed;

    private VmClockDevice(final Path path, final FileChannel channel)
    {
        this.path = path;
        this.channel = channel;
    }

    /**
     * Opens the device and checks its header once.
     *
     * @param path the device (or a file playing it).
     * @return the reader.
     * @throws IOException when it cannot be opened or read, or is not a VMClock version 1 segment; the
     *                     message names the path and the value.
     */
    static VmClockDevice open(final Path path) throws IOException
    {
        final FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
        try
        {
            final ByteBuffer header = ByteBuffer.allocate(READ_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
            while (header.hasRemaining())
            {
                if (channel.read(header, header.position()) < 0)
                {
                    throw new IOException("VMClock device " + path + " is " + header.position() +
                        " bytes, a VMClock segment needs at least " + READ_LENGTH);
                }
            }
            final int magic = header.getInt(MAGIC_OFFSET);
            if (magic != MAGIC)
            {
                throw new IOException("not a VMClock device: " + path + " starts with magic 0x" +
                    Integer.toHexString(magic) + ", expected " + MAGIC_HEX);
            }
            final int version = header.getShort(VERSION_OFFSET) & 0xFFFF;
            if (version != SUPPORTED_VERSION)
            {
                throw new IOException("VMClock device " + path + " has layout version " + version +
                    "; only version " + SUPPORTED_VERSION + " is supported");
            }
            final long size = header.getInt(SIZE_OFFSET) & 0xFFFF_FFFFL;
            if (size < SEGMENT_LENGTH)
            {
                throw new IOException("VMClock device " + path + " declares a size of " + size +
                    " bytes; version 1 needs " + SEGMENT_LENGTH);
            }
            return new VmClockDevice(path, channel);
        }
        catch (final IOException | RuntimeException ex)
        {
            channel.close();
            throw ex;
        }
    }

    /** {@link #compare(long)}: the device's marker equals the expected one. */
    static final int SAME = 0;
    /** {@link #compare(long)}: the device's marker differs: a disruption. */
    static final int DIFFERENT = 1;
    /** {@link #compare(long)}: nothing trustworthy could be read. */
    static final int UNREADABLE = 2;

    /**
     * @param expectedMarker the disruption marker the ClockBound daemon last copied.
     * @return {@link #SAME} only when the device could be read, holds a valid, stable (even sequence count)
     * segment and its marker equals {@code expectedMarker}; {@link #DIFFERENT} when it is valid and its marker
     * differs; {@link #UNREADABLE} otherwise.
     */
    int compare(final long expectedMarker)
    {
        if (closed || Thread.currentThread().isInterrupted())
        {
            return UNREADABLE;
        }
        final ByteBuffer buffer = scratch.get();
        buffer.clear();
        final FileChannel current = channel;
        try
        {
            while (buffer.hasRemaining())
            {
                if (current.read(buffer, buffer.position()) < 0)
                {
                    return UNREADABLE; // shorter than a header: not (or no longer) a VMClock segment
                }
            }
        }
        catch (final ClosedChannelException ex)
        {
            reopen(current); // closed by an interrupt on some thread: this read knows nothing
            return UNREADABLE;
        }
        catch (final IOException ex)
        {
            return UNREADABLE;
        }
        if (buffer.getInt(MAGIC_OFFSET) != MAGIC ||
            (buffer.getShort(VERSION_OFFSET) & 0xFFFF) != SUPPORTED_VERSION ||
            (buffer.getInt(SEQ_COUNT_OFFSET) & 1) != 0)
        {
            return UNREADABLE;
        }
        return buffer.getLong(DISRUPTION_MARKER_OFFSET) == expectedMarker ? SAME : DIFFERENT;
    }

    private synchronized void reopen(final FileChannel stale)
    {
        if (closed || channel != stale || Thread.currentThread().isInterrupted())
        {
            return;
        }
        try
        {
            channel = FileChannel.open(path, StandardOpenOption.READ);
        }
        catch (final IOException ex)
        {
            // Stays closed: every check reports false (unknown) and tries again.
        }
    }

    /**
     * @return the device path.
     */
    Path path()
    {
        return path;
    }

    @Override
    public synchronized void close()
    {
        closed = true;
        try
        {
            channel.close();
        }
        catch (final IOException ex)
        {
            // nothing left to release
        }
    }
}
