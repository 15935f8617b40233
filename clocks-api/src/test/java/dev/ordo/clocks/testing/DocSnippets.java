package dev.ordo.clocks.testing;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Compiles and runs the {@code ```java} blocks of a Markdown page as a user would paste them, and checks what they
 * print: the harness of every {@code *DocExamplesTest} and of {@code ReadmeExamplesTest}.
 * <ul>
 *   <li>A block is either a complete program ({@link #programs}: imports and one top-level public class with
 *   {@code main}) or the body of a {@code main} ({@link #mainBodies}: its {@code import} lines go on top of a
 *   generated class, the rest into its {@code main}).</li>
 *   <li>Every block is compiled with {@code --release 17 -Xlint:all -Werror} against only the library class path
 *   (Ordo's library modules and their runtime dependencies, no test library), and run in its own class loader
 *   that sees nothing else, in this JVM (which has no JVM flag in the default Surefire run).</li>
 *   <li>What it prints is checked by the page's convention: the comment after each {@code System.out.println}
 *   ({@link #assertPrintsItsComments}, {@link #assertPrintsItsCommentsInOrder},
 *   {@link #assertPrintsItsStatedComments}), or the {@code ```text} block that follows the program
 *   ({@link #assertPrintsTheTextBlockAfterIt}).</li>
 * </ul>
 */
public final class DocSnippets
{
    private static final Pattern PUBLIC_CLASS = Pattern.compile("(?m)^public (?:final )?class (\\w+)");
    private static final String PRINTLN = "System.out.println(";
    private static final String FENCE = "```";
    private static final Pattern ORDO_MODULE = Pattern.compile("clocks-api|clocks-impl|ntp-probe");
    private static final Pattern ORDO_JAR = Pattern.compile("(" + ORDO_MODULE + ")-[0-9][^-]*(-SNAPSHOT)?\\.jar");

    /** What the generated {@code main} of a {@link #mainBodies main body} declares. */
    public enum Main
    {
        /** {@code main(String[]) throws Exception}: the body may ignore checked exceptions. */
        THROWS_EXCEPTION,
        /** {@code main(String[])}: a body that ignores a checked exception does not compile. */
        THROWS_NOTHING
    }

    /**
     * One {@code ```java} block of a page.
     *
     * @param page      the page, relative to the repository root.
     * @param index     the block's position among the page's java blocks, from 0.
     * @param className the public class the source declares.
     * @param block     the block as written on the page.
     * @param source    the compilation unit compiled for it.
     * @param textAfter the {@code ```text} block right after it, or null.
     */
    public record Snippet(String page, int index, String className, String block, String source, String textAfter)
    {
        @Override
        public String toString()
        {
            return page + " snippet " + index + " (" + className + "):\n" + block;
        }
    }

    /** A check of what one snippet printed. */
    @FunctionalInterface
    public interface Check
    {
        /**
         * @param snippet the snippet.
         * @param printed the lines it printed.
         */
        void check(Snippet snippet, List<String> printed);
    }

    private DocSnippets()
    {
    }

    /**
     * @param relative a path relative to the repository root, e.g. {@code README.md} or {@code docs/hlc.md}.
     * @return the file, found by walking up from the working directory to the repository root.
     */
    public static Path repositoryFile(final String relative)
    {
        Path dir = Paths.get("").toAbsolutePath();
        while (dir != null)
        {
            final Path candidate = dir.resolve(relative);
            if (Files.exists(candidate) && Files.exists(dir.resolve("README.md")) && Files.exists(dir.resolve("bom")))
            {
                return candidate;
            }
            dir = dir.getParent();
        }
        throw new AssertionError(relative + " not found above " + Paths.get("").toAbsolutePath());
    }

    /**
     * @param page a Markdown page, relative to the repository root.
     * @return its {@code ```java} blocks, each a complete program with a top-level public class (asserted).
     */
    public static List<Snippet> programs(final String page) throws Exception
    {
        final List<Snippet> snippets = new ArrayList<>();
        final List<String[]> blocks = javaBlocks(page);
        for (int i = 0; i < blocks.size(); i++)
        {
            final String code = blocks.get(i)[0];
            final Matcher matcher = PUBLIC_CLASS.matcher(code);
            assertThat(matcher.find()).as("%s: a java block without a public class (not a complete program):%n%s",
                page, code).isTrue();
            snippets.add(new Snippet(page, i, matcher.group(1), code, code, blocks.get(i)[1]));
        }
        return snippets;
    }

    /**
     * @param page    a Markdown page, relative to the repository root.
     * @param imports import lines every block gets in addition to its own (may be empty).
     * @param main    what the generated {@code main} declares.
     * @return its {@code ```java} blocks, each turned into a class {@code Example<index>}: the block's
     *     {@code import} lines and {@code imports} on top, the rest of the block as the body of {@code main}.
     */
    public static List<Snippet> mainBodies(final String page, final String imports, final Main main) throws Exception
    {
        final List<Snippet> snippets = new ArrayList<>();
        final List<String[]> blocks = javaBlocks(page);
        for (int i = 0; i < blocks.size(); i++)
        {
            final String code = blocks.get(i)[0];
            final StringBuilder top = new StringBuilder(imports);
            final StringBuilder body = new StringBuilder();
            for (final String line : code.split("\\R"))
            {
                (line.startsWith("import ") ? top : body).append(line).append('\n');
            }
            final String className = "Example" + i;
            final String source = top + "public final class " + className + " {\n public static void main(final " +
                "String[] args)" + (main == Main.THROWS_EXCEPTION ? " throws Exception" : "") + " {\n" + body +
                "\n }\n}\n";
            snippets.add(new Snippet(page, i, className, code, source, blocks.get(i)[1]));
        }
        return snippets;
    }

    /**
     * @return the class path a user has with the documented dependencies: Ordo's library modules on the test class
     *     path (classes directories or jars, never test classes), Agrona, and the Bouncy Castle TLS jars when
     *     ntp-probe is among them (for NTS). Asserts that each is there once.
     */
    public static List<Path> libraryClassPath()
    {
        final String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        final List<Path> entries = new ArrayList<>();
        final List<String> ordoModules = new ArrayList<>();
        for (final String entry : classPath.split(Pattern.quote(File.pathSeparator)))
        {
            final Path path = Paths.get(entry);
            final String name = path.getFileName() == null ? "" : path.getFileName().toString();
            final String dir = path.getParent() == null || path.getParent().getParent() == null ? "" :
                path.getParent().getParent().getFileName().toString();
            final Matcher jar = ORDO_JAR.matcher(name);
            final boolean ordoClasses = name.equals("classes") && ORDO_MODULE.matcher(dir).matches();
            final boolean bouncyCastle = name.matches("bc(tls|prov|util)-jdk18on-[0-9.]+\\.jar");
            if (ordoClasses || jar.matches() || bouncyCastle || name.matches("agrona-[0-9.]+\\.jar"))
            {
                entries.add(path);
            }
            if (ordoClasses || jar.matches())
            {
                ordoModules.add(ordoClasses ? dir : jar.group(1));
            }
        }
        final boolean ntpProbe = ordoModules.contains("ntp-probe");
        assertThat(ordoModules).as("Ordo's modules on %s", classPath).isNotEmpty().doesNotHaveDuplicates();
        assertThat(entries).as("Ordo's modules %s, Agrona%s, on %s", ordoModules,
            ntpProbe ? " and Bouncy Castle's three jars" : "", classPath)
            .hasSize(ordoModules.size() + 1 + (ntpProbe ? 3 : 0));
        return entries;
    }

    /**
     * Compiles every snippet into {@code dir} against {@link #libraryClassPath()} for Java 17, every lint warning
     * an error.
     *
     * @param snippets the snippets of one page.
     * @param dir      an empty directory.
     */
    public static void compile(final List<Snippet> snippets, final Path dir) throws Exception
    {
        final List<String> args = new ArrayList<>(Arrays.asList("-proc:none", "--release", "17", "-Xlint:all",
            "-Werror", "-d", dir.toString(), "-cp", String.join(File.pathSeparator,
                libraryClassPath().stream().map(Path::toString).toList())));
        for (final Snippet snippet : snippets)
        {
            final Path source = dir.resolve(snippet.className() + ".java");
            assertThat(source).as("two snippets named %s", snippet.className()).doesNotExist();
            Files.writeString(source, snippet.source(), StandardCharsets.UTF_8);
            args.add(source.toString());
        }
        // javac through reflection: the test module does not read java.compiler at compile time.
        final Object compiler = Class.forName("javax.tools.ToolProvider").getMethod("getSystemJavaCompiler")
            .invoke(null);
        assertThat(compiler).as("a JDK with javac").isNotNull();
        final Method run = Class.forName("javax.tools.Tool")
            .getMethod("run", InputStream.class, OutputStream.class, OutputStream.class, String[].class);
        final ByteArrayOutputStream errors = new ByteArrayOutputStream();
        final int status = (int)run.invoke(compiler, null, errors, errors, (Object)args.toArray(new String[0]));
        assertThat(status).as("javac: %s", errors.toString(StandardCharsets.UTF_8)).isZero();
    }

    /**
     * Runs a compiled snippet's {@code main} in a class loader that sees only {@code dir} and the library class
     * path (over the platform class loader), with {@code System.out} captured.
     *
     * @param snippet the snippet.
     * @param dir     where {@link #compile} put it.
     * @param args    its command-line arguments.
     * @return the lines it printed.
     */
    public static List<String> run(final Snippet snippet, final Path dir, final String... args) throws Exception
    {
        final List<URL> urls = new ArrayList<>();
        urls.add(dir.toUri().toURL());
        for (final Path entry : libraryClassPath())
        {
            urls.add(entry.toUri().toURL());
        }
        final ByteArrayOutputStream captured = new ByteArrayOutputStream();
        final PrintStream original = System.out;
        try (URLClassLoader loader = new URLClassLoader(urls.toArray(new URL[0]), ClassLoader.getPlatformClassLoader()))
        {
            final Method main = loader.loadClass(snippet.className()).getMethod("main", String[].class);
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            main.invoke(null, (Object)args);
        }
        catch (final InvocationTargetException ex)
        {
            throw new AssertionError(snippet + "\nthrew " + ex.getCause(), ex.getCause());
        }
        finally
        {
            System.setOut(original);
        }
        return captured.toString(StandardCharsets.UTF_8).lines().toList();
    }

    /**
     * Compiles the snippets of one page into {@code dir}, runs each (without arguments) and checks what it printed.
     *
     * @param snippets the snippets of one page.
     * @param dir      an empty directory.
     * @param check    the page's convention for the expected output.
     */
    public static void compileAndRun(final List<Snippet> snippets, final Path dir, final Check check) throws Exception
    {
        compile(snippets, dir);
        for (final Snippet snippet : snippets)
        {
            check.check(snippet, run(snippet, dir));
        }
    }

    /**
     * The strict convention: every {@code System.out.println} has an output comment (see {@link #outputComments}),
     * and the snippet prints exactly those lines, one each, in order; a comment that starts with {@code e.g. } only
     * requires a line.
     *
     * @param snippet the snippet.
     * @param printed what it printed.
     */
    public static void assertPrintsItsComments(final Snippet snippet, final List<String> printed)
    {
        final List<String> expected = outputComments(snippet.block());
        assertThat(expected).as("a println without an output comment in %s", snippet).doesNotContainNull();
        assertThat(printed).as("lines printed by %s", snippet).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++)
        {
            if (!expected.get(i).startsWith("e.g. "))
            {
                assertThat(printed.get(i)).as("line %d of %s", i + 1, snippet).isEqualTo(expected.get(i));
            }
        }
    }

    /**
     * For programs that also print lines no comment states (measurements, loops): the output comment of every
     * {@code System.out.println} that has one (see {@link #outputComments}) is printed, as a whole line, in
     * order.
     *
     * @param snippet the snippet.
     * @param printed what it printed.
     */
    public static void assertPrintsItsCommentsInOrder(final Snippet snippet, final List<String> printed)
    {
        int at = 0;
        for (final String expected : outputComments(snippet.block()))
        {
            if (expected == null)
            {
                continue;
            }
            while (at < printed.size() && !printed.get(at).equals(expected))
            {
                at++;
            }
            assertThat(at).as("%s printed %s, expected the line '%s' in order", snippet, printed, expected)
                .isLessThan(printed.size());
            at++;
        }
    }

    /**
     * For snippets whose comments partly explain: the snippet prints something, and the output comment of the
     * n-th {@code System.out.println} (see {@link #outputComments}) states the n-th printed line when it starts
     * with a capital letter, a digit, {@code true} or {@code false}, up to a {@code ": "} that starts an
     * explanation; other comments only explain.
     *
     * @param snippet the snippet.
     * @param printed what it printed.
     */
    public static void assertPrintsItsStatedComments(final Snippet snippet, final List<String> printed)
    {
        assertThat(printed).as("%s printed something", snippet).isNotEmpty();
        final List<String> comments = outputComments(snippet.block());
        for (int line = 0; line < comments.size(); line++)
        {
            final String comment = comments.get(line);
            if (comment == null)
            {
                continue;
            }
            final int colon = comment.indexOf(": ");
            final String stated = (colon > 0 ? comment.substring(0, colon) : comment).trim();
            if (!stated.isEmpty() && (Character.isUpperCase(stated.charAt(0)) || Character.isDigit(stated.charAt(0)) ||
                stated.equals("true") || stated.equals("false")))
            {
                assertThat(printed).as("%s printed line %d", snippet, line).hasSizeGreaterThan(line);
                assertThat(printed.get(line)).as("line %d of %s", line, snippet).isEqualTo(stated);
            }
        }
    }

    /**
     * For complete programs followed by their output: a {@code ```text} block follows the snippet, and the
     * snippet prints exactly it (leading and trailing white space aside).
     *
     * @param snippet the snippet.
     * @param printed what it printed.
     */
    public static void assertPrintsTheTextBlockAfterIt(final Snippet snippet, final List<String> printed)
    {
        assertThat(snippet.textAfter()).as("a ```text block with the output must follow %s", snippet).isNotNull();
        assertThat(String.join("\n", printed).strip()).as("output of %s", snippet)
            .isEqualTo(snippet.textAfter().strip());
    }

    /**
     * @param code a snippet.
     * @return for each line that calls {@code System.out.println}, in order, its output comment: the text after
     *     the last {@code "// "} on that line, or else of a comment line right after it; null when it has none.
     */
    public static List<String> outputComments(final String code)
    {
        final List<String> comments = new ArrayList<>();
        final String[] lines = code.split("\\R");
        for (int i = 0; i < lines.length; i++)
        {
            if (!lines[i].contains(PRINTLN))
            {
                continue;
            }
            final int at = lines[i].lastIndexOf("// ");
            if (at > lines[i].indexOf(PRINTLN))
            {
                comments.add(lines[i].substring(at + 3).trim());
            }
            else if (i + 1 < lines.length && lines[i + 1].trim().startsWith("// "))
            {
                comments.add(lines[i + 1].trim().substring(3).trim());
            }
            else
            {
                comments.add(null);
            }
        }
        return comments;
    }

    /** The page's {@code ```java} blocks: each its code and the {@code ```text} block right after it, or null. */
    private static List<String[]> javaBlocks(final String page) throws Exception
    {
        final List<String> kinds = new ArrayList<>();
        final List<String> blocks = new ArrayList<>();
        StringBuilder current = null;
        for (final String line : Files.readString(repositoryFile(page), StandardCharsets.UTF_8).split("\\R"))
        {
            final String trimmed = line.trim();
            if (current == null && trimmed.startsWith(FENCE))
            {
                current = new StringBuilder();
                kinds.add(trimmed.substring(FENCE.length()).trim());
            }
            else if (current != null && trimmed.equals(FENCE))
            {
                blocks.add(current.toString());
                current = null;
            }
            else if (current != null)
            {
                current.append(line).append('\n');
            }
        }
        assertThat(current).as("%s ends inside a %s``` block", page, kinds.isEmpty() ? "" : kinds.get(kinds.size() - 1))
            .isNull();
        final List<String[]> java = new ArrayList<>();
        for (int i = 0; i < blocks.size(); i++)
        {
            if (kinds.get(i).equals("java"))
            {
                final boolean text = i + 1 < blocks.size() && kinds.get(i + 1).equals("text");
                java.add(new String[] {blocks.get(i), text ? blocks.get(i + 1) : null});
            }
        }
        return java;
    }
}
