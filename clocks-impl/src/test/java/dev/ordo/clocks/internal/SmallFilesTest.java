package dev.ordo.clocks.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The shared small-file technique of the durable stores; each store's own hostile-file tests
 * (HlcRedTeam2Test, FencingTokenFileAttackTest, UpperBoundFormatTagTest) stay where they are.
 */
class SmallFilesTest
{
    @TempDir
    Path dir;

    @Test
    void uninterruptedShouldClearTheFlagForTheActionAndSetItAgainWhateverTheOutcome() throws Exception
    {
        Thread.currentThread().interrupt();
        final Boolean seenInterrupted = SmallFiles.uninterrupted(() -> Thread.currentThread().isInterrupted());
        assertThat(seenInterrupted).isFalse();
        assertThat(Thread.interrupted()).as("flag set again").isTrue();

        Thread.currentThread().interrupt();
        assertThatThrownBy(() -> SmallFiles.uninterrupted(() ->
        {
            throw new IOException("boom");
        })).hasMessage("boom");
        assertThat(Thread.interrupted()).as("flag set again after a failure").isTrue();

        final Boolean notInterrupted = SmallFiles.uninterrupted(() -> Thread.currentThread().isInterrupted());
        assertThat(notInterrupted).isFalse();
        assertThat(Thread.currentThread().isInterrupted()).as("a clear flag stays clear").isFalse();
    }

    @Test
    void replaceDurablyThenReadSmallShouldRoundTripEvenOnAnInterruptedThread() throws Exception
    {
        final Path file = dir.resolve("value");
        final Path temp = dir.resolve("value.tmp");
        Files.writeString(temp, "leftover from a crash");
        Thread.currentThread().interrupt();
        try
        {
            SmallFiles.uninterrupted(() ->
            {
                SmallFiles.replaceDurably(file, temp, ByteBuffer.wrap("abc\n".getBytes(StandardCharsets.US_ASCII)));
                return null;
            });
            assertThat(SmallFiles.uninterrupted(() -> SmallFiles.readSmall(file, 4, "test file", "refused")))
                .isEqualTo("abc\n");
        }
        finally
        {
            assertThat(Thread.interrupted()).isTrue();
        }
        assertThat(temp).doesNotExist();
    }

    @Test
    void readSmallShouldReadAtMostOneByteBeyondTheLongestValidContent() throws Exception
    {
        final Path file = dir.resolve("big");
        Files.write(file, new byte[1 << 20]);
        assertThat(SmallFiles.readSmall(file, 10, "test file", "refused")).hasSize(11);
    }

    @Test
    void readSmallShouldMapEveryByteToOneChar() throws Exception
    {
        final Path file = dir.resolve("bytes");
        Files.write(file, new byte[]{(byte)0xFF, (byte)0xC3, (byte)0xA9, 0});
        assertThat(SmallFiles.readSmall(file, 10, "test file", "refused")).isEqualTo("\u00FF\u00C3\u00A9\u0000");
    }

    @Test
    void readSmallShouldRefuseADirectoryAndReportAMissingFile() throws Exception
    {
        assertThatThrownBy(() -> SmallFiles.readSmall(dir, 10, "test file", "refusing it"))
            .isInstanceOf(SmallFiles.RefusedFileException.class)
            .hasMessage("the test file " + dir + " is not a regular file (a directory); refusing it");
        assertThatThrownBy(() -> SmallFiles.readSmall(dir.resolve("missing"), 10, "test file", "refused"))
            .isInstanceOf(NoSuchFileException.class);
    }

    /**
     * The stores check for a link, then read: a link swapped in between (by someone who can write the directory)
     * was read through, its target's content taken for the file's. Failed before the fix: readSmall followed it.
     */
    @Test
    void readSmallShouldNotReadThroughALinkSwappedInAfterTheStoresCheck() throws Exception
    {
        final Path other = Files.writeString(dir.resolve("other"), "99\n");
        final Path link = Files.createSymbolicLink(dir.resolve("value"), other);
        assertThatThrownBy(() -> SmallFiles.readSmall(link, 10, "test file", "refusing it"))
            .isInstanceOf(SmallFiles.RefusedFileException.class)
            .hasMessage("the test file " + link + " is not a regular file (a symbolic link); refusing it");
    }

    @Test
    void requireNoSymbolicLinkShouldNameTheTargetEvenWhenItIsMissing() throws Exception
    {
        final Path link = Files.createSymbolicLink(dir.resolve("link"), dir.resolve("nowhere"));
        assertThatThrownBy(() -> SmallFiles.requireNoSymbolicLink(link, "test file", "an old value", "Use the real path."))
            .isInstanceOf(SmallFiles.RefusedFileException.class)
            .hasMessageContaining("the test file " + link + " is a symbolic link (to " + dir.resolve("nowhere") + ")")
            .hasMessageContaining("would keep an old value. Use the real path.");
        SmallFiles.requireNoSymbolicLink(dir.resolve("absent"), "test file", "x", "y");
    }

    @Test
    void printableShouldEscapeEveryCharOutsidePrintableAsciiAndCutAt80() throws Exception
    {
        assertThat(SmallFiles.printable("a\nb\rc\u0000d\u00FF\u001B")).isEqualTo("a\\nb\\rc\\x00d\\xff\\x1b");
        assertThat(SmallFiles.printable("x".repeat(81))).isEqualTo("x".repeat(80) + "...");
        assertThat(SmallFiles.printable("x".repeat(80))).isEqualTo("x".repeat(80));
        assertThat(SmallFiles.printable("")).isEmpty();
    }
}
