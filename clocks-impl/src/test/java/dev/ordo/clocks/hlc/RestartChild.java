package dev.ordo.clocks.hlc;

import dev.ordo.clocks.api.HybridTimestamps;

import java.io.BufferedOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A child JVM for {@link RestartSafetyTest}: issues HLC timestamps forever, printing each one (flushed) on
 * its own line, until it is killed. Arguments: {@code <store file | none> <clock offset ms> <window ms>
 * [<StoreStart> [remote-ahead]]}; with {@code remote-ahead} it first takes a remote timestamp 2 s ahead
 * (max offset 5 s).
 */
public final class RestartChild
{
    private RestartChild()
    {
    }

    /**
     * @param args store file or "none", physical clock offset in ms, persist window in ms.
     */
    public static void main(final String[] args)
    {
        final long offsetMs = Long.parseLong(args[1]);
        final AtomicHybridClock.Builder builder = AtomicHybridClock.builder()
            .epochClock(() -> System.currentTimeMillis() + offsetMs)
            .persistWindow(Long.parseLong(args[2]), TimeUnit.MILLISECONDS);
        if (!"none".equals(args[0]))
        {
            builder.upperBoundStore(new FileUpperBoundStore(Path.of(args[0])),
                args.length > 3 ? AtomicHybridClock.StoreStart.valueOf(args[3]) :
                    AtomicHybridClock.StoreStart.FIRST_START_OR_RESTART);
        }
        final boolean remoteAhead = args.length > 4 && "remote-ahead".equals(args[4]);
        final AtomicHybridClock clock = builder.maxOffset(5, TimeUnit.SECONDS).build();
        if (remoteAhead)
        {
            // A legal remote update 2 s ahead (max offset 5 s here): the persisted bound moves with it.
            clock.update(HybridTimestamps.pack(System.currentTimeMillis() + offsetMs + 2_000, 0));
        }
        final PrintStream out = new PrintStream(new BufferedOutputStream(System.out, 1 << 12), false);
        while (true)
        {
            for (int i = 0; i < 50; i++)
            {
                out.println(clock.now()); // issued first, printed after: the parent sees a subset
            }
            out.flush();
            LockSupport.parkNanos(200_000);
        }
    }
}
