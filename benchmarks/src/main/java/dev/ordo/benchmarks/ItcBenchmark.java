package dev.ordo.benchmarks;

import dev.ordo.clocks.api.Causality;
import dev.ordo.clocks.itc.ItcStamp;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Interval tree clock operations (docs/itc.md) among 4 and 16 live participants that have exchanged messages:
 * an event, a message (peek then join), a comparison of two concurrent stamps, and the codec. Stamps are
 * immutable trees, so these allocate (read {@code gc.alloc.rate.norm} with {@code -prof gc}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class ItcBenchmark
{
    /** Live participants (forks of one seed). */
    @Param({ "4", "16" })
    public int participants;

    private ItcStamp a;
    private ItcStamp b;
    private byte[] wire;

    /** Forks the seed into participants, then lets them record events and exchange messages. */
    @Setup
    public void setUp()
    {
        final ItcStamp[] live = new ItcStamp[participants];
        live[0] = ItcStamp.seed();
        for (int n = 1; n < participants; n++)
        {
            final ItcStamp.Fork fork = live[n / 2].fork();
            live[n / 2] = fork.left();
            live[n] = fork.right();
        }
        final SplittableRandom random = new SplittableRandom(42);
        for (int step = 0; step < participants * 20; step++)
        {
            final int i = random.nextInt(participants);
            final int j = random.nextInt(participants);
            live[i] = i == j || random.nextBoolean() ? live[i].event() : live[i].join(live[j].peek());
        }
        a = live[0].event();
        b = live[participants - 1].event();
        wire = new byte[4096];
    }

    /**
     * @return the stamp after one event.
     */
    @Benchmark
    public ItcStamp event()
    {
        return a.event();
    }

    /**
     * @return the receiver's stamp after a message.
     */
    @Benchmark
    public ItcStamp receive()
    {
        return a.join(b.peek());
    }

    /**
     * @return how two concurrent stamps relate.
     */
    @Benchmark
    public Causality compare()
    {
        return a.compare(b);
    }

    /**
     * @return the decoded stamp after encoding.
     */
    @Benchmark
    public ItcStamp encodeDecode()
    {
        final int n = a.encode(wire, 0);
        return ItcStamp.decode(wire, 0, n);
    }
}
