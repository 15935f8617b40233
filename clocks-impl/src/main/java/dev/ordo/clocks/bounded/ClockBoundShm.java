package dev.ordo.clocks.bounded;

import dev.ordo.clocks.api.ClockStatus;
import dev.ordo.clocks.api.ErrorBoundSource;
import dev.ordo.clocks.api.ErrorBounds;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.lang.invoke.VarHandle;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads the error bound that the AWS ClockBound daemon (2.x) publishes in shared memory, in pure Java: the
 * file (by default {@value #DEFAULT_PATH}) is memory-mapped once and every read goes through an Agrona
 * {@link UnsafeBuffer} in native byte order, without allocation or system calls.
 *
 * <p>Layout, protocol version 2 (80 bytes, native endian; offsets are the constants below): magic
 * {@code [u32; 2] = 0x414D5A4E, 0x43420200}; segment size u32; version u16 = 2; generation u16; as-of and
 * void-after as {@code timespec} (two i64 each) of {@code CLOCK_MONOTONIC_COARSE}; bound i64 ns; disruption
 * marker u64; max drift u32 ppb; clock status i32; clock disruption support u8; padding.
 *
 * <p>Read protocol (the writer bumps the generation to odd before an update and to even after, never to 0):
 * read the generation; if 0, the segment is not initialized; if odd, retry; copy the fields; re-read the
 * generation and retry if it changed. After {@code maxRetries} failed attempts the writer is considered
 * stalled and the read reports {@link ClockBoundReadResult#WRITER_STALLED} (and {@link ClockStatus#UNKNOWN}).
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
 * <p>Concurrency contract: the reader keeps no mutable state besides the closed flag, so {@link #read},
 * {@link #errorBound} and {@link #close} are thread-safe; reads are lock-free (they spin only while the
 * writer is mid-update, at most {@code maxRetries} times) and allocation-free. {@link #close()} does not
 * unmap the file (unmapping under a concurrent reader would crash the JVM): the mapping is released when
 * this object becomes unreachable; after closing, reads report {@link ClockBoundReadResult#CLOSED}.
 */
public final class ClockBoundShm implements ErrorBoundSource, AutoCloseable
{
    /** Where the ClockBound 2.x daemon writes its segment. */
    public static final String DEFAULT_PATH = "/var/run/clockbound/shm0";

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

    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final long MAX_SECONDS = Long.MAX_VALUE / NANOS_PER_SECOND - 1;
    private static final int MAX_MAPPED_LENGTH = 1 << 16;

    private final Path path;
    private final UnsafeBuffer buffer;
    private final int maxRetries;
    private volatile boolean closed;

    private ClockBoundShm(final Path path, final UnsafeBuffer buffer, final int maxRetries)
    {
        this.path = path;
        this.buffer = buffer;
        this.maxRetries = maxRetries;
    }

    /**
     * Opens {@value #DEFAULT_PATH}.
     *
     * @return the reader.
     * @throws IOException when the file cannot be read or is not a ClockBound version 2 segment
     *                     ({@link ClockBoundSegmentException}).
     */
    public static ClockBoundShm open() throws IOException
    {
        return open(Path.of(DEFAULT_PATH), DEFAULT_MAX_RETRIES);
    }

    /**
     * @param path the segment file.
     * @return the reader.
     * @throws IOException when the file cannot be read or is not a ClockBound version 2 segment
     *                     ({@link ClockBoundSegmentException}).
     */
    public static ClockBoundShm open(final Path path) throws IOException
    {
        return open(path, DEFAULT_MAX_RETRIES);
    }

    /**
     * Maps the file and checks its header. A segment whose version and generation are still 0 is accepted
     * (the daemon is starting): reads report {@link ClockBoundReadResult#NOT_INITIALIZED} until it is written.
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
        if (maxRetries < 1)
        {
            throw new IllegalArgumentException("maxRetries must be >= 1: " + maxRetries);
        }
        final MappedByteBuffer mapped;
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ))
        {
            final long fileSize = channel.size();
            if (fileSize < SEGMENT_LENGTH)
            {
                throw new ClockBoundSegmentException(ClockBoundReadResult.MALFORMED,
                    "ClockBound segment " + path + " is " + fileSize + " bytes, a version 2 segment needs " +
                    SEGMENT_LENGTH);
            }
            mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, Math.min(fileSize, MAX_MAPPED_LENGTH));
        }
        final UnsafeBuffer buffer = new UnsafeBuffer(mapped);
        final int magic0 = buffer.getInt(MAGIC_0_OFFSET);
        final int magic1 = buffer.getInt(MAGIC_1_OFFSET);
        if (magic0 != MAGIC_0 || magic1 != MAGIC_1)
        {
            throw new ClockBoundSegmentException(ClockBoundReadResult.BAD_MAGIC,
                "not a ClockBound segment: " + path + " starts with magic 0x" + Integer.toHexString(magic0) + " 0x" +
                Integer.toHexString(magic1) + ", expected 0x" + Integer.toHexString(MAGIC_0) + " 0x" +
                Integer.toHexString(MAGIC_1));
        }
        final long segmentSize = buffer.getInt(SEGMENT_SIZE_OFFSET) & 0xFFFF_FFFFL;
        if (segmentSize < SEGMENT_LENGTH || segmentSize > buffer.capacity())
        {
            throw new ClockBoundSegmentException(ClockBoundReadResult.MALFORMED,
                "ClockBound segment " + path + " declares a segment size of " + segmentSize + " bytes; need " +
                SEGMENT_LENGTH + " to " + buffer.capacity() + " (the mapped file)");
        }
        final int version = buffer.getShortVolatile(VERSION_OFFSET) & 0xFFFF;
        if (version != 0 && version != SUPPORTED_VERSION)
        {
            throw new ClockBoundSegmentException(ClockBoundReadResult.UNSUPPORTED_VERSION,
                "ClockBound segment " + path + " has layout version " + version + "; only version " +
                SUPPORTED_VERSION + " (ClockBound daemon 2.x) is supported");
        }
        return new ClockBoundShm(path, buffer, maxRetries);
    }

    /**
     * Takes a consistent snapshot of the segment.
     *
     * @param out where to copy the fields; written only when the result is {@link ClockBoundReadResult#OK}.
     * @return {@link ClockBoundReadResult#OK} or why no consistent, valid snapshot could be read.
     */
    public ClockBoundReadResult read(final ClockBoundSnapshot out)
    {
        for (int attempt = 0; attempt < maxRetries; attempt++)
        {
            final ClockBoundReadResult header = checkHeader();
            if (header != ClockBoundReadResult.OK)
            {
                return header;
            }
            final int generation = buffer.getShortVolatile(GENERATION_OFFSET) & 0xFFFF;
            if (generation == 0)
            {
                return ClockBoundReadResult.NOT_INITIALIZED;
            }
            if ((generation & 1) != 0)
            {
                Thread.onSpinWait();
                continue;
            }
            final long asOfSeconds = buffer.getLong(AS_OF_SECONDS_OFFSET);
            final long asOfNanos = buffer.getLong(AS_OF_NANOS_OFFSET);
            final long voidAfterSeconds = buffer.getLong(VOID_AFTER_SECONDS_OFFSET);
            final long voidAfterNanos = buffer.getLong(VOID_AFTER_NANOS_OFFSET);
            final long boundNs = buffer.getLong(BOUND_NS_OFFSET);
            final long disruptionMarker = buffer.getLong(DISRUPTION_MARKER_OFFSET);
            final long maxDriftPpb = buffer.getInt(MAX_DRIFT_PPB_OFFSET) & 0xFFFF_FFFFL;
            final int statusCode = buffer.getInt(CLOCK_STATUS_OFFSET);
            final boolean disruptionSupported = buffer.getByte(DISRUPTION_SUPPORT_OFFSET) != 0;
            VarHandle.loadLoadFence();
            if ((buffer.getShortVolatile(GENERATION_OFFSET) & 0xFFFF) != generation)
            {
                continue;
            }
            if (!isValid(asOfSeconds, asOfNanos, voidAfterSeconds, voidAfterNanos, boundNs, maxDriftPpb, statusCode))
            {
                return ClockBoundReadResult.MALFORMED;
            }
            out.set(generation, asOfSeconds * NANOS_PER_SECOND + asOfNanos,
                voidAfterSeconds * NANOS_PER_SECOND + voidAfterNanos, boundNs, disruptionMarker, maxDriftPpb,
                statusCode, disruptionSupported);
            return ClockBoundReadResult.OK;
        }
        return ClockBoundReadResult.WRITER_STALLED;
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
        for (int attempt = 0; attempt < maxRetries; attempt++)
        {
            if (checkHeader() != ClockBoundReadResult.OK)
            {
                return ErrorBounds.UNKNOWN;
            }
            final int generation = buffer.getShortVolatile(GENERATION_OFFSET) & 0xFFFF;
            if (generation == 0)
            {
                return ErrorBounds.UNKNOWN;
            }
            if ((generation & 1) != 0)
            {
                Thread.onSpinWait();
                continue;
            }
            final long asOfSeconds = buffer.getLong(AS_OF_SECONDS_OFFSET);
            final long asOfNanos = buffer.getLong(AS_OF_NANOS_OFFSET);
            final long voidAfterSeconds = buffer.getLong(VOID_AFTER_SECONDS_OFFSET);
            final long voidAfterNanos = buffer.getLong(VOID_AFTER_NANOS_OFFSET);
            final long boundNs = buffer.getLong(BOUND_NS_OFFSET);
            final long maxDriftPpb = buffer.getInt(MAX_DRIFT_PPB_OFFSET) & 0xFFFF_FFFFL;
            final int statusCode = buffer.getInt(CLOCK_STATUS_OFFSET);
            VarHandle.loadLoadFence();
            if ((buffer.getShortVolatile(GENERATION_OFFSET) & 0xFFFF) != generation)
            {
                continue;
            }
            if (!isValid(asOfSeconds, asOfNanos, voidAfterSeconds, voidAfterNanos, boundNs, maxDriftPpb, statusCode))
            {
                return ErrorBounds.UNKNOWN;
            }
            return errorBoundAt(monotonicNs, asOfSeconds * NANOS_PER_SECOND + asOfNanos,
                voidAfterSeconds * NANOS_PER_SECOND + voidAfterNanos, boundNs, maxDriftPpb, statusCode);
        }
        return ErrorBounds.UNKNOWN;
    }

    private ClockBoundReadResult checkHeader()
    {
        if (closed)
        {
            return ClockBoundReadResult.CLOSED;
        }
        if (buffer.getInt(MAGIC_0_OFFSET) != MAGIC_0 || buffer.getInt(MAGIC_1_OFFSET) != MAGIC_1)
        {
            return ClockBoundReadResult.BAD_MAGIC;
        }
        final int version = buffer.getShortVolatile(VERSION_OFFSET) & 0xFFFF;
        if (version == 0)
        {
            return ClockBoundReadResult.NOT_INITIALIZED;
        }
        return version == SUPPORTED_VERSION ? ClockBoundReadResult.OK : ClockBoundReadResult.UNSUPPORTED_VERSION;
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
    }

    @Override
    public String toString()
    {
        return "ClockBoundShm{" + path + (closed ? ", closed" : "") + "}";
    }
}
