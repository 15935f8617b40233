package dev.ordo.ntp;

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
 * Compiles and runs the {@code ```java} blocks of a Markdown page exactly as a user would paste them: each block
 * is a complete compilation unit (imports, one public class with {@code main}), compiled with only Ordo's
 * library modules and Agrona on the class path (no test libraries), and run in a class loader that sees nothing
 * else, in this JVM, which has no JVM flag.
 */
final class JavaSnippets
{
    private static final Pattern PUBLIC_CLASS = Pattern.compile("(?m)^public (?:final )?class (\\w+)");

    /** One block: its class name and code. */
    record Snippet(String className, String code)
    {
        /** @return the comment after each {@code System.out.println}: the line it must print. */
        List<String> expectedOutput()
        {
            final List<String> expected = new ArrayList<>();
            for (final String line : code.split("\\R"))
            {
                if (line.contains("System.out.println("))
                {
                    final int comment = line.lastIndexOf("// ");
                    assertThat(comment).as("println without an output comment in %s: %s", className, line)
                        .isPositive();
                    expected.add(line.substring(comment + 3).trim());
                }
            }
            return expected;
        }
    }

    private JavaSnippets()
    {
    }

    /**
     * @param relative a path relative to the repository root, e.g. {@code README.md}.
     * @return the file, found by walking up from the working directory to the repository root.
     */
    static Path repositoryFile(final String relative)
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
     * @param markdown a Markdown page.
     * @return its {@code ```java} blocks, in order.
     */
    static List<Snippet> javaBlocks(final String markdown)
    {
        final List<Snippet> blocks = new ArrayList<>();
        StringBuilder current = null;
        for (final String line : markdown.split("\\R", -1))
        {
            if (current == null && line.equals("```java"))
            {
                current = new StringBuilder();
            }
            else if (current != null && line.equals("```"))
            {
                final String code = current.toString();
                final Matcher matcher = PUBLIC_CLASS.matcher(code);
                assertThat(matcher.find()).as("a java block without a public class (not a complete program):%n%s",
                    code).isTrue();
                blocks.add(new Snippet(matcher.group(1), code));
                current = null;
            }
            else if (current != null)
            {
                current.append(line).append('\n');
            }
        }
        return blocks;
    }

    /**
     * @return the class path a user has with the documented dependencies: Ordo's library modules, Agrona and
     * Bouncy Castle's TLS (ntp-probe's NTS dependency).
     */
    static List<Path> libraryClassPath()
    {
        final String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        final List<Path> entries = new ArrayList<>();
        for (final String entry : classPath.split(Pattern.quote(File.pathSeparator)))
        {
            final Path path = Paths.get(entry);
            final String name = path.getFileName() == null ? "" : path.getFileName().toString();
            final String module = path.getParent() == null || path.getParent().getParent() == null ? "" :
                path.getParent().getParent().getFileName().toString();
            final boolean ordoClasses = name.equals("classes") && module.matches("clocks-api|clocks-impl|ntp-probe");
            final boolean ordoJar = name.matches("(clocks-api|clocks-impl|ntp-probe)-[0-9][^-]*(-SNAPSHOT)?\\.jar");
            // Bouncy Castle's TLS is ntp-probe's runtime dependency for NTS (the NTS snippet runs without a server,
            // and fails on a missing class before it can print its one-line error).
            final boolean bouncyCastle = name.matches("bc(tls|util|prov)-jdk18on-[0-9.]+\\.jar");
            if (ordoClasses || ordoJar || bouncyCastle || name.matches("agrona-[0-9.]+\\.jar"))
            {
                entries.add(path);
            }
        }
        assertThat(entries).as("Ordo's three modules, Agrona and Bouncy Castle's three jars on %s", classPath)
            .hasSize(7);
        return entries;
    }

    /**
     * Compiles every snippet into {@code dir} against {@link #libraryClassPath()} with every lint warning an
     * error.
     *
     * @param snippets the blocks.
     * @param dir      an empty directory.
     */
    static void compile(final List<Snippet> snippets, final Path dir) throws Exception
    {
        final List<String> args = new ArrayList<>(Arrays.asList("-proc:none", "--release", "17", "-Xlint:all",
            "-Werror", "-d", dir.toString(), "-cp", String.join(File.pathSeparator,
                libraryClassPath().stream().map(Path::toString).toList())));
        for (final Snippet snippet : snippets)
        {
            final Path source = dir.resolve(snippet.className() + ".java");
            assertThat(source).as("two snippets named %s", snippet.className()).doesNotExist();
            Files.writeString(source, snippet.code(), StandardCharsets.UTF_8);
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
     * Runs a compiled snippet's {@code main} in a class loader that sees only the library class path and
     * {@code dir}, and checks each printed line against its comment ({@code e.g. ...} comments only require a
     * line).
     *
     * @param snippet the block.
     * @param dir     where it was compiled.
     * @param args    its command-line arguments.
     * @return what it printed.
     */
    static List<String> run(final Snippet snippet, final Path dir, final String... args) throws Exception
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
            throw new AssertionError(snippet.className() + " threw " + ex.getCause(), ex.getCause());
        }
        finally
        {
            System.setOut(original);
        }
        final List<String> printed = captured.toString(StandardCharsets.UTF_8).lines().toList();
        final List<String> expected = snippet.expectedOutput();
        assertThat(printed).as("lines printed by %s", snippet.className()).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++)
        {
            if (!expected.get(i).startsWith("e.g. "))
            {
                assertThat(printed.get(i)).as("line %d of %s", i + 1, snippet.className()).isEqualTo(expected.get(i));
            }
        }
        return printed;
    }
}
