package dev.ordo.clocks.bounded;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The fencing-token file is read at every start: whatever the disk (or someone with access to the directory)
 * put there gets a one-line "corrupt fencing-token file" IOException, read without a large allocation, and a
 * store never writes through a planted link.
 */
class FencingTokenFileAttackTest
{
    @TempDir
    Path dir;

    @Test
    void aHugeSparseFileShouldBeRefusedAsCorruptWithoutReadingItIntoMemory() throws Exception
    {
        final Path file = dir.resolve("token");
        FileFencingTokenStore.create(file, 5);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
        {
            raf.setLength(3L << 30); // sparse: no disk used, but more than any array can hold
        }
        assertThatThrownBy(() -> FileFencingTokenStore.open(file)).isInstanceOf(IOException.class)
            .hasMessageContaining("corrupt fencing-token file").hasMessageContaining(file.toString());
    }

    @Test
    void aTokenFileLinkedToAnEndlessDeviceShouldBeRefusedAsCorrupt() throws Exception
    {
        final Path zero = Path.of("/dev/zero");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isReadable(zero), "needs /dev/zero");
        final Path file = dir.resolve("token");
        Files.createSymbolicLink(file, zero);
        assertThatThrownBy(() -> FileFencingTokenStore.open(file)).isInstanceOf(IOException.class)
            .hasMessageContaining("is a symbolic link").hasMessageContaining("/dev/zero");
    }

    /** Found by the HLC bound-file red team in the twin store: a FIFO hung open(2) until a writer came. */
    @Test
    void aFifoShouldBeRefusedAtOnceNotWaitedOn() throws Exception
    {
        final Path file = dir.resolve("token");
        final Process mkfifo = new ProcessBuilder("mkfifo", file.toString()).start();
        org.junit.jupiter.api.Assumptions.assumeTrue(mkfifo.waitFor() == 0, "needs mkfifo");
        assertThat(org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(10),
            () -> org.junit.jupiter.api.Assertions.assertThrows(IOException.class, () -> FileFencingTokenStore.open(file))))
            .hasMessageContaining("not a regular file");
    }

    /**
     * The rename that stores a token replaces a link, not its target: the target (say on the persistent disk)
     * would keep an old token for the next start to find. A linked token file is refused when opened and stored.
     */
    @Test
    void aLinkedTokenFileShouldBeRefusedSoItsTargetCannotKeepAnOldToken() throws Exception
    {
        final Path real = dir.resolve("real-token");
        final FileFencingTokenStore store = FileFencingTokenStore.create(real, 34);
        final Path link = dir.resolve("token");
        Files.createSymbolicLink(link, real);
        assertThatThrownBy(() -> FileFencingTokenStore.open(link)).isInstanceOf(IOException.class)
            .hasMessageContaining("is a symbolic link").hasMessageContaining("toRealPath");
        assertThat(store.load()).isEqualTo(34);
        assertThat(FileFencingTokenStore.open(link.toRealPath()).load()).isEqualTo(34);
    }

    /**
     * A token file linked to a volume that is not mounted (yet) is a dangling link. Failed before the fix: open
     * called it "missing" and told the operator to create it, and create then renamed a fresh file over the link,
     * restarting tokens from the initial value while the real file (behind the link) still held the last token.
     */
    @Test
    void aDanglingLinkShouldBeRefusedAsALinkByOpenAndCreateAndNotReplaced() throws Exception
    {
        final Path target = dir.resolve("unmounted").resolve("token");
        final Path link = Files.createSymbolicLink(dir.resolve("token"), target);
        assertThatThrownBy(() -> FileFencingTokenStore.open(link)).isInstanceOf(IOException.class)
            .hasMessageContaining("is a symbolic link").hasMessageContaining(target.toString())
            .hasMessageNotContaining("missing");
        assertThatThrownBy(() -> FileFencingTokenStore.create(link, 0)).isInstanceOf(IOException.class)
            .hasMessageContaining(link.toString()).hasMessageContaining("is a symbolic link")
            .hasMessageContaining(target.toString());
        assertThat(Files.isSymbolicLink(link)).as("the link is left as it was").isTrue();
        assertThat(Files.readSymbolicLink(link)).isEqualTo(target);
        assertThat(dir.resolve("token.tmp")).doesNotExist();
    }

    /** A cancelled task (interrupt flag set) must still read and store; the flag must survive. */
    @Test
    void anInterruptedThreadShouldStillLoadAndStoreAndKeepItsFlag() throws Exception
    {
        final FileFencingTokenStore store = FileFencingTokenStore.create(dir.resolve("token"), 7);
        Thread.currentThread().interrupt();
        try
        {
            store.store(8);
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
            assertThat(store.load()).isEqualTo(8);
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        }
        finally
        {
            Thread.interrupted();
        }
        assertThat(FileFencingTokenStore.open(dir.resolve("token")).load()).isEqualTo(8);
    }

    /**
     * A task cancelled while it stores (Future.cancel(true)): the interrupt arrives during the I/O, not before it.
     * Failed before the fix: NIO closed the channel (ClosedByInterruptException) and the store or load failed,
     * though the flag was only cleared for interrupts that came before the call.
     */
    @Test
    void anInterruptArrivingDuringTheIoShouldNotFailItAndShouldBeKept() throws Exception
    {
        final FileFencingTokenStore store = FileFencingTokenStore.create(dir.resolve("token"), 0);
        final Thread caller = Thread.currentThread();
        final java.util.concurrent.ScheduledExecutorService interrupter =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
        try
        {
            for (int i = 1; i <= 100; i++)
            {
                final java.util.concurrent.Future<?> shot = interrupter.schedule(caller::interrupt,
                    java.util.concurrent.ThreadLocalRandom.current().nextLong(3_000),
                    java.util.concurrent.TimeUnit.MICROSECONDS);
                store.store(i);
                assertThat(store.load()).isEqualTo(i);
                while (!shot.isDone())
                {
                    Thread.onSpinWait();
                }
                assertThat(Thread.interrupted()).as("the interrupt of round " + i + " is kept").isTrue();
            }
        }
        finally
        {
            interrupter.shutdownNow();
            Thread.interrupted();
        }
        assertThat(FileFencingTokenStore.open(dir.resolve("token")).load()).isEqualTo(100);
    }

    /** A service started in a cancelled task: create and open (not only load and store) must work too. */
    @Test
    void anInterruptedThreadShouldStillCreateAndOpenAndKeepItsFlag() throws Exception
    {
        final Path file = dir.resolve("token");
        Thread.currentThread().interrupt();
        try
        {
            FileFencingTokenStore.create(file, 11);
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
            assertThat(FileFencingTokenStore.open(file).load()).isEqualTo(11);
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        }
        finally
        {
            Thread.interrupted();
        }
    }

    @Test
    void nonAsciiBytesShouldBeRefusedAsCorruptNamingTheFile() throws Exception
    {
        final Path file = dir.resolve("token");
        FileFencingTokenStore.create(file, 5);
        Files.write(file, new byte[] {'o', 'r', 'd', 'o', (byte)0xFF, (byte)0xC3, '\n'});
        assertThatThrownBy(() -> FileFencingTokenStore.open(file)).isInstanceOf(IOException.class)
            .hasMessageContaining("corrupt fencing-token file").hasMessageContaining(file.toString());
    }

    @Test
    void aPlantedTemporaryLinkShouldNotBeWrittenThrough() throws Exception
    {
        final Path file = dir.resolve("token");
        final FileFencingTokenStore store = FileFencingTokenStore.create(file, 5);
        final Path victim = dir.resolve("victim");
        Files.writeString(victim, "precious\n", StandardCharsets.US_ASCII);
        Files.createSymbolicLink(dir.resolve("token.tmp"), victim);
        store.store(6);
        assertThat(Files.readString(victim, StandardCharsets.US_ASCII)).isEqualTo("precious\n");
        assertThat(Files.isSymbolicLink(file)).as("the token file itself is no link").isFalse();
        assertThat(FileFencingTokenStore.open(file).load()).isEqualTo(6);
    }
}
