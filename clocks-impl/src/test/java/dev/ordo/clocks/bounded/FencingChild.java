package dev.ordo.clocks.bounded;

import java.io.BufferedOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A child JVM for {@link FencingRestartTest}; runs until it is killed. Arguments: {@code issue <file>} issues
 * fencing tokens and prints each one after it was issued; {@code guard <file>} accepts ever higher tokens
 * (starting above its restored highest) and prints each one after the guard accepted it. The file is created
 * on the first start and opened afterwards.
 */
public final class FencingChild
{
    private FencingChild()
    {
    }

    /**
     * @param args mode and file.
     * @throws Exception on any failure (the parent then sees no output).
     */
    public static void main(final String[] args) throws Exception
    {
        final Path file = Path.of(args[1]);
        final boolean first = !Files.exists(file);
        final PrintStream out = new PrintStream(new BufferedOutputStream(System.out, 1 << 12), false);
        if ("issue".equals(args[0]))
        {
            final FencingTokenIssuer issuer = new FencingTokenIssuer(
                first ? FileFencingTokenStore.create(file, 1) : FileFencingTokenStore.open(file), 16);
            while (true)
            {
                out.println(issuer.next());
                out.flush();
            }
        }
        final DurableFencingTokenGuard guard = new DurableFencingTokenGuard(
            first ? FileFencingTokenStore.create(file, 0) : FileFencingTokenStore.open(file));
        long token = guard.highestToken() + 1;
        while (true)
        {
            if (guard.tryAccept(token))
            {
                out.println(token);
                out.flush();
            }
            token++;
        }
    }
}
