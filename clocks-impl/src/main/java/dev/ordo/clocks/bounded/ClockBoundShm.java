package dev.ordo.clocks.bounded;

import dev.ordo.clocks.api.ClockStatus;
import dev.ordo.clocks.api.ErrorBoundSource;
import dev.ordo.clocks.api.ErrorBounds;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads the error bound that the AWS ClockBound daemon (2.x) publishes in shared memory, in pure Java and
 * without any JVM flag: the file (by default {@value #DEFAULT_PATH}) is memory-mapped once
 * ({@link FileChannel#map}) and read through {@link VarHandle} views in native byte order.
 *
 * <p>Layout, protocol version 2 (80 bytes, native endian; offsets are the constants below): magic
 * {@code [u32; 2] = 0x414D5A4E, 0x43420200}; segment size u32; version u16 = 2; generation u16; as-of and
 * void-after as {@code timespec} (two i64 each) of {@code CLOCK_MONOTONIC_COARSE}; bound i64 ns; disruption
 * marker u64; max drift u32 ppb; clock status i32; clock disruption support u8; padding.
 *
 * <p>Read protocol (the writer bumps the generation to odd before an update and to even after, never to 0):
 * read the generation; if 0, the segment is not initialized; copy the fields; re-read the generation and
 * retry if it changed. <b>Last good snapshot</b>: like AWS's client, a read that finds the writer mid-update
 * (odd generation) does not wait for it: it serves the last consistent snapshot this reader took, and the
 * bound of that snapshot keeps growing from its own as-of (and its status ages to
 * {@link ClockStatus#FREE_RUNNING} and {@link ClockStatus#UNKNOWN} by its own void-after), so an old snapshot
 * is never presented as fresher than it is. Only before any good read, or when the generation keeps changing
 * for {@code maxRetries} attempts without a snapshot to fall back on, does a read report
 * {@link ClockBoundReadResult#WRITER_STALLED}.
 *
 * <p><b>Truncation.</b> The daemon wipes the segment by truncating the file and rewriting it; touching a
 * mapped page past the end of a file raises {@code SIGBUS}, which the JVM turns into an
 * {@link InternalError} that it may deliver later than the read (so no {@code catch} can be relied on).
 * Every read therefore checks the file's size first ({@code fstat}, through
 * {@link RandomAccessFile#length()}, about 0.2 µs, not interruptible) and reports
 * {@link ClockBoundReadResult#TRUNCATED} without touching the mapping when the file is shorter than a segment.
 * An {@link InternalError} that still surfaces inside the read (a truncation within the nanoseconds between
 * the size check and the copy) is caught and reported the same way; one that the JVM delivers after the read
 * returned cannot be caught by anyone: that residual window is the price of reading shared memory from Java
 * without native code.
 *
 * <p><b>VM clock disruption</b> (AWS ClockBound's VMClock check). When the daemon runs with clock disruption
 * support (the segment's flag), its status is trusted only while the disruption marker it last copied equals
 * the one in the VMClock device (by default {@value #DEFAULT_VMCLOCK_PATH}): after a live migration or a
 * snapshot restore the hypervisor bumps the device's marker at once, while the daemon may take a long time to
 * notice. A different marker reads as {@link ClockBoundReadResult#VMCLOCK_DISRUPTED}, a device that cannot be
 * read as {@link ClockBoundReadResult#VMCLOCK_UNAVAILABLE}; both are {@link ClockStatus#UNKNOWN}. Each such
 * check is one {@code read} system call on the device (the JVM cannot map a character device); a daemon
 * without disruption support costs nothing.
 *
 * <p>Bound at monotonic time {@code m}, as ClockBound's own client computes it, rounded up:
 * {@code bound + maxDrift * |m - asOf| / (1 - maxDrift)}. Status: the daemon's, aged like ClockBound's client
 * does: {@link ClockStatus#SYNCHRONIZED}/{@link ClockStatus#FREE_RUNNING} are trusted for
 * {@value #RESTART_GRACE_NS} ns after {@code asOf}, then reported as {@link ClockStatus#FREE_RUNNING} until
 * {@code voidAfter}, then {@link ClockStatus#UNKNOWN}. A read more than {@value #CAUSALITY_TOLERANCE_NS} ns
 * before {@code asOf} is a causality breach (wrong monotonic clock) and reports {@link ClockStatus#UNKNOWN}.
 *
 * <p>The monotonic time passed to {@link #errorBound(long)} must be {@code CLOCK_MONOTONIC}: on Linux,
 * {@link System#nanoTime()} (and so Agrona's {@code SystemNanoClock}) is exactly that.
 *
 * <p><b>Read order</b> (as a bounded clock's source), AWS's client's: {@link #snapshot()} copies the segment
 * before the clock reads its real-time clock, and {@link #errorBoundFrom(Object, long)} does the VMClock check
 * after the monotonic read. So a sync the daemon publishes while a reading thread is held between its reads
 * cannot narrow a reading taken before it, and a disruption the hypervisor signals meanwhile (it bumps the
 * VMClock marker at once, even while the VM is paused between two of the reader's instructions) makes the read
 * {@link ClockStatus#UNKNOWN}. A newer generation published between the copy and the clock reads is not looked
 * for (that would be a second size check and copy per read): by ClockBound's model an older snapshot's bound,
 * grown by the drift term from its own as-of, still covers later readings (the same model that lets a reader
 * serve its last good snapshot while the daemon writes, above); the daemon writes {@code Disrupted} after the
 * VMClock marker changed, which the check after the reading sees directly (a disruption forced on the daemon by
 * hand, with its test signal, is seen from the next read on).
 *
 * <p>Concurrency contract: {@link #read}, {@link #errorBound}, {@link #snapshot}, {@link #errorBoundFrom} and
 * {@link #close} are thread-safe (a snapshot is this thread's scratch object: hand it to
 * {@link #errorBoundFrom} on the same thread before its next read of this source); reads are
 * lock-free and allocation-free, except that the first reader to see a new generation publishes it as the
 * last good snapshot (one small immutable object per daemon update, about once a second) and each thread
 * allocates its scratch snapshot once. {@link #close()} does not unmap the file (unmapping under a concurrent
 * reader would crash the JVM): the mapping is released when this object becomes unreachable; after closing,
 * reads report {@link ClockBoundReadResult#CLOSED}. The reader maps the file it opened: if the file is deleted
 * and created anew (rather than rewritten in place, which is what the daemon does), the reader keeps reading
 * the old one, whose bound ages to {@link ClockStatus#UNKNOWN} at its void-after; reopen it.
 */
public final class ClockBoundShm implements ErrorBoundSource, AutoCloseable
{
    /** Where the ClockBound 2.x daemon writes its segment. */
    public static final String DEFAULT_PATH = "/var/run/clockbound/shm0";

    /** Where Linux exposes the VMClock device (driver {@code ptp_vmclock}). */
    public static final String DEFAULT_VMCLOCK_PATH = "/dev/vmclock0";

    /** First magic word, native order. */
    public static final int MAGIC_0 = 0x414D5A4E;
    /** Second magic word, native order. */
    public static final int MAGIC_1 = 0x43420200;
    /** The one layout version this reader supports. */
    public static final int SUPPORTED_VERSION = 2;

    /** Offset of the first magic word (u32). */
    public static final int MAGIC_0_OFFSET = 0;
    /** Offset of the second magic word (u32). */
    public static final int MAGIC_1_OFFSET = 4;
    /** Offset of the segment size (u32). */
    public static final int SEGMENT_SIZE_OFFSET = 8;
    /** Offset of the layout version (u16). */
    public static final int VERSION_OFFSET = 12;
    /** Offset of the generation (u16). */
    public static final int GENERATION_OFFSET = 14;
    /** Offset of as-of seconds (i64). */
    public static final int AS_OF_SECONDS_OFFSET = 16;
    /** Offset of as-of nanoseconds (i64). */
    public static final int AS_OF_NANOS_OFFSET = 24;
    /** Offset of void-after seconds (i64). */
    public static final int VOID_AFTER_SECONDS_OFFSET = 32;
    /** Offset of void-after nanoseconds (i64). */
    public static final int VOID_AFTER_NANOS_OFFSET = 40;
    /** Offset of the bound in nanoseconds (i64). */
    public static final int BOUND_NS_OFFSET = 48;
    /** Offset of the disruption marker (u64). */
    public static final int DISRUPTION_MARKER_OFFSET = 56;
    /** Offset of the maximum drift rate in ppb (u32). */
    public static final int MAX_DRIFT_PPB_OFFSET = 64;
    /** Offset of the clock status (i32). */
    public static final int CLOCK_STATUS_OFFSET = 68;
    /** Offset of the clock disruption support flag (u8). */
    public static final int DISRUPTION_SUPPORT_OFFSET = 72;
    /** Size of a version 2 segment. */
    public static final int SEGMENT_LENGTH = 80;

    /** How long after as-of the daemon's status is trusted as written (ClockBound's restart grace period). */
    public static final long RESTART_GRACE_NS = 5_000_000_000L;
    /** How far a read may be before as-of and still be trusted (coarse-clock granularity). */
    public static final long CAUSALITY_TOLERANCE_NS = 10_000_000L;
    /** Default number of read attempts before reporting {@link ClockBoundReadResult#WRITER_STALLED}. */
    public static final int DEFAULT_MAX_RETRIES = 1_000;
    /** How often a VMClock device that could not be opened is tried again, ns. */
    static final long VMCLOCK_REOPEN_INTERVAL_NS = 1_000_000_000L;

    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final long MAX_SECONDS = Long.MAX_VALUE / NANOS_PER_SECOND - 1;
    private static final int MAX_MAPPED_LENGTH = 1 << 16;
    private static final VarHandle SHORT = MethodHandles.byteBufferViewVarHandle(short[].class, ByteOrder.nativeOrder());
    private static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());
    private static final VarHandle LONG = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());

    private final Path path;
    private final RandomAccessFile sizeProbe;
    private final MappedByteBuffer segment;
    private final int maxRetries;
    private final Path vmClockPath;
    private final ThreadLocal<ClockBoundSnapshot> scratch = ThreadLocal.withInitial(ClockBoundSnapshot::new);
    private volatile VmClockDevice vmClock;
    private volatile long nextVmClockOpenNs;
    private volatile Snapshot lastGood;
    private volatile boolean closed;

    private ClockBoundShm(
        final Path path,
        final RandomAccessFile sizeProbe,
        final MappedByteBuffer segment,
        final int maxRetries,
        final Path vmClockPath)
    {
        this.path = path;
        this.sizeProbe = sizeProbe;
        this.segment = segment;
        this.maxRetries = maxRetries;
        this.vmClockPath = vmClockPath;
        this.nextVmClockOpenNs = System.nanoTime();
    }

    /**
     * Opens {@value #DEFAULT_PATH}, checking disruptions against {@value #DEFAULT_VMCLOCK_PATH}.
     *
     * @return the reader.
     * @throws IOException when the file cannot be read or is not a ClockBound version 2 segment
     *                     ({@link ClockBoundSegmentException}).
     */
    public static ClockBoundShm open() throws IOException
    {
        return open(Path.of(DEFAULT_PATH), Path.of(DEFAULT_VMCLOCK_PATH), DEFAULT_MAX_RETRIES);
    }

    /**
     * Opens a segment, checking disruptions against {@value #DEFAULT_VMCLOCK_PATH}.
     *
     * @param path the segment file.
     * @return the reader.
     * @throws IOException when the file cannot be read or is not a ClockBound version 2 segment
     *                     ({@link ClockBoundSegmentException}).
     */
    public static ClockBoundShm open(final Path path) throws IOException
    {
        return open(path, Path.of(DEFAULT_VMCLOCK_PATH), DEFAULT_MAX_RETRIES);
    }

    /**
     * Opens a segment, checking disruptions against {@value #DEFAULT_VMCLOCK_PATH}.
     *
     * @param path       the segment file.
     * @param maxRetries read attempts before a read reports {@link ClockBoundReadResult#WRITER_STALLED},
     *                   {@code >= 1}.
     * @return the reader.
     * @throws IOException              when the file cannot be read or is not a ClockBound version 2 segment
     *                                  ({@link ClockBoundSegmentException} with the reason).
     * @throws IllegalArgumentException if {@code maxRetries < 1}.
     */
    public static ClockBoundShm open(final Path path, final int maxRetries) throws IOException
    {
        return open(path, Path.of(DEFAULT_VMCLOCK_PATH), maxRetries);
    }

    /**
     * Opens a segment with a VMClock device of your choice (AWS's client calls it {@code vmclock_shm_path}).
     *
     * @param path        the segment file.
     * @param vmClockPath the VMClock device consulted while the daemon has clock disruption support.
     * @return the reader.
     * @throws IOException when the file cannot be read or is not a ClockBound version 2 segment
     *                     ({@link ClockBoundSegmentException}).
     */
    public static ClockBoundShm open(final Path path, final Path vmClockPath) throws IOException
    {
        return open(path, vmClockPath, DEFAULT_MAX_RETRIES);
    }

    /**
     * Maps the file and checks its header. A segment whose version and generation are still 0 is accepted
     * (the daemon is starting): reads report {@link ClockBoundReadResult#NOT_INITIALIZED} until it is written.
     * The VMClock device is opened now if it exists; if it cannot be, nothing fails here: reads that need it
     * (the daemon has disruption support) report {@link ClockBoundReadResult#VMCLOCK_UNAVAILABLE} and try to
     * open it again at most once a second.
     *
     * @param path        the segment file.
     * @param vmClockPath the VMClock device consulted while the daemon has clock disruption support.
     * @param maxRetries  read attempts before a read reports {@link ClockBoundReadResult#WRITER_STALLED},
     *                    {@code >= 1}.
     * @return the reader.
     * @throws IOException              when the file cannot be read or is not a ClockBound version 2 segment
     *                                  ({@link ClockBoundSegmentException} with the reason).
     * @throws IllegalArgumentException if {@code maxRetries < 1}.
     * @throws NullPointerException     if a path is null.
     */
    public static ClockBoundShm open(final Path path, final Path vmClockPath, final int maxRetries) throws IOException
    {
        if (maxRetries < 1)
        {
            throw new IllegalArgumentException("maxRetries must be >= 1: " + maxRetries);
        }
        java.util.Objects.requireNonNull(vmClockPath, "vmClockPath");
        final RandomAccessFile sizeProbe = new RandomAccessFile(path.toFile(), "r");
        try
        {
            final ClockBoundShm shm = map(path, sizeProbe, maxRetries, vmClockPath);
            if (Files.exists(vmClockPath))
            {
                shm.vmClockDevice(); // eager: most hosts with the device have a daemon that uses it
            }
            return shm;
        }
        catch (final IOException | RuntimeException ex)
        {
            sizeProbe.close();
            throw ex;
        }
    }

    private static ClockBoundShm map(
        final Path path, final RandomAccessFile sizeProbe, final int maxRetries, final Path vmClockPath)
        throws IOException
    {
        final MappedByteBuffer mapped;
        final FileChannel channel = sizeProbe.getChannel();
        final long fileSize = channel.size();
        if (fileSize < SEGMENT_LENGTH)
        {
            throw new ClockBoundSegmentException(ClockBoundReadResult.MALFORMED,
                "ClockBound segment " + path + " is " + fileSize + " bytes, a version 2 segment needs " +
                SEGMENT_LENGTH);
        }
        final int mappedLength = (int)Math.min(fileSize, MAX_MAPPED_LENGTH);
        mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, mappedLength);
        final int magic0 = (int)INT.get(mapped, MAGIC_0_OFFSET);
        final int magic1 = (int)INT.get(mapped, MAGIC_1_OFFSET);
        if (magic0 != MAGIC_0 || magic1 != MAGIC_1)
        {
            throw new ClockBoundSegmentException(ClockBoundReadResult.BAD_MAGIC,
                "not a ClockBound segment: " + path + " starts with magic 0x" + Integer.toHexString(magic0) + " 0x" +
                Integer.toHexString(magic1) + ", expected 0x" + Integer.toHexString(MAGIC_0) + " 0x" +
                Integer.toHexString(MAGIC_1));
        }
        final long segmentSize = (int)INT.get(mapped, SEGMENT_SIZE_OFFSET) & 0xFFFF_FFFFL;
        if (segmentSize < SEGMENT_LENGTH || segmentSize > mappedLength)
        {
            throw new ClockBoundSegmentException(ClockBoundReadResult.MALFORMED,
                "ClockBound segment " + path + " declares a segment size of " + segmentSize + " bytes; need " +
                SEGMENT_LENGTH + " to " + mappedLength + " (the mapped file)");
        }
        final int version = (short)SHORT.getAcquire(mapped, VERSION_OFFSET) & 0xFFFF;
        if (version != 0 && version != SUPPORTED_VERSION)
        {
            throw new ClockBoundSegmentException(ClockBoundReadResult.UNSUPPORTED_VERSION,
                "ClockBound segment " + path + " has layout version " + version + "; only version " +
                SUPPORTED_VERSION + " (ClockBound daemon 2.x) is supported");
        }
        return new ClockBoundShm(path, sizeProbe, mapped, maxRetries, vmClockPath);
    }

    /**
     * Takes a consistent snapshot of the segment (or serves the last good one while the writer is mid-update)
     * and, when the daemon has clock disruption support, checks its disruption marker against the VMClock
     * device.
     *
     * @param out where to copy the fields; written when the result is {@link ClockBoundReadResult#OK},
     *            {@link ClockBoundReadResult#VMCLOCK_DISRUPTED} or {@link ClockBoundReadResult#VMCLOCK_UNAVAILABLE}
     *            (a consistent snapshot was read but the VMClock check did not pass), untouched otherwise.
     * @return {@link ClockBoundReadResult#OK} or why no trustworthy snapshot could be read.
     */
    public ClockBoundReadResult read(final ClockBoundSnapshot out)
    {
        final ClockBoundReadResult result = readConsistent(out);
        return result == ClockBoundReadResult.OK ? checkDisruption(out) : result;
    }

    /** The VMClock check of a consistent snapshot: OK, or why its status cannot be trusted. */
    private ClockBoundReadResult checkDisruption(final ClockBoundSnapshot snapshot)
    {
        if (!snapshot.disruptionSupported())
        {
            return ClockBoundReadResult.OK;
        }
        final VmClockDevice device = vmClockDevice();
        if (device == null)
        {
            return ClockBoundReadResult.VMCLOCK_UNAVAILABLE;
        }
        switch (device.compare(snapshot.disruptionMarker()))
        {
            case VmClockDevice.SAME:
                return ClockBoundReadResult.OK;
            case VmClockDevice.DIFFERENT:
                return ClockBoundReadResult.VMCLOCK_DISRUPTED;
            default:
                return ClockBoundReadResult.VMCLOCK_UNAVAILABLE;
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>{@link ClockStatus#UNKNOWN} whenever {@link #read(ClockBoundSnapshot)} would not return
     * {@link ClockBoundReadResult#OK}.
     */
    @Override
    public long errorBound(final long monotonicNs)
    {
        final ClockBoundSnapshot snapshot = scratch.get();
        return read(snapshot) == ClockBoundReadResult.OK ? snapshot.errorBound(monotonicNs) : ErrorBounds.UNKNOWN;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Here: the segment is read now (size check and seqlock copy, as {@link #read(ClockBoundSnapshot)}) into
     * this thread's scratch {@link ClockBoundSnapshot}, which is returned, or {@code null} when no consistent
     * snapshot could be read. The VMClock check waits for {@link #errorBoundFrom(Object, long)}.
     */
    @Override
    public Object snapshot()
    {
        final ClockBoundSnapshot snapshot = scratch.get();
        return readConsistent(snapshot) == ClockBoundReadResult.OK ? snapshot : null;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Here: the VMClock check (see the class javadoc), then the snapshot's bound at {@code monotonicNs};
     * {@link ClockStatus#UNKNOWN} for a {@code null} snapshot (the read failed) or anything that is not a
     * {@link ClockBoundSnapshot}, and whenever the check does not pass. Never
     * {@link ErrorBounds#SNAPSHOT_CHANGED}: the segment is not read again (see "Read order" in the class javadoc).
     */
    @Override
    public long errorBoundFrom(final Object snapshot, final long monotonicNs)
    {
        if (!(snapshot instanceof ClockBoundSnapshot))
        {
            return ErrorBounds.UNKNOWN;
        }
        final ClockBoundSnapshot taken = (ClockBoundSnapshot)snapshot;
        return checkDisruption(taken) == ClockBoundReadResult.OK ? taken.errorBound(monotonicNs) : ErrorBounds.UNKNOWN;
    }

    private ClockBoundReadResult readConsistent(final ClockBoundSnapshot out)
    {
        if (closed)
        {
            return ClockBoundReadResult.CLOSED;
        }
        final long fileSize;
        try
        {
            fileSize = sizeProbe.length();
        }
        catch (final IOException ex)
        {
            return closed ? ClockBoundReadResult.CLOSED : ClockBoundReadResult.TRUNCATED;
        }
        // Invariant: the mapping is touched only after the file was seen at least one segment long.
        if (fileSize < SEGMENT_LENGTH)
        {
            return ClockBoundReadResult.TRUNCATED;
        }
        try
        {
            return readMapped(out);
        }
        catch (final InternalError ex)
        {
            // SIGBUS: truncated between the size check and the copy (see the class javadoc for the limits).
            return ClockBoundReadResult.TRUNCATED;
        }
    }

    private ClockBoundReadResult readMapped(final ClockBoundSnapshot out)
    {
        final MappedByteBuffer buffer = segment;
        if ((int)INT.get(buffer, MAGIC_0_OFFSET) != MAGIC_0 || (int)INT.get(buffer, MAGIC_1_OFFSET) != MAGIC_1)
        {
            return ClockBoundReadResult.BAD_MAGIC;
        }
        final int version = (short)SHORT.getAcquire(buffer, VERSION_OFFSET) & 0xFFFF;
        if (version != SUPPORTED_VERSION)
        {
            return version == 0 ? ClockBoundReadResult.NOT_INITIALIZED : ClockBoundReadResult.UNSUPPORTED_VERSION;
        }
        for (int attempt = 0; attempt < maxRetries; attempt++)
        {
            final int generation = (short)SHORT.getAcquire(buffer, GENERATION_OFFSET) & 0xFFFF;
            if (generation == 0)
            {
                return ClockBoundReadResult.NOT_INITIALIZED;
            }
            if ((generation & 1) != 0)
            {
                // Mid-update: like AWS's client, do not wait for the writer; the last good snapshot ages from
                // its own as-of, so serving it is honest.
                final Snapshot good = lastGood;
                if (good != null)
                {
                    good.copyTo(out);
                    return ClockBoundReadResult.OK;
                }
                Thread.onSpinWait();
                continue;
            }
            final long asOfSeconds = (long)LONG.get(buffer, AS_OF_SECONDS_OFFSET);
            final long asOfNanos = (long)LONG.get(buffer, AS_OF_NANOS_OFFSET);
            final long voidAfterSeconds = (long)LONG.get(buffer, VOID_AFTER_SECONDS_OFFSET);
            final long voidAfterNanos = (long)LONG.get(buffer, VOID_AFTER_NANOS_OFFSET);
            final long boundNs = (long)LONG.get(buffer, BOUND_NS_OFFSET);
            final long disruptionMarker = (long)LONG.get(buffer, DISRUPTION_MARKER_OFFSET);
            final long maxDriftPpb = (int)INT.get(buffer, MAX_DRIFT_PPB_OFFSET) & 0xFFFF_FFFFL;
            final int statusCode = (int)INT.get(buffer, CLOCK_STATUS_OFFSET);
            final boolean disruptionSupported = buffer.get(DISRUPTION_SUPPORT_OFFSET) != 0;
            // The fields are read before the second generation read: pairs with the writer's odd store
            // before its field stores (a changed generation means the copy may be torn).
            VarHandle.loadLoadFence();
            if (((short)SHORT.getAcquire(buffer, GENERATION_OFFSET) & 0xFFFF) != generation)
            {
                continue;
            }
            if (!isValid(asOfSeconds, asOfNanos, voidAfterSeconds, voidAfterNanos, boundNs, maxDriftPpb, statusCode))
            {
                return ClockBoundReadResult.MALFORMED;
            }
            final long asOfNs = asOfSeconds * NANOS_PER_SECOND + asOfNanos;
            final long voidAfterNs = voidAfterSeconds * NANOS_PER_SECOND + voidAfterNanos;
            out.set(generation, asOfNs, voidAfterNs, boundNs, disruptionMarker, maxDriftPpb, statusCode,
                disruptionSupported);
            final Snapshot good = lastGood;
            if (good == null || good.generation != generation || good.asOfNs != asOfNs)
            {
                lastGood = new Snapshot(generation, asOfNs, voidAfterNs, boundNs, disruptionMarker, maxDriftPpb,
                    statusCode, disruptionSupported);
            }
            return ClockBoundReadResult.OK;
        }
        final Snapshot good = lastGood;
        if (good != null)
        {
            good.copyTo(out);
            return ClockBoundReadResult.OK;
        }
        return ClockBoundReadResult.WRITER_STALLED;
    }

    private VmClockDevice vmClockDevice()
    {
        final VmClockDevice device = vmClock;
        if (device != null || System.nanoTime() - nextVmClockOpenNs < 0)
        {
            return device;
        }
        synchronized (this)
        {
            if (vmClock == null && !closed && System.nanoTime() - nextVmClockOpenNs >= 0)
            {
                try
                {
                    vmClock = VmClockDevice.open(vmClockPath);
                }
                catch (final IOException | RuntimeException ex)
                {
                    nextVmClockOpenNs = System.nanoTime() + VMCLOCK_REOPEN_INTERVAL_NS;
                }
            }
            return vmClock;
        }
    }

    private static boolean isValid(
        final long asOfSeconds,
        final long asOfNanos,
        final long voidAfterSeconds,
        final long voidAfterNanos,
        final long boundNs,
        final long maxDriftPpb,
        final int statusCode)
    {
        return asOfSeconds >= 0 && asOfSeconds <= MAX_SECONDS && asOfNanos >= 0 && asOfNanos < NANOS_PER_SECOND &&
            voidAfterSeconds >= 0 && voidAfterSeconds <= MAX_SECONDS && voidAfterNanos >= 0 &&
            voidAfterNanos < NANOS_PER_SECOND && boundNs >= 0 && maxDriftPpb < NANOS_PER_SECOND &&
            statusCode >= 0 && statusCode <= ClockStatus.DISRUPTED.code();
    }

    static long errorBoundAt(
        final long monotonicNs,
        final long asOfNs,
        final long voidAfterNs,
        final long boundNs,
        final long maxDriftPpb,
        final int statusCode)
    {
        final ClockStatus written = ClockStatus.fromCode(statusCode);
        if (!written.isBounded())
        {
            return ErrorBounds.of(ErrorBounds.MAX_BOUND_NS, written);
        }
        long elapsedNs = monotonicNs - asOfNs;
        if (((monotonicNs ^ asOfNs) & (monotonicNs ^ elapsedNs)) < 0)
        {
            return ErrorBounds.UNKNOWN;
        }
        if (elapsedNs < 0)
        {
            if (elapsedNs < -CAUSALITY_TOLERANCE_NS)
            {
                return ErrorBounds.UNKNOWN;
            }
            elapsedNs = -elapsedNs;
        }
        final ClockStatus status;
        if (monotonicNs - asOfNs < RESTART_GRACE_NS)
        {
            status = written;
        }
        else if (monotonicNs < voidAfterNs)
        {
            status = ClockStatus.FREE_RUNNING;
        }
        else
        {
            return ErrorBounds.UNKNOWN;
        }
        final long driftNs = DriftErrorBound.driftNs(elapsedNs, maxDriftPpb, NANOS_PER_SECOND - maxDriftPpb);
        return ErrorBounds.of(ErrorBoundedClock.saturatedAdd(boundNs, driftNs), status);
    }

    /**
     * @return the VMClock device consulted while the daemon has clock disruption support.
     */
    public Path vmClockPath()
    {
        return vmClockPath;
    }

    /**
     * @return the mapped file.
     */
    public Path path()
    {
        return path;
    }

    /**
     * Stops reading: later reads report {@link ClockBoundReadResult#CLOSED} / {@link ClockStatus#UNKNOWN}.
     * Idempotent.
     */
    @Override
    public void close()
    {
        closed = true;
        try
        {
            sizeProbe.close();
        }
        catch (final IOException ex)
        {
            // nothing left to release
        }
        synchronized (this)
        {
            final VmClockDevice device = vmClock;
            if (device != null)
            {
                device.close();
            }
        }
    }

    /** The last consistent snapshot, immutable so a reader sees all of it or none. */
    private static final class Snapshot
    {
        final int generation;
        final long asOfNs;
        final long voidAfterNs;
        final long boundNs;
        final long disruptionMarker;
        final long maxDriftPpb;
        final int statusCode;
        final boolean disruptionSupported;

        Snapshot(
            final int generation,
            final long asOfNs,
            final long voidAfterNs,
            final long boundNs,
            final long disruptionMarker,
            final long maxDriftPpb,
            final int statusCode,
            final boolean disruptionSupported)
        {
            this.generation = generation;
            this.asOfNs = asOfNs;
            this.voidAfterNs = voidAfterNs;
            this.boundNs = boundNs;
            this.disruptionMarker = disruptionMarker;
            this.maxDriftPpb = maxDriftPpb;
            this.statusCode = statusCode;
            this.disruptionSupported = disruptionSupported;
        }

        void copyTo(final ClockBoundSnapshot out)
        {
            out.set(generation, asOfNs, voidAfterNs, boundNs, disruptionMarker, maxDriftPpb, statusCode,
                disruptionSupported);
        }
    }

    @Override
    public String toString()
    {
        return "ClockBoundShm{" + path + (closed ? ", closed" : "") + "}";
    }
}
