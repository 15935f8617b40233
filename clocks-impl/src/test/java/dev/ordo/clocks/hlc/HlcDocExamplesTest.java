package dev.ordo.clocks.hlc;

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
 * Keeps docs/hlc.md and docs/lamport.md honest: every {@code ```java} block is a complete program body with
 * its own imports. The test moves the imports to the top of a class, puts the rest in {@code main}, compiles
 * it against the real API, runs it, and checks that each {@code System.out.println} prints the comment at
 * the end of its line.
 */
class HlcDocExamplesTest
{
    @Test
    void everySnippetOfTheHlcGuideShouldCompileRunAndPrintWhatItsCommentsSay() throws Exception
    {
        runGuide("hlc.md", 6);
    }

    @Test
    void everySnippetOfTheLamportGuideShouldCompileRunAndPrintWhatItsCommentsSay() throws Exception
    {
        runGuide("lamport.md", 2);
    }

    private void runGuide(final String name, final int atLeast) throws Exception
    {
        final List<String> snippets = javaBlocks(Files.readString(guide(name), StandardCharsets.UTF_8));
        assertThat(snippets).hasSizeGreaterThanOrEqualTo(atLeast);
        final Path dir = Files.createTempDirectory("ordo-hlc-doc-examples");
        final List<String> sources = new ArrayList<>();
        for (int i = 0; i < snippets.size(); i++)
        {
            final StringBuilder imports = new StringBuilder();
            final StringBuilder body = new StringBuilder();
            for (final String line : snippets.get(i).split("\\R"))
            {
                (line.startsWith("import ") ? imports : body).append(line).append('\n');
            }
            final Path source = dir.resolve("Example" + i + ".java");
            Files.writeString(source, imports + "public final class Example" + i +
                " {\n public static void main(final String[] args) throws Exception {\n" + body + "\n }\n}\n",
                StandardCharsets.UTF_8);
            sources.add(source.toString());
        }
        compile(dir, sources);
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader()))
        {
            for (int i = 0; i < snippets.size(); i++)
            {
                final List<String> expected = expectedOutput(snippets.get(i));
                final Method main = loader.loadClass("Example" + i).getMethod("main", String[].class);
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
                final String out = captured.toString(StandardCharsets.UTF_8);
                final List<String> printed = out.isEmpty() ? List.of() : Arrays.asList(out.split("\\R"));
                assertThat(printed).as("%s snippet %d:%n%s", name, i, snippets.get(i)).isEqualTo(expected);
            }
        }
    }

    private static Path guide(final String name)
    {
        Path dir = Paths.get("").toAbsolutePath();
        while (dir != null)
        {
            final Path candidate = dir.resolve("docs").resolve(name);
            if (Files.exists(candidate))
            {
                return candidate;
            }
            dir = dir.getParent();
        }
        throw new AssertionError("docs/" + name + " not found above " + Paths.get("").toAbsolutePath());
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

    private static List<String> expectedOutput(final String snippet)
    {
        final List<String> expected = new ArrayList<>();
        for (final String line : snippet.split("\\R"))
        {
            if (line.contains("System.out.println("))
            {
                final int comment = line.lastIndexOf("// ");
                assertThat(comment).as("println without an output comment: %s", line).isPositive();
                expected.add(line.substring(comment + 3).trim());
            }
        }
        return expected;
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
            "-proc:none", "-nowarn", "-d", dir.toString(), "-cp",
            System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"))));
        args.addAll(sources);
        final ByteArrayOutputStream errors = new ByteArrayOutputStream();
        final int status = (int)run.invoke(compiler, null, errors, errors, (Object)args.toArray(new String[0]));
        assertThat(status).as("javac: %s", errors.toString(StandardCharsets.UTF_8)).isZero();
    }
}
