package dev.ordo.clocks.hlc;

import dev.ordo.clocks.api.HybridTimestampFormat;
import dev.ordo.clocks.api.UpperBoundStore;

import dev.ordo.clocks.internal.SmallFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * An {@link UpperBoundStore} in one small text file, written crash-safely: the new value goes to a
 * temporary file in the same directory, which is fsynced, atomically renamed over the old file, and the
 * directory is fsynced so the rename itself survives a power cut. A reader therefore sees either the old
 * or the new value, never a torn one.
 *
 * <p>File content: {@code ordo-upper-bound 2 <format> <value>\n}, with the {@link HybridTimestampFormat} of the
 * clock that wrote it ({@code MILLIS} or {@code MICROS}) and the value as an unsigned decimal number
 * ({@code MICROS} timestamps are negative {@code long}s from 2041 on). Anything else, including the value of
 * {@link UpperBoundStore#NONE}, is reported as corrupt with the file's path, rather than guessed at.
 *
 * <p>Formats: a clock reads and writes through {@link #load(HybridTimestampFormat)} and
 * {@link #store(long, HybridTimestampFormat)}, and a bound written by a clock of the other format is refused
 * with an {@link IllegalStateException} that names both formats and how to go on: read in the wrong format, a
 * bound is off by a factor of about 1000 (a {@code MILLIS} bound read as {@code MICROS} lands in 1970 and the
 * restarted clock could repeat timestamps issued before the crash; the reverse lands millennia ahead).
 *
 * <p>Files of older versions, {@code ordo-upper-bound 1 <value>\n}, carry no format. Such a file is read only
 * when its value, in the reading clock's format, lies between 2020-01-01 and 2500-01-01, where every bound a
 * real clock wrote lies; it is refused otherwise, naming the format it was most likely written in. The two
 * misreadings cannot pass this check: a {@code MILLIS} bound from before 2500 read as {@code MICROS} lands
 * before 1979, and a {@code MICROS} bound from 2020 on read as {@code MILLIS} lands after 5000 (or is negative).
 * The clock's first write after the start replaces the file with a tagged one. A bound that really was written
 * by a clock at an odd time (a test clock in 1990) is refused too; the message gives the tagged content to
 * write instead. An older version cannot read a tagged file: it refuses it as corrupt and does not start.
 *
 * <p>Hostile files: only a regular file is read, and at most one byte more than the longest valid content. A
 * symbolic link is refused, naming its target (the rename would replace the link, not its target; give the store
 * the real path), even one swapped in after the check; a directory, FIFO or device is refused without blocking
 * (unless someone who can write the directory renames a FIFO over the file in the moment between the check and
 * the open); a huge file, or one with non-ASCII bytes, is corrupt (shown escaped). The temporary file ({@code <file>.tmp}) is deleted and created anew
 * exclusively on every store, so a leftover one is ignored and a link planted there is never written through. An
 * interrupted calling thread does not fail a read or write (NIO would close the channel): the flag is cleared
 * for the I/O and set again, and an interrupt that arrives during the I/O makes it start over.
 *
 * <p>Not thread-safe: one clock owns one store (the clock serialises its calls). Do not share the file
 * between processes running at the same time.
 */
public final class FileUpperBoundStore implements UpperBoundStore
{
    private static final String MAGIC = "ordo-upper-bound ";
    private static final String UNTAGGED = MAGIC + "1 ";
    private static final String TAGGED = MAGIC + "2 ";

    /** 2020-01-01T00:00:00Z and 2500-01-01T00:00:00Z in seconds: where the bound of an untagged file may lie. */
    private static final long PLAUSIBLE_FROM_S = 1_577_836_800L;
    private static final long PLAUSIBLE_UNTIL_S = 16_725_225_600L;

    /** The longest valid content: the tag, "MILLIS " and 20 digits and a newline. */
    private static final int MAX_CONTENT_BYTES = TAGGED.length() + 7 + 20 + 1;
    private static final String WHAT = "upper-bound file";
    private static final String KEPT = "an old bound";
    private static final String REMEDY =
        "Build the store with the real path, new FileUpperBoundStore(path.toRealPath())";

    private final Path file;
    private final Path tempFile;
    private final HybridTimestampFormat format;
    private final ByteBuffer buffer = ByteBuffer.allocate(64);

    /**
     * A store for a clock of either format: it takes the format from the clock's calls
     * ({@link #load(HybridTimestampFormat)}, {@link #store(long, HybridTimestampFormat)}). Its
     * {@link #store(long)} refuses (no format to record), and its {@link #load()} returns the stored value
     * whatever its format, unchecked: for inspection, not for starting a clock.
     *
     * @param file where the bound lives; its directory must exist and be writable.
     * @throws UncheckedIOException when the directory is missing, is not a directory, or is not writable:
     *                              the clock's first write would fail, so this fails when the store is built.
     */
    public FileUpperBoundStore(final Path file)
    {
        this.file = Objects.requireNonNull(file, "file").toAbsolutePath();
        this.tempFile = this.file.resolveSibling(this.file.getFileName() + ".tmp");
        this.format = null;
        requireWritableDirectory(this.file);
    }

    /**
     * A store for bounds of one format only: a clock of the other format is refused
     * ({@link IllegalArgumentException}) before the file is read, and {@link #load()} and {@link #store(long)}
     * work in this format.
     *
     * @param file   where the bound lives; its directory must exist and be writable.
     * @param format the format of the clock that will use the store.
     * @throws UncheckedIOException when the directory is missing, is not a directory, or is not writable.
     */
    public FileUpperBoundStore(final Path file, final HybridTimestampFormat format)
    {
        this.file = Objects.requireNonNull(file, "file").toAbsolutePath();
        this.tempFile = this.file.resolveSibling(this.file.getFileName() + ".tmp");
        this.format = Objects.requireNonNull(format, "format");
        requireWritableDirectory(this.file);
    }

    private static void requireWritableDirectory(final Path file)
    {
        final Path dir = file.getParent();
        if (dir == null || !Files.isDirectory(dir))
        {
            throw new UncheckedIOException(new NoSuchFileException(
                String.valueOf(dir), null, "the directory of the clock's upper-bound file " + file +
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
     * With a format of its own, same as {@link #load(HybridTimestampFormat)} in it. Without one, the stored
     * value whatever format wrote it, unchecked (an untagged file's value is not judged either): for
     * inspection and tools; a clock always loads with its format.
     *
     * @return the bound stored last, or {@link #NONE}.
     * @throws UncheckedIOException  when the file cannot be read or is corrupt.
     * @throws IllegalStateException with a format of its own, as {@link #load(HybridTimestampFormat)}.
     */
    @Override
    public long load()
    {
        if (format != null)
        {
            return load(format);
        }
        final String text = read();
        return text == null ? NONE : parse(text).value;
    }

    /**
     * Loads the bound for a clock of {@code format}, checking the file's format tag (or, for an untagged file of
     * an older version, that the value is plausible in {@code format}; see the class description).
     *
     * @param format the format of the clock that reads the bound.
     * @return the bound stored last, or {@link #NONE} when there is no file.
     * @throws UncheckedIOException     when the file cannot be read or is corrupt.
     * @throws IllegalStateException    when the file was written for the other format, or is untagged and its
     *                                  value is implausible in {@code format}; the message names the formats,
     *                                  the dates the value would mean, and the content to write to go on.
     * @throws IllegalArgumentException when this store was built for the other format.
     */
    @Override
    public long load(final HybridTimestampFormat format)
    {
        requireServes(format);
        final String text = read();
        if (text == null)
        {
            return NONE;
        }
        final Parsed parsed = parse(text);
        if (parsed.format == null)
        {
            if (!isPlausible(parsed.value, format))
            {
                throw implausibleUntagged(parsed.value, format);
            }
        }
        else if (parsed.format != format)
        {
            throw formatMismatch(parsed.value, parsed.format, format);
        }
        return parsed.value;
    }

    private String read()
    {
        try
        {
            return SmallFiles.uninterrupted(() ->
            {
                SmallFiles.requireNoSymbolicLink(file, WHAT, KEPT, REMEDY);
                return SmallFiles.readSmall(file, MAX_CONTENT_BYTES, WHAT, "refusing to start a clock from it");
            });
        }
        catch (final NoSuchFileException ex)
        {
            return null;
        }
        catch (final SmallFiles.RefusedFileException ex)
        {
            throw new UncheckedIOException(ex.getMessage(), ex);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read the clock's upper bound from " + file, ex);
        }
    }

    private Parsed parse(final String text)
    {
        if (text.length() > MAX_CONTENT_BYTES || !text.endsWith("\n"))
        {
            throw corrupt(text);
        }
        final HybridTimestampFormat tag;
        final int digitsFrom;
        if (text.startsWith(UNTAGGED))
        {
            tag = null;
            digitsFrom = UNTAGGED.length();
        }
        else if (text.startsWith(TAGGED + HybridTimestampFormat.MILLIS.name() + " "))
        {
            tag = HybridTimestampFormat.MILLIS;
            digitsFrom = TAGGED.length() + tag.name().length() + 1;
        }
        else if (text.startsWith(TAGGED + HybridTimestampFormat.MICROS.name() + " "))
        {
            tag = HybridTimestampFormat.MICROS;
            digitsFrom = TAGGED.length() + tag.name().length() + 1;
        }
        else
        {
            throw corrupt(text);
        }
        final String digits = text.substring(digitsFrom, text.length() - 1);
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
        return new Parsed(tag, bound);
    }

    private static boolean isPlausible(final long bound, final HybridTimestampFormat format)
    {
        final long seconds = format.physical(bound) / format.physicalUnit().convert(1, TimeUnit.SECONDS);
        return seconds >= PLAUSIBLE_FROM_S && seconds < PLAUSIBLE_UNTIL_S;
    }

    private static HybridTimestampFormat other(final HybridTimestampFormat format)
    {
        return format == HybridTimestampFormat.MILLIS ? HybridTimestampFormat.MICROS : HybridTimestampFormat.MILLIS;
    }

    private static String meaning(final long bound, final HybridTimestampFormat format)
    {
        return format.isValid(bound) ? format.toString(bound) : "not a " + format + " timestamp at all";
    }

    /**
     * The exclusive bound of {@code to} below which lie all instants of the timestamps of {@code from} below
     * {@code bound}: the same instant, rounded up to a whole unit of {@code to}. {@link #NONE} when {@code to}
     * cannot hold it.
     */
    static long convert(final long bound, final HybridTimestampFormat from, final HybridTimestampFormat to)
    {
        // Timestamps below (p, l) have physical parts below p when l is 0, else up to p: they end before endUnits.
        if (from == to)
        {
            return bound;
        }
        final long endUnits = from.physical(bound) + (from.logical(bound) == 0 ? 0 : 1);
        final long endTo;
        if (to == HybridTimestampFormat.MICROS)
        {
            if (endUnits > to.maxPhysical() / 1000)
            {
                return NONE;
            }
            endTo = endUnits * 1000;
        }
        else
        {
            endTo = endUnits / 1000 + (endUnits % 1000 == 0 ? 0 : 1);
        }
        return endTo > to.maxPhysical() ? NONE : to.fromPhysical(endTo);
    }

    private String content(final long bound, final HybridTimestampFormat format)
    {
        return TAGGED + format.name() + " " + Long.toUnsignedString(bound);
    }

    private String switchAdvice(final long bound, final HybridTimestampFormat from, final HybridTimestampFormat to)
    {
        final long converted = convert(bound, from, to);
        return converted == NONE ? "the bound has no " + to + " equivalent (" + to + " cannot hold its instant)" :
            "replace the file's content with \"" + content(converted, to) + "\" (the same instant, rounded up; " +
            "the node's " + from + " timestamps do not compare with " + to + " ones, so its peers and stored " +
            "timestamps must switch too)";
    }

    private IllegalStateException formatMismatch(
        final long bound, final HybridTimestampFormat written, final HybridTimestampFormat reader)
    {
        return new IllegalStateException(
            "the upper-bound file " + file + " holds a " + written + " bound, " + written.toString(bound) +
            ", but this clock is " + reader + ": read as " + reader + " it would be " + meaning(bound, reader) +
            ", off by a factor of about 1000 (a bound read too low lets the restarted clock repeat timestamps " +
            "issued before the crash; one read too high keeps it from starting or runs it far ahead). Start this " +
            "node with the format it ran with, " + written + ". To switch it to " + reader + " on purpose, " +
            switchAdvice(bound, written, reader) + ". The file is left unchanged");
    }

    private IllegalStateException implausibleUntagged(final long bound, final HybridTimestampFormat reader)
    {
        final HybridTimestampFormat other = other(reader);
        final String likely = isPlausible(bound, other) ?
            "read as " + other + " it is " + other.toString(bound) + ": it was most likely written by a " + other +
            " clock. Start this node as " + other + "; to switch it to " + reader + " on purpose, " +
            switchAdvice(bound, other, reader) + ". " :
            "read as " + other + " it is " + meaning(bound, other) + ", not plausible either: the file may be " +
            "damaged. ";
        return new IllegalStateException(
            "the upper-bound file " + file + " has no format tag (an older Ordo version wrote it), and its bound " +
            Long.toUnsignedString(bound) + ", read as " + reader + ", is " + meaning(bound, reader) +
            ": not between 2020 and 2500, where the bound of a real clock lies. " + likely +
            "If it really was written by a " + reader + " clock, add the tag: replace its content with \"" +
            content(bound, reader) + "\". Refusing to guess; the file is left unchanged");
    }

    private UncheckedIOException corrupt(final String text)
    {
        return new UncheckedIOException(new IOException(
            "corrupt upper-bound file " + file + ": expected \"" + TAGGED + "<MILLIS|MICROS> <value>\" (or an " +
            "older version's \"" + UNTAGGED + "<value>\"), found \"" + SmallFiles.printable(text) +
            "\"; refusing to start a clock from it"));
    }

    private void requireServes(final HybridTimestampFormat clockFormat)
    {
        Objects.requireNonNull(clockFormat, "format");
        if (format != null && format != clockFormat)
        {
            throw new IllegalArgumentException(
                "the upper-bound store " + this + " was built for " + format + " bounds and cannot serve a " +
                clockFormat + " clock: build it with new FileUpperBoundStore(file, HybridTimestampFormat." +
                clockFormat + "), or with new FileUpperBoundStore(file) to take the clock's format");
        }
    }

    /**
     * With a format of its own, same as {@link #store(long, HybridTimestampFormat)} in it. Without one this
     * refuses: a bound must be recorded with its format.
     *
     * @param upperBound the bound, never {@link #NONE}.
     * @throws IllegalStateException without a format of its own.
     * @throws UncheckedIOException  when the bound could not be made durable.
     */
    @Override
    public void store(final long upperBound)
    {
        if (format == null)
        {
            throw new IllegalStateException(
                "the upper-bound store " + this + " has no format of its own, and a bound is recorded with its " +
                "format: call store(bound, format), or build it with new FileUpperBoundStore(file, format)");
        }
        store(upperBound, format);
    }

    /**
     * Durably replaces the file's content with {@code ordo-upper-bound 2 <format> <upperBound>}: temporary file,
     * fsync, atomic rename, fsync of the directory.
     *
     * @param upperBound the bound, never {@link #NONE}.
     * @param format     the format of the clock that stores it.
     * @throws UncheckedIOException     when the bound could not be made durable (the old file is then intact).
     * @throws IllegalArgumentException when this store was built for the other format.
     */
    @Override
    public void store(final long upperBound, final HybridTimestampFormat format)
    {
        requireServes(format);
        if (upperBound == NONE)
        {
            throw new IllegalArgumentException("an upper bound cannot be UpperBoundStore.NONE (-1)");
        }
        buffer.clear();
        buffer.put((content(upperBound, format) + "\n").getBytes(StandardCharsets.US_ASCII)).flip();
        try
        {
            SmallFiles.uninterrupted(() ->
            {
                SmallFiles.requireNoSymbolicLink(file, WHAT, KEPT, REMEDY);
                SmallFiles.replaceDurably(file, tempFile, buffer);
                return null;
            });
        }
        catch (final SmallFiles.RefusedFileException ex)
        {
            throw new UncheckedIOException(ex.getMessage(), ex);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot durably store the clock's upper bound in " + file, ex);
        }
    }

    @Override
    public String toString()
    {
        return "FileUpperBoundStore{" + file + (format == null ? "" : ", " + format) + "}";
    }

    /** A parsed file: its format tag (null for an untagged file) and its value. */
    private static final class Parsed
    {
        final HybridTimestampFormat format;
        final long value;

        Parsed(final HybridTimestampFormat format, final long value)
        {
            this.format = format;
            this.value = value;
        }
    }
}
