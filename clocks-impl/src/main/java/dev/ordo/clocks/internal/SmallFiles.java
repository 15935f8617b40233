package dev.ordo.clocks.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * The one small-file technique behind Ordo's durable stores (the HLC's upper bound, the fencing token): a hardened
 * read of a file that holds one short line, and a crash-safe replacement of it. Not part of the API: this package
 * is not exported.
 *
 * <p>Read: only a regular file, never through a symbolic link (the store replaces the file by renaming, which
 * replaces a link, not its target, so the target would keep an old value), not even one swapped in after the
 * caller's check; a directory, FIFO (which would block in {@code open(2)} until a writer came) or device is
 * refused without blocking. Java cannot open without blocking, so a FIFO renamed over the file in the moment
 * between the check and the open blocks the read: only someone who can write the directory can do that, and
 * they could as well delete or rewrite the file. At most one byte more than the
 * longest valid content is read, so a huge, sparse or endless file cannot fill memory; bytes map one to one to
 * chars (ISO-8859-1), so a non-ASCII byte is corrupt content for the caller's parser, not a decoding error.
 *
 * <p>Write: the temporary file is deleted and created anew exclusively ({@code O_EXCL} never follows a link, so a
 * link planted at the temporary name is removed, not written through), forced to disk, atomically renamed over
 * the file, and the directory is forced so the rename survives a power cut. A reader sees the old or the new
 * content, never a torn one.
 *
 * <p>Interrupts: NIO closes a channel when the calling thread is interrupted; a clock restored in a cancelled
 * task would fail. Reading or writing this small file is not a blocking wait, so {@link #uninterrupted} clears
 * the flag for the I/O and sets it again afterwards; an interrupt that arrives during the I/O (a task cancelled
 * while it stores) makes it start over, since reading and replacing the file can be repeated.
 *
 * <p>Stateless and thread-safe; two processes must not write the same file at the same time.
 */
public final class SmallFiles
{
    private static final int SHOWN_CHARS = 80;
    /** How often {@link #uninterrupted} starts an action over when interrupts keep arriving during it. */
    private static final int MAX_ATTEMPTS = 10;

    private SmallFiles()
    {
    }

    /**
     * A file refused for what it is rather than for an I/O failure: a symbolic link, a directory, a FIFO, a socket
     * or a device. Its message names the file and the reason.
     */
    public static final class RefusedFileException extends IOException
    {
        private static final long serialVersionUID = 1L;

        RefusedFileException(final String message)
        {
            super(message);
        }
    }

    /**
     * An I/O action run by {@link #uninterrupted}.
     *
     * @param <T> its result.
     */
    @FunctionalInterface
    public interface IoAction<T>
    {
        /**
         * @return the result.
         * @throws IOException when the I/O fails.
         */
        T run() throws IOException;
    }

    /**
     * Runs {@code action} with the calling thread's interrupt flag cleared, and sets the flag again afterwards if it
     * was set, or was set during the action, whatever the outcome. When an interrupt arrives during the action (NIO
     * then closes the channel and throws {@link ClosedByInterruptException}), the action is run again from the
     * start, up to 10 times in all; it must therefore be repeatable, as {@link #readSmall} and
     * {@link #replaceDurably} are.
     *
     * @param action the I/O, repeatable.
     * @param <T>    its result.
     * @return what {@code action} returned.
     * @throws IOException what {@code action} threw ({@link ClosedByInterruptException} only when interrupts arrived
     *                     during all 10 runs).
     */
    public static <T> T uninterrupted(final IoAction<T> action) throws IOException
    {
        boolean interrupted = Thread.interrupted();
        try
        {
            for (int attempt = 1; ; attempt++)
            {
                try
                {
                    return action.run();
                }
                catch (final ClosedByInterruptException ex)
                {
                    interrupted |= Thread.interrupted();
                    if (attempt >= MAX_ATTEMPTS)
                    {
                        throw ex;
                    }
                }
            }
        }
        finally
        {
            if (interrupted)
            {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Refuses a symbolic link at {@code file}.
     *
     * @param file   the file.
     * @param what   what the file is, for the message ("upper-bound file").
     * @param kept   what the link's target would keep if the link were replaced ("an old bound").
     * @param remedy what to do instead ("use the real path (Path.toRealPath())").
     * @throws RefusedFileException when {@code file} is a symbolic link, naming its target.
     * @throws IOException          never otherwise (declared for the refusal's supertype).
     */
    public static void requireNoSymbolicLink(final Path file, final String what, final String kept, final String remedy)
        throws IOException
    {
        if (Files.isSymbolicLink(file))
        {
            String target;
            try
            {
                target = String.valueOf(Files.readSymbolicLink(file));
            }
            catch (final IOException ex)
            {
                target = "an unreadable target";
            }
            throw new RefusedFileException("the " + what + " " + file + " is a symbolic link (to " + target + "): the store " +
                "replaces the file by an atomic rename, which would replace the link, not its target, so the target " +
                "would keep " + kept + ". " + remedy);
        }
    }

    /**
     * Reads at most {@code maxContentBytes + 1} bytes of a regular file, one char per byte. The caller's parser
     * refuses content longer than {@code maxContentBytes}. The caller checks for a symbolic link first
     * ({@link #requireNoSymbolicLink}), for the message that names the target; a link found here (swapped in after
     * that check) is refused too, never read through.
     *
     * @param file            the file.
     * @param maxContentBytes the length of the longest valid content.
     * @param what            what the file is, for the message ("fencing-token file").
     * @param refusal         what refusing it means, for the message ("refusing to read a token from it").
     * @return the content read.
     * @throws java.nio.file.NoSuchFileException when there is no file.
     * @throws RefusedFileException               when it is not a regular file (a symbolic link, directory,
     *                                           FIFO, socket or device).
     * @throws IOException                       when it cannot be read.
     */
    public static String readSmall(final Path file, final int maxContentBytes, final String what, final String refusal)
        throws IOException
    {
        final BasicFileAttributes attributes =
            Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!attributes.isRegularFile())
        {
            throw notRegular(file, attributes.isSymbolicLink() ? "a symbolic link" :
                attributes.isDirectory() ? "a directory" : "a FIFO, socket or device", what, refusal);
        }
        final byte[] bytes;
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) // O_NOFOLLOW
        {
            bytes = in.readNBytes(maxContentBytes + 1);
        }
        catch (final FileSystemException ex)
        {
            if (Files.isSymbolicLink(file)) // swapped in after the check above: open(2) failed with ELOOP
            {
                throw notRegular(file, "a symbolic link", what, refusal);
            }
            throw ex;
        }
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    private static RefusedFileException notRegular(final Path file, final String kind, final String what,
        final String refusal)
    {
        return new RefusedFileException("the " + what + " " + file + " is not a regular file (" + kind + "); " +
            refusal);
    }

    /**
     * Durably replaces the content of {@code file} with the remaining bytes of {@code content}: temporary file
     * {@code tempFile} (deleted first, created exclusively), forced, atomically renamed over {@code file}, directory
     * forced. On failure the old file is intact. Repeatable: {@code content}'s position is not moved, so a call
     * started over (see {@link #uninterrupted}) writes the whole content again.
     *
     * @param file     the file.
     * @param tempFile the temporary file, in the same directory.
     * @param content  the new content: its remaining bytes, left unconsumed.
     * @throws IOException when the content could not be made durable, or the file system cannot rename atomically.
     */
    public static void replaceDurably(final Path file, final Path tempFile, final ByteBuffer content) throws IOException
    {
        final ByteBuffer bytes = content.duplicate();
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

    /**
     * @param text content read with {@link #readSmall}.
     * @return its first 80 chars on one line, every char outside printable ASCII escaped ({@code \n}, {@code \r},
     * else {@code \xNN}), followed by {@code ...} when there was more.
     */
    public static String printable(final String text)
    {
        final StringBuilder shown = new StringBuilder();
        for (int i = 0; i < text.length() && i < SHOWN_CHARS; i++)
        {
            final char c = text.charAt(i);
            if (c >= 0x20 && c < 0x7F)
            {
                shown.append(c);
            }
            else
            {
                shown.append(c == '\n' ? "\\n" : c == '\r' ? "\\r" : String.format("\\x%02x", (int)c));
            }
        }
        return text.length() > SHOWN_CHARS ? shown.append("...").toString() : shown.toString();
    }
}
