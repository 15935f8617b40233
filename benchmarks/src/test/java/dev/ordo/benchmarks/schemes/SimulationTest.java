package dev.ordo.benchmarks.schemes;

import dev.ordo.clocks.testing.Seeds;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.IntFunction;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hand-made traces whose right answers are known, then properties of seeded runs.
 */
class SimulationTest
{
    private static final long MS = 1_000;

    /** Every message takes exactly 1 ms, none is lost; no anti-entropy; no drift. */
    private static final Network ONE_MS = (writeId, from, to, sentUs, round) -> new long[] {sentUs + MS};

    private static SimConfig config(final int replicas, final long... offsetsUs)
    {
        return SimConfig.defaults().replicas(replicas).clients(replicas).keys(1).maxDriftPpm(0)
            .antiEntropyUs(0).offsetsUs(offsetsUs);
    }

    private static SchemeResult run(
        final SimConfig config, final TimestampScheme scheme, final Network network,
        final Simulation.Operation... operations)
    {
        return new Simulation(config, scheme, List.of(operations), network).run();
    }

    private static List<TimestampScheme> allSchemes(final int replicas, final long epsilonUs)
    {
        return List.of(new WallClockScheme(), new LamportScheme(replicas), new HybridScheme(replicas),
            new VectorScheme(replicas), new DvvScheme(replicas), new BoundedScheme(epsilonUs));
    }

    @Test
    void lastWriteWinsShouldLoseTheLaterOfTwoCausallyOrderedWritesFromSkewedNodesAndHlcShouldKeepIt()
    {
        // Replica 0 runs 50 ms ahead. It writes w0 at 0; replica 1 reads w0 at 10 ms and overwrites it with w1.
        final SimConfig config = config(2, 50 * MS, 0);
        final Simulation.Operation w0 = new Simulation.Operation(0, 0, 0);
        final Simulation.Operation w1 = new Simulation.Operation(10 * MS, 1, 0);

        final SchemeResult lww = run(config, new WallClockScheme(), ONE_MS, w0, w1);
        final SchemeResult hlc = run(config, new HybridScheme(2), ONE_MS, w0, w1);

        assertThat(lww.lostWrites()).as("w1 stamped 10 ms loses to w0 stamped 50 ms").isEqualTo(1);
        assertThat(hlc.lostWrites()).isZero();
        assertThat(hlc.concurrentOverwritten()).isZero();
        for (final TimestampScheme scheme : allSchemes(2, 51 * MS))
        {
            final SchemeResult result = run(config, scheme, ONE_MS, w0, w1);
            assertThat(result.writes()).isEqualTo(2);
            assertThat(result.concurrentDetected()).as(scheme.name()).isZero();
            if (!(scheme instanceof WallClockScheme))
            {
                assertThat(result.lostWrites()).as(scheme.name()).isZero();
            }
        }
    }

    @Test
    void vectorClocksShouldDetectTwoConcurrentWritesAndTotalOrdersShouldArbitrateOneAway()
    {
        // Both replicas write before either hears of the other's write.
        final SimConfig config = config(2, 0, 0);
        final Simulation.Operation w0 = new Simulation.Operation(0, 0, 0);
        final Simulation.Operation w1 = new Simulation.Operation(MS / 2, 1, 0);

        for (final TimestampScheme scheme : allSchemes(2, MS))
        {
            final SchemeResult result = run(config, scheme, ONE_MS, w0, w1);
            assertThat(result.lostWrites()).as(scheme.name()).isZero();
            if (scheme instanceof VectorScheme || scheme instanceof DvvScheme)
            {
                assertThat(result.concurrentDetected()).as(scheme.name()).isEqualTo(1);
                assertThat(result.concurrentOverwritten()).isZero();
            }
            else
            {
                assertThat(result.concurrentDetected()).as(scheme.name()).isZero();
                assertThat(result.concurrentOverwritten()).as(scheme.name()).isEqualTo(1);
            }
        }
    }

    @Test
    void aReaderShouldSeeLastWriteWinsGoBackInTimeWhenAnOlderWriteWithAFastClockArrivesLate()
    {
        // Replica 0 runs 50 ms ahead and writes w0; its message to replica 2 takes 30 ms. Replica 1 reads w0 and
        // writes w1 at 10 ms, which reaches replica 2 at 11 ms. Client 2 reads at replica 2 at 20 ms (sees w1;
        // its own write w2 follows), and again at 40 ms, after w0 arrived.
        final SimConfig config = config(3, 50 * MS, 0, 0);
        final Network slowToTwo = (writeId, from, to, sentUs, round) ->
            new long[] {sentUs + (from == 0 && to == 2 ? 30 * MS : MS)};
        final Simulation.Operation[] trace = {
            new Simulation.Operation(0, 0, 0),
            new Simulation.Operation(10 * MS, 1, 0),
            new Simulation.Operation(20 * MS, 2, 0),
            new Simulation.Operation(40 * MS, 2, 0, false)};

        final SchemeResult lww = run(config, new WallClockScheme(), slowToTwo, trace);
        final SchemeResult hlc = run(config, new HybridScheme(3), slowToTwo, trace);
        final SchemeResult vector = run(config, new VectorScheme(3), slowToTwo, trace);

        assertThat(lww.causalityViolations()).as("client 2 read w1, then w0 which happened before it")
            .isEqualTo(1);
        assertThat(lww.lostWrites()).as("w1 and w2 both lose to w0").isEqualTo(2);
        assertThat(lww.reads()).isEqualTo(4);
        assertThat(hlc.causalityViolations()).isZero();
        assertThat(hlc.lostWrites()).isZero();
        assertThat(vector.causalityViolations()).isZero();
        assertThat(vector.lostWrites()).isZero();
    }

    @Test
    void dvvShouldTrackWhatAWriterSawOfTheKeyNotWhatItsReplicaHeardOfOtherKeys()
    {
        // Replica 0 writes key 0 (wk); its message to replica 2 takes 30 ms. Replica 1 has wk at 1 ms and writes
        // key 1 (wj) at 5 ms, which reaches replica 2 at 6 ms. At 10 ms replica 2 writes key 0 (wk2) without ever
        // having held wk: wk happened before wk2 only through the message about key 1.
        final SimConfig config = config(3, 0, 0, 0).keys(2);
        final Network slowToTwo = (writeId, from, to, sentUs, round) ->
            new long[] {sentUs + (from == 0 && to == 2 ? 30 * MS : MS)};
        final Simulation.Operation[] trace = {
            new Simulation.Operation(0, 0, 0),
            new Simulation.Operation(5 * MS, 1, 1),
            new Simulation.Operation(10 * MS, 2, 0),
            new Simulation.Operation(40 * MS, 2, 0, false)};

        final SchemeResult vector = run(config, new VectorScheme(3), slowToTwo, trace);
        final SchemeResult dvv = run(config, new DvvScheme(3), slowToTwo, trace);

        assertThat(vector.concurrentDetected()).as("the replica's clock had heard of wk: wk is dropped").isZero();
        assertThat(dvv.concurrentDetected()).as("wk2's writer never read wk: both are kept").isEqualTo(1);
        assertThat(dvv.maxSiblings()).isEqualTo(2);
        assertThat(vector.lostWrites()).isZero();
        assertThat(dvv.lostWrites()).isZero();
        assertThat(dvv.concurrentOverwritten()).isZero();
    }

    @Test
    void withOneKeyDvvShouldDecideExactlyAsPerReplicaVectorClocks()
    {
        final long seed = Seeds.seed("SimulationTest.dvvOneKey");
        final SimConfig config = SimConfig.defaults().seed(seed).operations(1_500).keys(1)
            .faults(0.05, 0.05, 0.2, 50 * MS);
        final List<SchemeResult> results = SchemeComparison.compare(config, new long[] {0, 100});
        for (int i = 0; i < results.size(); i++)
        {
            if (results.get(i).scheme().startsWith("DVV"))
            {
                final SchemeResult dvv = results.get(i);
                final SchemeResult vector = results.get(i - 1);
                assertThat(vector.scheme()).isEqualTo("Vector clock");
                assertThat(new long[] {dvv.lostWrites(), dvv.concurrentOverwritten(), dvv.causalityViolations(),
                    dvv.concurrentDetected(), dvv.siblingsRead(), dvv.maxSiblings()}).as("seed %d", seed)
                    .containsExactly(vector.lostWrites(), vector.concurrentOverwritten(), vector.causalityViolations(),
                        vector.concurrentDetected(), vector.siblingsRead(), vector.maxSiblings());
                assertThat(dvv.lostWrites() + dvv.concurrentOverwritten()).isZero();
                assertThat(dvv.maxSiblings()).isGreaterThan(1);
            }
        }
    }

    @Test
    void hlcShouldRejectATimestampMoreThanItsMaxOffsetAhead()
    {
        final SimConfig config = config(2, 1_000 * MS, 0);

        final SchemeResult hlc = run(config, new HybridScheme(2), ONE_MS, new Simulation.Operation(0, 0, 0));

        assertThat(hlc.rejections()).isEqualTo(1);
        assertThat(hlc.messages()).isEqualTo(1);
    }

    @Test
    void boundedClockShouldWaitTwiceItsErrorBoundAndKeepCausalOrderUnderSkew()
    {
        final SimConfig config = config(2, 50 * MS, 0);
        final Simulation.Operation w0 = new Simulation.Operation(0, 0, 0);
        final Simulation.Operation w1 = new Simulation.Operation(200 * MS, 1, 0);

        final SchemeResult bounded = run(config, new BoundedScheme(60 * MS), ONE_MS, w0, w1);

        assertThat(bounded.maxWaitUs()).isEqualTo(120 * MS + 1);
        assertThat(bounded.totalWaitUs()).isEqualTo(2 * (120 * MS + 1));
        assertThat(bounded.lostWrites()).isZero();
        assertThat(bounded.concurrentOverwritten()).isZero();
    }

    @Test
    void shouldCountMetadataPerMessage()
    {
        final SimConfig config = config(4, 0, 0, 0, 0);
        final Simulation.Operation w0 = new Simulation.Operation(0, 0, 0);

        final SchemeResult vector = run(config, new VectorScheme(4), ONE_MS, w0);
        final SchemeResult hlc = run(config, new HybridScheme(4), ONE_MS, w0);

        assertThat(vector.messages()).isEqualTo(3);
        // Ordo's wire format after one write of replica 0: format byte, layout byte, entry count, then one
        // entry of a one-byte node id and a one-byte counter; zero entries are not sent.
        assertThat(vector.metadataBytesPerMessage()).isEqualTo(5.0);
        assertThat(hlc.metadataBytesPerMessage()).isEqualTo(10.0);
    }

    @Test
    void sameSeedShouldPrintTheSameTable()
    {
        final long seed = Seeds.seed("SimulationTest.sameSeed");
        final SimConfig config = SimConfig.defaults().seed(seed).operations(1_500);

        final String first = SchemeComparison.markdown(SchemeComparison.compare(config, new long[] {0, 100}));
        final String second = SchemeComparison.markdown(SchemeComparison.compare(
            SimConfig.defaults().seed(seed).operations(1_500), new long[] {0, 100}));

        assertThat(second).as("seed %d", seed).isEqualTo(first);
    }

    @Test
    void schemesThatRespectHappensBeforeShouldNeverLoseWritesOrGoBackInTimeOnASeededRun()
    {
        final long seed = Seeds.seed("SimulationTest.properties");
        final SimConfig config = SimConfig.defaults().seed(seed).operations(2_000).faults(0.05, 0.05, 0.2, 50 * MS);

        for (final SchemeResult r : SchemeComparison.compare(config, new long[] {0, 10, 300}))
        {
            assertThat(r.writes() + r.reads()).as("seed %d", seed).isGreaterThanOrEqualTo(2_000);
            if (!r.scheme().equals("LWW wall clock"))
            {
                assertThat(r.lostWrites()).as("seed %d, %s at %d us", seed, r.scheme(), r.skewUs()).isZero();
            }
            if (!r.scheme().equals("LWW wall clock") && !r.scheme().startsWith("DVV"))
            {
                // DVV tracks causality per key: see dvvShouldTrackWhatAWriterSawOfTheKeyNotWhatItsReplicaHeardOfOtherKeys.
                assertThat(r.causalityViolations()).as("seed %d, %s at %d us", seed, r.scheme(), r.skewUs())
                    .isZero();
            }
            if (r.scheme().equals("Vector clock") || r.scheme().startsWith("DVV"))
            {
                assertThat(r.concurrentOverwritten()).as("seed %d", seed).isZero();
            }
            else
            {
                assertThat(r.concurrentDetected()).as("seed %d, %s", seed, r.scheme()).isZero();
            }
        }
    }

    @Test
    void lastWriteWinsShouldLoseMoreWritesAsSkewGrows()
    {
        final long seed = Seeds.seed("SimulationTest.lwwSkew");
        final IntFunction<Long> lostAt = skewMs -> SchemeComparison.compare(
                SimConfig.defaults().seed(seed).operations(2_000), new long[] {skewMs}).get(0).lostWrites();

        final long none = lostAt.apply(0);
        final long small = lostAt.apply(10);
        final long large = lostAt.apply(1_000);

        assertThat(none).as("seed %d", seed).isZero();
        assertThat(large).as("seed %d", seed).isGreaterThan(small);
    }
}
