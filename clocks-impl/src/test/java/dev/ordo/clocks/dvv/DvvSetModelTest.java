package dev.ordo.clocks.dvv;

import dev.ordo.clocks.testing.Seeds;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Differential test: random histories of writes with stale contexts, blind writes, syncs and reconciliations, run
 * on the real {@link DvvSet} and on {@link DvvWorld.Model} (explicit sets of dots). After every step each
 * replica's siblings and causal context must be exactly the model's: so nothing a write did not see is ever
 * dropped, nothing it saw survives, and siblings never exceed the truly concurrent writes.
 */
class DvvSetModelTest
{
    @Test
    void shouldMatchTheSetOfDotsModelAfterEveryStep()
    {
        final long seed = Seeds.seed("DvvSetModelTest");
        final Random random = new Random(seed);
        int maxSiblings = 0;
        for (int run = 0; run < 200; run++)
        {
            final DvvWorld world = new DvvWorld(random, 1 + random.nextInt(5));
            for (int step = 0; step < 80; step++)
            {
                world.step();
                for (int r = 0; r < world.replicas.length; r++)
                {
                    final DvvSet<String> real = world.replicas[r];
                    final DvvWorld.Model model = world.models[r];
                    final String where = "seed " + seed + " run " + run + " step " + step + " replica " + r;
                    assertThat(sorted(real.values())).as(where).isEqualTo(sorted(new ArrayList<>(
                        model.siblings.values())));
                    assertThat(real.siblingCount()).as(where).isEqualTo(model.siblings.size());
                    assertThat(vector(real.context())).as(where).isEqualTo(model.vector());
                    assertThat(model.downwardClosed()).as(where).isTrue();
                    maxSiblings = Math.max(maxSiblings, real.siblingCount());
                }
            }
        }
        assertThat(maxSiblings).as("the workload must create real conflicts").isGreaterThan(2);
    }

    private static List<String> sorted(final List<String> values)
    {
        values.sort(null);
        return values;
    }

    private static Map<Long, Long> vector(final VersionVector vv)
    {
        final Map<Long, Long> map = new TreeMap<>();
        for (int i = 0; i < vv.size(); i++)
        {
            map.put(vv.idAt(i), vv.counterAt(i));
        }
        return map;
    }
}
