package dev.ordo.clocks.jcstress;

import dev.ordo.clocks.bounded.ClockBoundReadResult;
import dev.ordo.clocks.bounded.ClockBoundShm;
import dev.ordo.clocks.bounded.ClockBoundSnapshot;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.JJ_Result;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The ClockBound seqlock: a writer updates the segment the daemon's way (odd generation, fields, even
 * generation) while a reader reads it through {@link ClockBoundShm}, from the file on every read (refresh
 * interval 0: the generation, the fields and the generation again, each a separate read system call). The
 * reader, primed with one good read, must return OK with a whole snapshot, the old one (k = 1, possibly served
 * as the last good snapshot while the generation is odd) or the new one (k = 2), never a mix of the two
 * (r2 = 1: bound = 3k, marker = 5k, void-after = as-of + 10 s) and never a failure (r1 negative: the result's
 * ordinal).
 */
@JCStressTest
@Outcome(id = {"1, 1", "2, 1"}, expect = org.openjdk.jcstress.annotations.Expect.ACCEPTABLE, desc = "a whole snapshot, old or new")
@Outcome(expect = org.openjdk.jcstress.annotations.Expect.FORBIDDEN, desc = "a torn snapshot or a failed read")
@State
public class ClockBoundReaderSeesWholeSnapshotsWhileTheDaemonWrites
{
    private static final long SECOND = 1_000_000_000L;
    private static final VarHandle SHORT = MethodHandles.byteBufferViewVarHandle(short[].class, ByteOrder.nativeOrder());
    private static final VarHandle LONG = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());
    private static final Path DIR = Files.isDirectory(Path.of("/dev/shm")) ? Path.of("/dev/shm") :
        Path.of(System.getProperty("java.io.tmpdir"));

    private final Path file;
    private final ClockBoundShm shm;
    private final MappedByteBuffer writable;
    private final ClockBoundSnapshot snapshot = new ClockBoundSnapshot();

    public ClockBoundReaderSeesWholeSnapshotsWhileTheDaemonWrites()
    {
        try
        {
            file = Files.createTempFile(DIR, "ordo-jcstress-shm", ".seg");
            final ByteBuffer bytes = ByteBuffer.allocate(ClockBoundShm.SEGMENT_LENGTH).order(ByteOrder.nativeOrder());
            bytes.putInt(ClockBoundShm.MAGIC_0).putInt(ClockBoundShm.MAGIC_1).putInt(ClockBoundShm.SEGMENT_LENGTH)
                .putShort((short)ClockBoundShm.SUPPORTED_VERSION).putShort((short)10)
                .putLong(1).putLong(0).putLong(11).putLong(0).putLong(3).putLong(5).putInt(1_000).putInt(1);
            Files.write(file, bytes.array());
            // Refresh interval 0: every read reads the file (seqlock over read system calls), never a copy.
            shm = ClockBoundShm.open(file, file.resolveSibling("no-vmclock"), 1_000, 0);
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE))
            {
                writable = channel.map(FileChannel.MapMode.READ_WRITE, 0, ClockBoundShm.SEGMENT_LENGTH);
            }
            if (shm.read(snapshot) != ClockBoundReadResult.OK)
            {
                throw new IllegalStateException("the initial segment does not read");
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    @Actor
    public void daemon()
    {
        SHORT.setVolatile(writable, ClockBoundShm.GENERATION_OFFSET, (short)11);
        VarHandle.storeStoreFence();
        LONG.set(writable, ClockBoundShm.AS_OF_SECONDS_OFFSET, 2L);
        LONG.set(writable, ClockBoundShm.VOID_AFTER_SECONDS_OFFSET, 12L);
        LONG.set(writable, ClockBoundShm.BOUND_NS_OFFSET, 6L);
        LONG.set(writable, ClockBoundShm.DISRUPTION_MARKER_OFFSET, 10L);
        SHORT.setVolatile(writable, ClockBoundShm.GENERATION_OFFSET, (short)12);
    }

    @Actor
    public void reader(final JJ_Result r)
    {
        final ClockBoundReadResult result = shm.read(snapshot);
        if (result != ClockBoundReadResult.OK)
        {
            r.r1 = -result.ordinal();
            return;
        }
        final long k = snapshot.asOfMonotonicNs() / SECOND;
        r.r1 = k;
        r.r2 = snapshot.boundNs() == 3 * k && snapshot.disruptionMarker() == 5 * k &&
            snapshot.voidAfterMonotonicNs() == snapshot.asOfMonotonicNs() + 10 * SECOND ? 1 : 0;
    }

    @Arbiter
    public void cleanUp(final JJ_Result r)
    {
        shm.close();
        try
        {
            Files.deleteIfExists(file);
        }
        catch (final IOException ex)
        {
            // a temp file left behind is harmless
        }
    }
}
