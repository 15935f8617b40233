package dev.ordo.clocks.bounded;

import dev.ordo.clocks.internal.SmallFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
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
    private static final String WHAT = "fencing-token file";
    private static final String KEPT = "an old token";
    private static final String REMEDY = "Use the real path (Path.toRealPath())";

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
     *                     is a symbolic link (even one whose target is missing: that target may hold the last
     *                     token), or the directory is missing or not writable.
     */
    public static FileFencingTokenStore create(final Path file, final long initialValue) throws IOException
    {
        final FileFencingTokenStore store = new FileFencingTokenStore(absolute(file));
        SmallFiles.requireNoSymbolicLink(store.file, WHAT, KEPT, REMEDY); // a dangling one too: never replace it
        if (Files.exists(store.file))
        {
            throw new FileAlreadyExistsException(store.file.toString(), null,
                "a fencing-token file already exists; open it instead of creating a new one (tokens must never" +
                " restart)");
        }
        checkDirectory(store.file);
        SmallFiles.uninterrupted(() ->
        {
            store.write(initialValue);
            return null;
        });
        return store;
    }

    /**
     * Restart: opens an existing file and checks that it holds a valid value.
     *
     * @param file the file written by an earlier {@link #create(Path, long)} / {@link #store(long)}.
     * @return the store.
     * @throws IOException if the file is missing ({@link NoSuchFileException}: a lost file is not a first start),
     *                     is a symbolic link (a dangling one is not reported as missing), or is corrupt, naming the
     *                     file.
     */
    public static FileFencingTokenStore open(final Path file) throws IOException
    {
        final FileFencingTokenStore store = new FileFencingTokenStore(absolute(file));
        SmallFiles.requireNoSymbolicLink(store.file, WHAT, KEPT, REMEDY); // a dangling one is no missing file
        if (!Files.exists(store.file))
        {
            throw new NoSuchFileException(store.file.toString(), null,
                "the fencing-token file is missing; if this really is the first start, create it with" +
                " FileFencingTokenStore.create (a lost file must not silently restart tokens from zero)");
        }
        SmallFiles.uninterrupted(store::read);
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
        try
        {
            return SmallFiles.uninterrupted(this::read);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    private long read() throws IOException
    {
        SmallFiles.requireNoSymbolicLink(file, WHAT, KEPT, REMEDY);
        final String text = SmallFiles.readSmall(file, MAX_CONTENT_BYTES, WHAT, "refusing to read a token from it");
        if (text.length() <= MAX_CONTENT_BYTES && text.startsWith(MAGIC) && text.endsWith("\n"))
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
            SmallFiles.printable(text) + "\"; refusing to guess a token");
    }

    @Override
    public void store(final long value)
    {
        try
        {
            SmallFiles.uninterrupted(() ->
            {
                SmallFiles.requireNoSymbolicLink(file, WHAT, KEPT, REMEDY);
                write(value);
                return null;
            });
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot durably store the fencing token in " + file, ex);
        }
    }

    private void write(final long value) throws IOException
    {
        if (value < 0)
        {
            throw new IllegalArgumentException("a fencing token cannot be negative: " + value);
        }
        SmallFiles.replaceDurably(file, tempFile, ByteBuffer.wrap((MAGIC + value + "\n").getBytes(StandardCharsets.US_ASCII)));
    }

    @Override
    public String toString()
    {
        return "FileFencingTokenStore{" + file + "}";
    }
}
