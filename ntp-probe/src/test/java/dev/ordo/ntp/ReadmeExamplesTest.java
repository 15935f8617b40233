package dev.ordo.ntp;

import dev.ordo.clocks.testing.DocSnippets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps the README and docs/ntp-probe.md honest: every {@code ```java} block is a complete program that compiles
 * with only Ordo's modules and Agrona on the class path, runs without a JVM flag, and prints what its comments
 * say ({@link DocSnippets}). Programs that query an NTP server are given a loopback responder as their first
 * argument, so nothing leaves the machine.
 */
class ReadmeExamplesTest
{
    @TempDir
    Path dir;

    private void compileAndRunAll(final String page, final int atLeast) throws Exception
    {
        assertThat(DocSnippets.libraryClassPath()).as("Ordo's three modules, Agrona and Bouncy Castle's three jars")
            .hasSize(7);
        final List<DocSnippets.Snippet> snippets = DocSnippets.programs(page);
        assertThat(snippets).as("java blocks in %s", page).hasSizeGreaterThanOrEqualTo(atLeast);
        DocSnippets.compile(snippets, dir);
        try (TestResponder server = new TestResponder(); TestResponder second = new TestResponder())
        {
            server.offsetNs = 3_000_000L;
            second.offsetNs = 3_000_000L;
            for (final DocSnippets.Snippet snippet : snippets)
            {
                if (snippet.block().contains("NtsKeClient"))
                {
                    continue; // compiled above; run against a real chronyd NTS server by NtsDocExampleTest
                }
                final boolean usesNtp = snippet.block().contains("args[0]");
                DocSnippets.assertPrintsItsComments(snippet, DocSnippets.run(snippet, dir, usesNtp ?
                    new String[]{server.spec().toString(), second.spec().toString()} : new String[0]));
            }
        }
    }

    @Test
    void everyReadmeSnippetShouldCompileWithOnlyTheDocumentedDependenciesAndRunWithoutAFlag() throws Exception
    {
        compileAndRunAll("README.md", 5);
    }

    @Test
    void everyNtpProbeGuideSnippetShouldCompileAndRun() throws Exception
    {
        compileAndRunAll("docs/ntp-probe.md", 2);
    }

    @Test
    void theBomShouldPinEveryLibraryModuleAtTheParentsVersion() throws Exception
    {
        final String parent = Files.readString(DocSnippets.repositoryFile("pom.xml"), StandardCharsets.UTF_8);
        final String bom = Files.readString(DocSnippets.repositoryFile("bom/pom.xml"), StandardCharsets.UTF_8);
        final String readme = Files.readString(DocSnippets.repositoryFile("README.md"), StandardCharsets.UTF_8);
        final String version = firstGroup("<artifactId>ordo-parent</artifactId>\\s*<version>([^<]+)</version>", parent);
        assertThat(firstGroup("<artifactId>ordo-bom</artifactId>\\s*<version>([^<]+)</version>", bom))
            .as("the BOM's version").isEqualTo(version);
        assertThat(parent).contains("<module>bom</module>");
        for (final String module : List.of("clocks-api", "clocks-impl", "ntp-probe"))
        {
            assertThat(bom).contains("<artifactId>" + module + "</artifactId>");
            assertThat(parent).contains("<module>" + module + "</module>");
            assertThat(readme).as("README names %s", module).contains("`" + module + "`");
        }
        assertThat(readme).contains("<artifactId>ordo-bom</artifactId>\n      <version>" + version + "</version>");
    }

    private static String firstGroup(final String regex, final String text)
    {
        final Matcher matcher = Pattern.compile(regex).matcher(text);
        assertThat(matcher.find()).as("%s", regex).isTrue();
        return matcher.group(1);
    }
}
