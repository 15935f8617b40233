package dev.ordo.ntp.nts;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps the NTS example in docs/ntp-probe.md honest: the doc's block is {@link NtsExample} (a compiled test
 * source) word for word, and the example runs against a real chronyd NTS server. Skipped loudly without chrony or
 * openssl; failed when CI=true.
 */
class NtsDocExampleTest
{
    @TempDir
    Path dir;

    @Test
    void theDocsExampleShouldBeNtsExampleVerbatimAndMeasureAnAuthenticatedOffset() throws Exception
    {
        final String doc = Files.readString(Path.of("..", "docs", "ntp-probe.md"), StandardCharsets.UTF_8);
        final int marker = doc.indexOf("<!-- NtsExample.java -->");
        assertThat(marker).as("the NTS example marker in docs/ntp-probe.md").isPositive();
        final int start = doc.indexOf("```java\n", marker) + "```java\n".length();
        final String block = doc.substring(start, doc.indexOf("```", start));
        final String source = Files.readString(
            Path.of("src", "test", "java", "dev", "ordo", "ntp", "nts", "NtsExample.java"), StandardCharsets.UTF_8);
        assertThat(block).isEqualTo(source.substring(source.indexOf("import ")));

        NtsChronyd.requireTools();
        try (NtsChronyd chronyd = NtsChronyd.start(dir, null, null))
        {
            final ByteArrayOutputStream captured = new ByteArrayOutputStream();
            final PrintStream original = System.out;
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            try
            {
                NtsExample.main(new String[]{"localhost", String.valueOf(chronyd.kePort()),
                    chronyd.certificate().toString()});
            }
            finally
            {
                System.setOut(original);
            }
            assertThat(captured.toString(StandardCharsets.UTF_8)).matches("offset -?\\d+ ns ± \\d+ ns \\(NTS\\)\\s*");
        }
    }
}
