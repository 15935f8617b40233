package dev.ordo.clocks.bounded;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

/**
 * A {@link FencingTokenStore} in one small text file, written crash-safely (the technique of the HLC's
 * {@code FileUpperBoundStore}): the new value goes to a temporary file in the same directory, which is forced
 * to disk, atomically renamed over the old file, and the directory is forced so the rename itself survives a
 * power cut. A reader sees the old or the new value, never a torn one.
 *
 * <p>File content: {@code ordo-fencing-token 1 <value>\n}. Anything else is refused as corrupt, naming the file.
 *
 * <p><b>First start is explicit.</b> {@link #create(Path, long)} makes a new file and fails if one exists;
 * {@link #open(Path)} needs the file and fails if it is missing. A lost file therefore stops the service
 * with a clear error instead of silently restarting tokens from zero (which would re-issue tokens a stale
 * holder still has, or let a guard accept them again).
 *
 * <p>Not thread-safe: its owner (issuer or guard) serialises the calls. One process per file.
 */
public final class FileFencingTokenStore implements FencingTokenStore
{
    private static final String MAGIC = "ordo-fencing-token 1 ";
    /** The longest valid content: the magic, 19 digits and the newline. */
    private static final int MAX_CONTENT_BYTES = MAGIC.length() + 19 + 1;

    private final Path file;
    private final Path tempFile;

    private FileFencingTokenStore(final Path file)
    {
        this.file = file;
        this.tempFile = file.resolveSibling(file.getFileName() + ".tmp");
    }

    /**
     * First start: creates the file holding {@code initialValue}, durably.
     *
     * @param file         where the value lives; its directory must exist.
     * @param initialValue the value to start from, {@code >= 0}.
     * @return the store.
     * @throws IOException if the file already exists ({@link FileAlreadyExistsException}: use {@link #open(Path)}),
     *                     or the directory is missing or not writable.
     */
    public static FileFencingTokenStore create(final Path file, final long initialValue) throws IOException
    {
        final FileFencingTokenStore store = new FileFencingTokenStore(absolute(file));
        if (Files.exists(store.file))
        {
            throw new FileAlreadyExistsException(store.file.toString(), null,
                "a fencing-token file already exists; open it instead of creating a new one (tokens must never" +
                " restart)");
        }
        checkDirectory(store.file);
        store.write(initialValue);
        return store;
    }

    /**
     * Restart: opens an existing file and checks that it holds a valid value.
     *
     * @param file the file written by an earlier {@link #create(Path, long)} / {@link #store(long)}.
     * @return the store.
     * @throws IOException if the file is missing ({@link NoSuchFileException}: a lost file is not a first start)
     *                     or corrupt, naming the file.
     */
    public static FileFencingTokenStore open(final Path file) throws IOException
    {
        final FileFencingTokenStore store = new FileFencingTokenStore(absolute(file));
        if (!Files.exists(store.file))
        {
            throw new NoSuchFileException(store.file.toString(), null,
                "the fencing-token file is missing; if this really is the first start, create it with" +
                " FileFencingTokenStore.create (a lost file must not silently restart tokens from zero)");
        }
        store.read();
        return store;
    }

    private static Path absolute(final Path file)
    {
        return Objects.requireNonNull(file, "file").toAbsolutePath();
    }

    private static void checkDirectory(final Path file) throws IOException
    {
        final Path dir = file.getParent();
        if (!Files.isDirectory(dir) || !Files.isWritable(dir))
        {
            throw new NoSuchFileException(dir.toString(), null, "the directory for the fencing-token file " +
                file.getFileName() + " is missing or not writable");
        }
    }

    /**
     * @return the file holding the value.
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
        // NIO channels close when the calling thread is interrupted (ClosedByInterruptException): a guard restored
        // in a cancelled task would fail. Reading this small file is not a blocking wait, so the flag is cleared
        // for the I/O and set again afterwards.
        final boolean interrupted = Thread.interrupted();
        try
        {
            return read();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        finally
        {
            if (interrupted)
            {
                Thread.currentThread().interrupt();
            }
        }
    }

    private long read() throws IOException
    {
        // The store replaces the file by renaming a new one over it, which replaces a link, not its target: the
        // target would keep an old token. And only a regular file: a FIFO would block in open(2) until a writer
        // came; a device or a directory is no token file either.
        if (Files.isSymbolicLink(file))
        {
            throw new IOException("the fencing-token file " + file + " is a symbolic link (to " +
                Files.readSymbolicLink(file) + "); the store replaces the file by renaming, which would replace " +
                "the link and leave its target with an old token: use the real path (Path.toRealPath())");
        }
        final java.nio.file.attribute.BasicFileAttributes attributes =
            Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class);
        if (!attributes.isRegularFile())
        {
            throw new IOException("the fencing-token file " + file + " is not a regular file (" +
                (attributes.isDirectory() ? "a directory" : "a FIFO, socket or device") + "); refusing to read a token from it");
        }
        // At most one byte more than the longest valid content is read: a huge, sparse or endless file (a link
        // to /dev/zero) is refused as corrupt without filling memory. ISO-8859-1 maps every byte to one char, so
        // a non-ASCII byte is corrupt content, not a decoding exception that names no file.
        final byte[] bytes;
        try (InputStream in = Files.newInputStream(file))
        {
            bytes = in.readNBytes(MAX_CONTENT_BYTES + 1);
        }
        final String text = new String(bytes, StandardCharsets.ISO_8859_1);
        if (bytes.length <= MAX_CONTENT_BYTES && text.startsWith(MAGIC) && text.endsWith("\n"))
        {
            final String digits = text.substring(MAGIC.length(), text.length() - 1);
            if (!digits.isEmpty() && digits.length() <= 19 && digits.chars().allMatch(c -> c >= '0' && c <= '9'))
            {
                try
                {
                    return Long.parseLong(digits);
                }
                catch (final NumberFormatException ex)
                {
                    // falls through to the corrupt-file error
                }
            }
        }
        throw new IOException("corrupt fencing-token file " + file + ": expected \"" + MAGIC + "<value>\", found \"" +
            printable(text) + "\"; refusing to guess a token");
    }

    /** @return the start of the content on one line, every byte outside printable ASCII escaped. */
    private static String printable(final String text)
    {
        final StringBuilder shown = new StringBuilder();
        for (int i = 0; i < text.length() && i < 80; i++)
        {
            final char c = text.charAt(i);
            if (c >= 0x20 && c < 0x7F)
            {
                shown.append(c);
            }
            else
            {
                shown.append(c == '\n' ? "\\n" : String.format("\\x%02x", (int)c));
            }
        }
        return text.length() > 80 ? shown.append("...").toString() : shown.toString();
    }

    @Override
    public void store(final long value)
    {
        final boolean interrupted = Thread.interrupted(); // as in load(): an interrupt must not close the channels
        try
        {
            if (Files.isSymbolicLink(file))
            {
                throw new IOException("the fencing-token file " + file + " is a symbolic link; the rename would " +
                    "replace the link and leave its target with an old token: use the real path (Path.toRealPath())");
            }
            write(value);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot durably store the fencing token in " + file, ex);
        }
        finally
        {
            if (interrupted)
            {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void write(final long value) throws IOException
    {
        if (value < 0)
        {
            throw new IllegalArgumentException("a fencing token cannot be negative: " + value);
        }
        final ByteBuffer bytes = ByteBuffer.wrap((MAGIC + value + "\n").getBytes(StandardCharsets.US_ASCII));
        // A leftover temporary file (a crash between write and rename) is removed, and a fresh one created
        // exclusively: O_EXCL never follows a link, so a link planted at the temporary name is removed (not its
        // target), and one planted again in between makes the store fail instead of writing through it.
        Files.deleteIfExists(tempFile);
        try (FileChannel channel = FileChannel.open(tempFile, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE))
        {
            while (bytes.hasRemaining())
            {
                channel.write(bytes);
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
        try (FileChannel dir = FileChannel.open(file.getParent(), StandardOpenOption.READ))
        {
            dir.force(true); // the rename is durable only once the directory is
        }
        catch (final IOException ex)
        {
            if (System.getProperty("os.name", "").toLowerCase().contains("linux"))
            {
                throw ex; // Linux can open and force a directory; elsewhere it may not be possible at all
            }
        }
    }

    @Override
    public String toString()
    {
        return "FileFencingTokenStore{" + file + "}";
    }
}
