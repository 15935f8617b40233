package dev.ordo.clocks.bounded;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
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

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps docs/bounded-clock.md honest: every {@code ```java} block is taken from the markdown itself, its
 * {@code import} lines put on top and the rest put into a {@code main} that declares no checked exception (so
 * a snippet that ignores {@code InterruptedException} or {@code IOException} does not compile), compiled
 * against the real API and run, in this JVM (which runs with no Agrona flag in the flag-free Surefire run).
 * A {@code System.out.println} whose comment (on its line or the next) starts with a capital letter, a digit,
 * {@code true} or {@code false} states its output (up to a {@code ": "} that starts an explanation), which must
 * match exactly; other comments only explain.
 */
class BoundedClockDocExamplesTest
{
    @Test
    void everyJavaSnippetInTheGuideShouldCompileAndRun() throws Exception
    {
        final List<String> snippets = javaBlocks(Files.readString(guide(), StandardCharsets.UTF_8));
        assertThat(snippets).hasSizeGreaterThanOrEqualTo(6);

        final Path dir = Files.createTempDirectory("ordo-bounded-doc-examples");
        final List<String> sources = new ArrayList<>();
        for (int i = 0; i < snippets.size(); i++)
        {
            final StringBuilder imports = new StringBuilder();
            final StringBuilder body = new StringBuilder();
            for (final String line : snippets.get(i).split("\\R"))
            {
                (line.startsWith("import ") ? imports : body).append(line).append('\n');
            }
            final Path source = dir.resolve("BoundedExample" + i + ".java");
            Files.writeString(source, imports + "public final class BoundedExample" + i +
                " {\n public static void main(final String[] args) {\n" + body + "\n }\n}\n", StandardCharsets.UTF_8);
            sources.add(source.toString());
        }
        compile(dir, sources);

        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader()))
        {
            for (int i = 0; i < snippets.size(); i++)
            {
                final Method main = loader.loadClass("BoundedExample" + i).getMethod("main", String[].class);
                final ByteArrayOutputStream captured = new ByteArrayOutputStream();
                final PrintStream original = System.out;
                System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
                try
                {
                    main.invoke(null, (Object)new String[0]);
                }
                finally
                {
                    System.setOut(original);
                }
                final List<String> printed = Arrays.asList(captured.toString(StandardCharsets.UTF_8).split("\\R"));
                assertThat(printed).as("snippet %d printed something:%n%s", i, snippets.get(i)).isNotEmpty();
                final List<String> expected = statedOutput(snippets.get(i));
                for (int line = 0; line < expected.size(); line++)
                {
                    if (expected.get(line) != null)
                    {
                        assertThat(printed.get(line)).as("line %d of snippet %d:%n%s", line, i, snippets.get(i))
                            .isEqualTo(expected.get(line));
                    }
                }
            }
        }
    }

    /** One entry per println: the output its comment states, or null when the comment only explains. */
    private static List<String> statedOutput(final String snippet)
    {
        final List<String> expected = new ArrayList<>();
        final String[] lines = snippet.split("\\R");
        for (int i = 0; i < lines.length; i++)
        {
            final String line = lines[i];
            if (!line.trim().startsWith("System.out.println("))
            {
                continue;
            }
            String comment = null;
            final int at = line.lastIndexOf("// ");
            if (at > 0)
            {
                comment = line.substring(at + 3).trim();
            }
            else if (i + 1 < lines.length && lines[i + 1].trim().startsWith("// "))
            {
                comment = lines[i + 1].trim().substring(3).trim();
            }
            if (comment != null)
            {
                final int colon = comment.indexOf(": ");
                final String stated = colon > 0 ? comment.substring(0, colon) : comment;
                comment = !stated.isEmpty() && (Character.isUpperCase(stated.charAt(0)) ||
                    Character.isDigit(stated.charAt(0)) || stated.equals("true") || stated.equals("false")) ?
                    stated.trim() : null;
            }
            expected.add(comment);
        }
        return expected;
    }

    private static Path guide()
    {
        Path dir = Paths.get("").toAbsolutePath();
        while (dir != null)
        {
            final Path candidate = dir.resolve("docs").resolve("bounded-clock.md");
            if (Files.exists(candidate))
            {
                return candidate;
            }
            dir = dir.getParent();
        }
        throw new AssertionError("docs/bounded-clock.md not found above " + Paths.get("").toAbsolutePath());
    }

    private static List<String> javaBlocks(final String markdown)
    {
        final List<String> blocks = new ArrayList<>();
        StringBuilder current = null;
        for (final String line : markdown.split("\\R"))
        {
            if (current == null && line.trim().equals("```java"))
            {
                current = new StringBuilder();
            }
            else if (current != null && line.trim().equals("```"))
            {
                blocks.add(current.toString());
                current = null;
            }
            else if (current != null)
            {
                current.append(line).append('\n');
            }
        }
        return blocks;
    }

    /** javac through reflection: the test module does not read java.compiler at compile time. */
    private static void compile(final Path dir, final List<String> sources) throws Exception
    {
        final Object compiler = Class.forName("javax.tools.ToolProvider").getMethod("getSystemJavaCompiler")
            .invoke(null);
        assertThat(compiler).as("a JDK with javac").isNotNull();
        final Method run = Class.forName("javax.tools.Tool")
            .getMethod("run", InputStream.class, OutputStream.class, OutputStream.class, String[].class);
        final List<String> args = new ArrayList<>(Arrays.asList(
            "-proc:none", "-nowarn", "-Xlint:none", "-d", dir.toString(), "-cp",
            System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"))));
        args.addAll(sources);
        final ByteArrayOutputStream errors = new ByteArrayOutputStream();
        final int status = (int)run.invoke(compiler, null, errors, errors, (Object)args.toArray(new String[0]));
        assertThat(status).as("javac: %s", errors.toString(StandardCharsets.UTF_8)).isZero();
    }
}
