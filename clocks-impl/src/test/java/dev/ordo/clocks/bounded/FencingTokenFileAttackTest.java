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
            .hasMessageContaining("corrupt fencing-token file").hasMessageContaining("\\x00");
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
