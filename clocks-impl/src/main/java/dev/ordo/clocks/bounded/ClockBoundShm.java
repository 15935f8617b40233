package dev.ordo.clocks.bounded;

import dev.ordo.clocks.api.ClockStatus;
import dev.ordo.clocks.api.ErrorBoundSource;
import dev.ordo.clocks.api.ErrorBounds;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Reads the error bound that the AWS ClockBound daemon (2.x) publishes in shared memory, in pure Java and
 * without any JVM flag. The segment (by default the file {@value #DEFAULT_PATH}) is read with {@code read}
 * system calls, never memory-mapped, and each thread keeps its own copy of it for at most
 * {@code refreshIntervalNs} (default {@value #DEFAULT_REFRESH_INTERVAL_NS} ns): most reads are served from
 * that copy without a system call.
 *
 * <p>Layout, protocol version 2 (80 bytes, native endian; offsets are the constants below): magic
 * {@code [u32; 2] = 0x414D5A4E, 0x43420200}; segment size u32; version u16 = 2; generation u16; as-of and
 * void-after as {@code timespec} (two i64 each) of {@code CLOCK_MONOTONIC_COARSE}; bound i64 ns; disruption
 * marker u64; max drift u32 ppb; clock status i32; clock disruption support u8; padding.
 *
 * <p><b>Why not a mapping.</b> The daemon wipes its segment by truncating the file and rewriting it. Touching
 * a mapped page past the end of a file raises {@code SIGBUS}; HotSpot skips the faulting load (the read
 * returns garbage) and raises an {@link InternalError} asynchronously, at a later safepoint poll, which in
 * compiled code can be after the read returned, in its caller's code: no {@code catch} in the reader can be
 * relied on, and checking the file's size first leaves a window between the check and the copy. A reader
 * looping under a truncating writer on JDK 17 died of exactly that, through its own
 * {@code catch (Throwable)}. A {@code read} of a truncated file cannot fault: it returns fewer bytes, and the
 * read reports {@link ClockBoundReadResult#TRUNCATED}.
 *
 * <p><b>Refresh.</b> A refresh reads the header (16 bytes), then the fields (64 bytes), then the generation
 * again, each with one {@code seek} and one {@code read} on the file opened by {@link #open}, under that
 * file's lock (one descriptor, one file pointer): six system calls, a few microseconds (see
 * {@code docs/benchmarks.md}). A thread refreshes its copy on its first read and on its first read at least
 * {@code refreshIntervalNs} after its previous refresh began (measured on the monotonic clock,
 * {@link System#nanoTime()}); in between it gets the result and the snapshot of that refresh again. Nothing
 * on the read path throws: a file that is short, closed or unreadable gives a result, not an exception. So a read reflects the segment as it was at most {@code refreshIntervalNs}
 * earlier: a new bound or status, a wipe ({@link ClockBoundReadResult#NOT_INITIALIZED}) or a truncation shows
 * at most that much later. The bound of a copy keeps growing from its own as-of and its status ages by its
 * own void-after, exactly as for the last good snapshot below, so a copy is never presented as fresher than
 * it is; with the default of 1 ms and a daemon that writes about once a second, a copy is at most a
 * thousandth of an update period older than the segment. {@code refreshIntervalNs = 0} reads the file on
 * every call. The VMClock check (below) is never cached.
 *
 * <p>Read protocol (the writer bumps the generation to odd before an update and to even after, never to 0):
 * read the generation; if 0, the segment is not initialized; copy the fields; re-read the generation and
 * retry if it changed, each read a separate system call with a load fence between them. A truncation between
 * two of these reads ends the refresh ({@link ClockBoundReadResult#TRUNCATED}) or shows as a changed or zero
 * generation (the daemon's wipe writes generation and version 0), so a torn copy is not accepted. <b>Last
 * good snapshot</b>: like AWS's client, a read that finds the writer mid-update (odd generation) does not
 * wait for it: it serves the last consistent snapshot this reader took, and the bound of that snapshot keeps
 * growing from its own as-of (and its status ages to {@link ClockStatus#FREE_RUNNING} and
 * {@link ClockStatus#UNKNOWN} by its own void-after), so an old snapshot is never presented as fresher than
 * it is. Only before any good read, or when the generation keeps changing for {@code maxRetries} attempts
 * without a snapshot to fall back on, does a read report {@link ClockBoundReadResult#WRITER_STALLED}.
 *
 * <p><b>VM clock disruption</b> (AWS ClockBound's VMClock check). When the daemon runs with clock disruption
 * support (the segment's flag), its status is trusted only while the disruption marker it last copied equals
 * the one in the VMClock device (by default {@value #DEFAULT_VMCLOCK_PATH}): after a live migration or a
 * snapshot restore the hypervisor bumps the device's marker at once, while the daemon may take a long time to
 * notice. A different marker reads as {@link ClockBoundReadResult#VMCLOCK_DISRUPTED}, a device that cannot be
 * read as {@link ClockBoundReadResult#VMCLOCK_UNAVAILABLE}; both are {@link ClockStatus#UNKNOWN}. Each such
 * check is one {@code read} system call on the device, on every read (the JVM cannot map a character
 * device); a daemon without disruption support costs nothing.
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
 * <p><b>Read order</b> (as a bounded clock's source), AWS's client's: {@link #snapshot()} takes this thread's
 * copy of the segment (refreshed from the file when it is due, as {@link #read(ClockBoundSnapshot)} does) before
 * the clock reads its real-time clock, and {@link #errorBoundFrom(Object, long)} does the VMClock check after the
 * monotonic read. So a sync the daemon publishes while a reading thread is held between its reads cannot narrow
 * a reading taken before it, and a disruption the hypervisor signals meanwhile (it bumps the VMClock marker at
 * once, even while the VM is paused between two of the reader's instructions) makes the read
 * {@link ClockStatus#UNKNOWN}. A newer generation published between the copy and the clock reads is not looked
 * for: by ClockBound's model an older snapshot's bound, grown by the drift term from its own as-of, still covers
 * later readings (the same model that lets a reader serve its copy for the refresh interval, and its last good
 * snapshot while the daemon writes); the daemon writes {@code Disrupted} after the VMClock marker changed, which
 * the check after the reading sees directly.
 *
 * <p>Concurrency contract: {@link #read}, {@link #errorBound}, {@link #snapshot}, {@link #errorBoundFrom} and
 * {@link #close} are thread-safe (a snapshot is this thread's copy: hand it to {@link #errorBoundFrom} on the
 * same thread before its next snapshot of this source; its reads and errorBound calls in between leave it
 * as it was, and on any other thread, or another reader, it reads as unknown). A read
 * served from the calling thread's copy is lock-free, makes no system call and allocates nothing; a refresh
 * takes the file's lock for each of its three {@code seek}+{@code read} pairs (a thread descheduled inside
 * one delays other threads' refreshes, never their reads from their copies). Allocation: each thread
 * allocates its copy (about 250 bytes) on its first read, and the first reader to see a new generation
 * publishes it as the last good snapshot (one small immutable object per daemon update, about once a
 * second). {@link #close()} closes the file under its lock, so it never pulls a descriptor from under a
 * refresh; after closing, reads report {@link ClockBoundReadResult#CLOSED}. The reader reads the file it
 * opened: if the file is deleted and created anew (rather than rewritten in place, which is what the daemon
 * does), the reader keeps reading the old one, whose bound ages to {@link ClockStatus#UNKNOWN} at its
 * void-after; reopen it.
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
    /**
     * Default for how long a thread serves reads from its copy of the segment before it reads the file
     * again, ns (1 ms).
     */
    public static final long DEFAULT_REFRESH_INTERVAL_NS = 1_000_000L;
    /** Largest refresh interval {@link #open(Path, Path, int, long)} accepts, ns (1 s, the daemon's period). */
    public static final long MAX_REFRESH_INTERVAL_NS = 1_000_000_000L;
    /** How often a VMClock device that could not be opened is tried again, ns. */
    static final long VMCLOCK_REOPEN_INTERVAL_NS = 1_000_000_000L;

    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final long MAX_SECONDS = Long.MAX_VALUE / NANOS_PER_SECOND - 1;
    /** Magic, segment size, version and generation: the first read of a refresh. */
    private static final int HEADER_LENGTH = 16;
    private static final int FIELDS_LENGTH = SEGMENT_LENGTH - HEADER_LENGTH;
    private static final int GENERATION_LENGTH = 2;
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.nativeOrder());
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.nativeOrder());
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());

    private final Path path;
    /** Read with seek + read pairs and closed, both under its own monitor (one file pointer). */
    private final RandomAccessFile file;
    private final int maxRetries;
    private final long refreshIntervalNs;
    private final NanoClock nanoClock;
    private final Path vmClockPath;
    private final ThreadLocal<ReaderCopy> copies = ThreadLocal.withInitial(ReaderCopy::new);
    private volatile VmClockDevice vmClock;
    private volatile long nextVmClockOpenNs;
    private volatile Snapshot lastGood;
    private volatile boolean closed;

    private ClockBoundShm(
        final Path path,
        final RandomAccessFile file,
        final int maxRetries,
        final long refreshIntervalNs,
        final NanoClock nanoClock,
        final Path vmClockPath)
    {
        this.path = path;
        this.file = file;
        this.maxRetries = maxRetries;
        this.refreshIntervalNs = refreshIntervalNs;
        this.nanoClock = nanoClock;
        this.vmClockPath = vmClockPath;
        this.nextVmClockOpenNs = System.nanoTime();
    }

    /**
     * Opens {@value #DEFAULT_PATH}, checking disruptions against {@value #DEFAULT_VMCLOCK_PATH}, with the
     * default refresh interval.
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
     * Opens a segment, checking disruptions against {@value #DEFAULT_VMCLOCK_PATH}, with the default refresh
     * interval.
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
     * Opens a segment, checking disruptions against {@value #DEFAULT_VMCLOCK_PATH}, with the default refresh
     * interval.
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
     * Opens a segment with a VMClock device of your choice (AWS's client calls it {@code vmclock_shm_path}),
     * with the default refresh interval.
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
     * {@link #open(Path, Path, int, long)} with the default refresh interval,
     * {@value #DEFAULT_REFRESH_INTERVAL_NS} ns.
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
        return open(path, vmClockPath, maxRetries, DEFAULT_REFRESH_INTERVAL_NS);
    }

    /**
     * Opens the file and checks its header. A segment whose version and generation are still 0 is accepted
     * (the daemon is starting): reads report {@link ClockBoundReadResult#NOT_INITIALIZED} until it is written.
     * The VMClock device is opened now if it exists; if it cannot be, nothing fails here: reads that need it
     * (the daemon has disruption support) report {@link ClockBoundReadResult#VMCLOCK_UNAVAILABLE} and try to
     * open it again at most once a second.
     *
     * @param path              the segment file.
     * @param vmClockPath       the VMClock device consulted while the daemon has clock disruption support.
     * @param maxRetries        read attempts before a read reports {@link ClockBoundReadResult#WRITER_STALLED},
     *                          {@code >= 1}.
     * @param refreshIntervalNs how long each thread serves reads from its copy of the segment before it reads
     *                          the file again, ns, 0 to {@value #MAX_REFRESH_INTERVAL_NS}; 0 reads the file on
     *                          every read (six system calls a read).
     * @return the reader.
     * @throws IOException              when the file cannot be read or is not a ClockBound version 2 segment
     *                                  ({@link ClockBoundSegmentException} with the reason).
     * @throws IllegalArgumentException if {@code maxRetries < 1} or {@code refreshIntervalNs} is out of range.
     * @throws NullPointerException     if a path is null.
     */
    public static ClockBoundShm open(
        final Path path, final Path vmClockPath, final int maxRetries, final long refreshIntervalNs)
        throws IOException
    {
        return open(path, vmClockPath, maxRetries, refreshIntervalNs, SystemNanoClock.INSTANCE);
    }

    /**
     * {@link #open(Path, Path, int, long)} with the monotonic clock that times the refreshes (tests).
     */
    static ClockBoundShm open(
        final Path path,
        final Path vmClockPath,
        final int maxRetries,
        final long refreshIntervalNs,
        final NanoClock nanoClock) throws IOException
    {
        if (maxRetries < 1)
        {
            throw new IllegalArgumentException("maxRetries must be >= 1: " + maxRetries);
        }
        if (refreshIntervalNs < 0 || refreshIntervalNs > MAX_REFRESH_INTERVAL_NS)
        {
            throw new IllegalArgumentException("refreshIntervalNs must be 0 to " + MAX_REFRESH_INTERVAL_NS + ": " +
                refreshIntervalNs);
        }
        Objects.requireNonNull(vmClockPath, "vmClockPath");
        Objects.requireNonNull(nanoClock, "nanoClock");
        if (Files.exists(path) && !Files.isRegularFile(path))
        {
            // Opening a FIFO for reading blocks until a writer opens it; a device is not a segment either.
            throw new ClockBoundSegmentException(ClockBoundReadResult.MALFORMED,
                "ClockBound segment " + path + " is not a regular file");
        }
        final RandomAccessFile file = new RandomAccessFile(path.toFile(), "r");
        try
        {
            checkHeader(path, file);
            final ClockBoundShm shm = new ClockBoundShm(path, file, maxRetries, refreshIntervalNs, nanoClock, vmClockPath);
            if (Files.exists(vmClockPath))
            {
                shm.vmClockDevice(); // eager: most hosts with the device have a daemon that uses it
            }
            return shm;
        }
        catch (final IOException | RuntimeException ex)
        {
            file.close();
            throw ex;
        }
    }

    private static void checkHeader(final Path path, final RandomAccessFile file) throws IOException
    {
        final long fileSize = file.length();
        if (fileSize < SEGMENT_LENGTH)
        {
            throw new ClockBoundSegmentException(ClockBoundReadResult.MALFORMED,
                "ClockBound segment " + path + " is " + fileSize + " bytes, a version 2 segment needs " +
                SEGMENT_LENGTH);
        }
        final byte[] header = new byte[HEADER_LENGTH];
        file.seek(0);
        file.readFully(header);
        final int magic0 = (int)INT.get(header, MAGIC_0_OFFSET);
        final int magic1 = (int)INT.get(header, MAGIC_1_OFFSET);
        if (magic0 != MAGIC_0 || magic1 != MAGIC_1)
        {
            throw new ClockBoundSegmentException(ClockBoundReadResult.BAD_MAGIC,
                "not a ClockBound segment: " + path + " starts with magic 0x" + Integer.toHexString(magic0) + " 0x" +
                Integer.toHexString(magic1) + ", expected 0x" + Integer.toHexString(MAGIC_0) + " 0x" +
                Integer.toHexString(MAGIC_1));
        }
        final long segmentSize = (int)INT.get(header, SEGMENT_SIZE_OFFSET) & 0xFFFF_FFFFL;
        if (segmentSize < SEGMENT_LENGTH || segmentSize > fileSize)
        {
            throw new ClockBoundSegmentException(ClockBoundReadResult.MALFORMED,
                "ClockBound segment " + path + " declares a segment size of " + segmentSize + " bytes; need " +
                SEGMENT_LENGTH + " to " + fileSize + " (the file's size)");
        }
        final int version = (short)SHORT.get(header, VERSION_OFFSET) & 0xFFFF;
        if (version != 0 && version != SUPPORTED_VERSION)
        {
            throw new ClockBoundSegmentException(ClockBoundReadResult.UNSUPPORTED_VERSION,
                "ClockBound segment " + path + " has layout version " + version + "; only version " +
                SUPPORTED_VERSION + " (ClockBound daemon 2.x) is supported");
        }
    }

    /**
     * Takes a consistent snapshot of the segment (from the calling thread's copy while it is younger than
     * the refresh interval; or the last good one while the writer is mid-update) and, when the daemon has
     * clock disruption support, checks its disruption marker against the VMClock device.
     *
     * @param out where to copy the fields; written when the result is {@link ClockBoundReadResult#OK},
     *            {@link ClockBoundReadResult#VMCLOCK_DISRUPTED} or {@link ClockBoundReadResult#VMCLOCK_UNAVAILABLE}
     *            (a consistent snapshot was read but the VMClock check did not pass), untouched otherwise.
     * @return {@link ClockBoundReadResult#OK} or why no trustworthy snapshot could be read.
     */
    public ClockBoundReadResult read(final ClockBoundSnapshot out)
    {
        final ReaderCopy copy = copies.get();
        final ClockBoundReadResult result = segment(copy);
        if (result != ClockBoundReadResult.OK)
        {
            return result;
        }
        out.copyFrom(copy.snapshot);
        return vmClockCheck(copy.snapshot);
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
        final ReaderCopy copy = copies.get();
        if (segment(copy) != ClockBoundReadResult.OK || vmClockCheck(copy.snapshot) != ClockBoundReadResult.OK)
        {
            return ErrorBounds.UNKNOWN;
        }
        return copy.snapshot.errorBound(monotonicNs);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Here: this thread's copy of the segment (refreshed from the file when it is due, as
     * {@link #read(ClockBoundSnapshot)} does), which is returned, or {@code null} when no consistent snapshot
     * could be read. The VMClock check waits for {@link #errorBoundFrom(Object, long)}.
     */
    @Override
    public Object snapshot()
    {
        final ReaderCopy copy = copies.get();
        if (segment(copy) != ClockBoundReadResult.OK)
        {
            return null;
        }
        // A copy of its own, so that this thread's errorBound or read before errorBoundFrom (which refresh
        // copy.snapshot) cannot turn the snapshot into a newer state: only its next snapshot() replaces it.
        copy.handed.copyFrom(copy.snapshot);
        return copy.handed;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Here: the VMClock check (see the class javadoc), then the snapshot's bound at {@code monotonicNs};
     * {@link ClockStatus#UNKNOWN} for a {@code null} snapshot (the read failed), for anything that is not this
     * thread's last {@link #snapshot()} of this reader (another thread's, another reader's, a
     * {@link ClockBoundSnapshot} filled by {@link #read}), and whenever the check does not pass. This thread's
     * {@link #read} and {@link #errorBound} between the two calls leave the snapshot as it was. Never
     * {@link ErrorBounds#SNAPSHOT_CHANGED}: the segment is not read again (see "Read order" in the class javadoc).
     */
    @Override
    public long errorBoundFrom(final Object snapshot, final long monotonicNs)
    {
        // Only this thread's last snapshot of this reader: another thread's may be rewritten while it is read
        // here, and another reader's (or a ClockBoundSnapshot filled by read) is not this reader's state.
        final ClockBoundSnapshot taken = copies.get().handed;
        if (snapshot != taken)
        {
            return ErrorBounds.UNKNOWN;
        }
        return vmClockCheck(taken) == ClockBoundReadResult.OK ? taken.errorBound(monotonicNs) : ErrorBounds.UNKNOWN;
    }

    /**
     * The calling thread's copy, refreshed from the file when it is due. Its snapshot is valid when the
     * result is OK.
     */
    private ClockBoundReadResult segment(final ReaderCopy copy)
    {
        if (closed)
        {
            return ClockBoundReadResult.CLOSED;
        }
        final long nowNs = nanoClock.nanoTime();
        final ClockBoundReadResult cached = copy.result;
        final long ageNs = nowNs - copy.refreshedAtNs;
        // Fast path: this thread's last refresh began less than refreshIntervalNs ago (by a clock that does
        // not go back: a copy from the future is refreshed too). Only this thread reads or writes its copy,
        // and a copy holds what a read of the file returned then, so serving it is serving a read made
        // ageNs earlier.
        if (cached != null && ageNs >= 0 && ageNs < refreshIntervalNs)
        {
            return cached;
        }
        final ClockBoundReadResult result = readFile(copy);
        copy.result = result;
        copy.refreshedAtNs = nowNs;
        return result;
    }

    private ClockBoundReadResult readFile(final ReaderCopy copy)
    {
        final byte[] bytes = copy.bytes;
        ClockBoundReadResult failure = readAt(0, HEADER_LENGTH, bytes, 0);
        if (failure != null)
        {
            return failure;
        }
        if ((int)INT.get(bytes, MAGIC_0_OFFSET) != MAGIC_0 || (int)INT.get(bytes, MAGIC_1_OFFSET) != MAGIC_1)
        {
            return ClockBoundReadResult.BAD_MAGIC;
        }
        final int version = (short)SHORT.get(bytes, VERSION_OFFSET) & 0xFFFF;
        if (version != SUPPORTED_VERSION)
        {
            return version == 0 ? ClockBoundReadResult.NOT_INITIALIZED : ClockBoundReadResult.UNSUPPORTED_VERSION;
        }
        int generation = (short)SHORT.get(bytes, GENERATION_OFFSET) & 0xFFFF;
        for (int attempt = 0; attempt < maxRetries; attempt++)
        {
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
                    good.copyTo(copy.snapshot);
                    return ClockBoundReadResult.OK;
                }
                Thread.onSpinWait();
            }
            else
            {
                // Seqlock over system calls: the generation was read (by the kernel, in an earlier call)
                // before the fields, and the fields before the generation is read again; the fences keep the
                // CPU from reordering those loads across the calls (a no-op on x86).
                VarHandle.loadLoadFence();
                failure = readAt(HEADER_LENGTH, FIELDS_LENGTH, bytes, HEADER_LENGTH);
                if (failure != null)
                {
                    return failure;
                }
                VarHandle.loadLoadFence();
            }
            failure = readAt(GENERATION_OFFSET, GENERATION_LENGTH, copy.generation, 0);
            if (failure != null)
            {
                return failure;
            }
            final int again = (short)SHORT.get(copy.generation, 0) & 0xFFFF;
            if ((generation & 1) == 0 && again == generation)
            {
                return accept(bytes, generation, copy.snapshot);
            }
            generation = again;
        }
        final Snapshot good = lastGood;
        if (good != null)
        {
            good.copyTo(copy.snapshot);
            return ClockBoundReadResult.OK;
        }
        return ClockBoundReadResult.WRITER_STALLED;
    }

    /**
     * Reads {@code length} bytes of the file at {@code position} into {@code into} at {@code offset}: one
     * {@code seek} and (unless the kernel returns fewer bytes) one {@code read}, under the file's lock.
     *
     * @return null when all were read; {@link ClockBoundReadResult#TRUNCATED} when the file ends first (or a
     * read fails); {@link ClockBoundReadResult#CLOSED} after {@link #close()}.
     */
    private ClockBoundReadResult readAt(final long position, final int length, final byte[] into, final int offset)
    {
        synchronized (file)
        {
            if (closed)
            {
                return ClockBoundReadResult.CLOSED;
            }
            try
            {
                file.seek(position);
                int done = 0;
                while (done < length)
                {
                    final int n = file.read(into, offset + done, length - done);
                    if (n < 0)
                    {
                        return ClockBoundReadResult.TRUNCATED;
                    }
                    done += n;
                }
                return null;
            }
            catch (final IOException ex)
            {
                return ClockBoundReadResult.TRUNCATED;
            }
        }
    }

    private ClockBoundReadResult accept(final byte[] bytes, final int generation, final ClockBoundSnapshot out)
    {
        final long asOfSeconds = (long)LONG.get(bytes, AS_OF_SECONDS_OFFSET);
        final long asOfNanos = (long)LONG.get(bytes, AS_OF_NANOS_OFFSET);
        final long voidAfterSeconds = (long)LONG.get(bytes, VOID_AFTER_SECONDS_OFFSET);
        final long voidAfterNanos = (long)LONG.get(bytes, VOID_AFTER_NANOS_OFFSET);
        final long boundNs = (long)LONG.get(bytes, BOUND_NS_OFFSET);
        final long disruptionMarker = (long)LONG.get(bytes, DISRUPTION_MARKER_OFFSET);
        final long maxDriftPpb = (int)INT.get(bytes, MAX_DRIFT_PPB_OFFSET) & 0xFFFF_FFFFL;
        final int statusCode = (int)INT.get(bytes, CLOCK_STATUS_OFFSET);
        final boolean disruptionSupported = bytes[DISRUPTION_SUPPORT_OFFSET] != 0;
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

    /** The VMClock check of a consistent snapshot: never cached, one device read when the daemon needs it. */
    private ClockBoundReadResult vmClockCheck(final ClockBoundSnapshot snapshot)
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
     * @return the segment file.
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
        synchronized (file) // never while a refresh reads it: its descriptor could be reused by then
        {
            try
            {
                file.close();
            }
            catch (final IOException ex)
            {
                // nothing left to release
            }
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

    /**
     * One thread's copy of the segment: the bytes of its last refresh, the snapshot and result that refresh
     * gave, and when it began. Confined to its thread.
     */
    private static final class ReaderCopy
    {
        final byte[] bytes = new byte[SEGMENT_LENGTH];
        final byte[] generation = new byte[GENERATION_LENGTH];
        final ClockBoundSnapshot snapshot = new ClockBoundSnapshot();
        // What snapshot() last returned on this thread; changed only by the next snapshot().
        final ClockBoundSnapshot handed = new ClockBoundSnapshot();
        ClockBoundReadResult result;
        long refreshedAtNs;
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
