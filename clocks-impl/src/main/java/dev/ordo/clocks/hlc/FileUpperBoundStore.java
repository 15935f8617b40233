package dev.ordo.clocks.hlc;

import dev.ordo.clocks.api.UpperBoundStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

/**
 * An {@link UpperBoundStore} in one small text file, written crash-safely: the new value goes to a
 * temporary file in the same directory, which is fsynced, atomically renamed over the old file, and the
 * directory is fsynced so the rename itself survives a power cut. A reader therefore sees either the old
 * or the new value, never a torn one.
 *
 * <p>File content: {@code ordo-upper-bound 1 <value>\n}, the value as an unsigned decimal number ({@code MICROS}
 * timestamps are negative {@code long}s from 2041 on). Anything else, including the value of
 * {@link UpperBoundStore#NONE}, is reported as corrupt with the file's path, rather than guessed at.
 *
 * <p>Not thread-safe: one clock owns one store (the clock serialises its calls). Do not share the file
 * between processes running at the same time.
 */
public final class FileUpperBoundStore implements UpperBoundStore
{
    private static final String MAGIC = "ordo-upper-bound 1 ";

    private final Path file;
    private final Path tempFile;
    private final ByteBuffer buffer = ByteBuffer.allocate(64);

    /**
     * @param file where the bound lives; its directory must exist and be writable.
     * @throws UncheckedIOException when the directory is missing, is not a directory, or is not writable:
     *                              the clock's first write would fail, so this fails when the store is built.
     */
    public FileUpperBoundStore(final Path file)
    {
        this.file = Objects.requireNonNull(file, "file").toAbsolutePath();
        this.tempFile = this.file.resolveSibling(this.file.getFileName() + ".tmp");
        final Path dir = this.file.getParent();
        if (dir == null || !Files.isDirectory(dir))
        {
            throw new UncheckedIOException(new NoSuchFileException(
                String.valueOf(dir), null, "the directory of the clock's upper-bound file " + this.file +
                " does not exist; create it first (Ordo does not create directories for you)"));
        }
        if (!Files.isWritable(dir))
        {
            throw new UncheckedIOException(new IOException(
                "the directory " + dir + " of the clock's upper-bound file is not writable"));
        }
    }

    /**
     * @return the file holding the bound.
     */
    public Path file()
    {
        return file;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public long load()
    {
        final String text;
        try
        {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        }
        catch (final NoSuchFileException ex)
        {
            return NONE;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read the clock's upper bound from " + file, ex);
        }
        if (!text.startsWith(MAGIC) || !text.endsWith("\n"))
        {
            throw corrupt(text);
        }
        final String digits = text.substring(MAGIC.length(), text.length() - 1);
        if (digits.isEmpty() || digits.length() > 20 || !digits.chars().allMatch(c -> c >= '0' && c <= '9'))
        {
            throw corrupt(text);
        }
        final long bound;
        try
        {
            bound = Long.parseUnsignedLong(digits);
        }
        catch (final NumberFormatException ex)
        {
            throw corrupt(text);
        }
        if (bound == NONE)
        {
            throw corrupt(text);
        }
        return bound;
    }

    private UncheckedIOException corrupt(final String text)
    {
        final String shown = text.length() > 80 ? text.substring(0, 80) + "..." : text;
        return new UncheckedIOException(new IOException(
            "corrupt upper-bound file " + file + ": expected \"" + MAGIC + "<value>\", found \"" +
            shown.replace("\n", "\\n") + "\"; refusing to start a clock from it"));
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public void store(final long upperBound)
    {
        if (upperBound == NONE)
        {
            throw new IllegalArgumentException("an upper bound cannot be UpperBoundStore.NONE (-1)");
        }
        buffer.clear();
        buffer.put((MAGIC + Long.toUnsignedString(upperBound) + "\n").getBytes(StandardCharsets.US_ASCII)).flip();
        try
        {
            try (FileChannel channel = FileChannel.open(
                tempFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING))
            {
                while (buffer.hasRemaining())
                {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            try
            {
                Files.move(tempFile, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
            catch (final AtomicMoveNotSupportedException ex)
            {
                throw new IOException("the file system of " + file + " cannot rename atomically", ex);
            }
            fsyncDirectory();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot durably store the clock's upper bound in " + file, ex);
        }
    }

    private void fsyncDirectory() throws IOException
    {
        final Path dir = file.getParent();
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ))
        {
            channel.force(true);
        }
        catch (final IOException ex)
        {
            // Some platforms cannot open a directory; Linux can, and there the rename is now durable.
            if (System.getProperty("os.name", "").toLowerCase().contains("linux"))
            {
                throw ex;
            }
        }
    }

    @Override
    public String toString()
    {
        return "FileUpperBoundStore{" + file + "}";
    }
}
