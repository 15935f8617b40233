package dev.ordo.cluster;

import dev.ordo.clocks.api.HybridTimestampFormat;
import dev.ordo.clocks.api.HybridTimestamps;
import dev.ordo.clocks.api.MaxOffsetExceededException;
import dev.ordo.clocks.testing.Seeds;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Ordo across real processes: five {@link ClusterNode} JVMs, each under libfaketime with its own system clock
 * offset, exchange causally related writes over loopback UDP for a few seconds; one is killed with SIGKILL
 * mid-run and restarted on its persisted HLC upper bound. The merged logs must show: every receive after its
 * send (HLC and vector), every node's vector equal to the happens-before recomputed from the logs, HLC order
 * never contradicting happens-before, the node at +2 s rejected by every peer with
 * {@link MaxOffsetExceededException}'s message and nobody dragged forward by it, last-write-wins by wall
 * clocks losing causally later writes that the HLC keeps, and the restarted node never reissuing the past.
 * See docs/cluster-test.md.
 */
class ClusterTest
{
    static final String FAKETIME_LIB = "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1";
    /** libfaketime's relative offsets: "+0.120" is 120 ms ahead ("+120ms" would NOT mean milliseconds). */
    static final String[] OFFSETS = {"+0", "+0.120", "-0.080", "+0.350", "+2"};
    static final long[] OFFSETS_MS = {0, 120, -80, 350, 2_000};
    static final int RESTARTED_NODE = 1;
    static final int FAR_AHEAD_NODE = 4;
    static final String[] PROCESSES = {"n0.0", "n1.0", "n2.0", "n3.0", "n4.0", "n1.1"};
    static final long WORKLOAD_MS = 6_000;
    static final long KILL_AT_MS = 2_500;
    static final long RESTARTED_MIN_RUN_MS = 3_000;
    static final long MAX_OFFSET_MS = 500;
    static final Path OUT = Path.of("target", "cluster-test");

    private final List<Node> started = new CopyOnWriteArrayList<>();
    private String heartbeatPorts;

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS) // ~30 s on a quiet machine; 100 s+ at load average 40
    void clocksShouldKeepCausalityAcrossSkewedProcessesAndASigkill() throws Exception
    {
        requireFaketime();
        final long seed = Seeds.seed("ClusterTest");
        final long startNs = System.nanoTime();
        Files.createDirectories(OUT);
        Files.deleteIfExists(OUT.resolve("report.json"));
        for (final String process : PROCESSES)
        {
            Files.deleteIfExists(OUT.resolve(process + ".log"));
            Files.deleteIfExists(OUT.resolve(process + ".err"));
        }
        for (int i = 0; i < OFFSETS.length; i++)
        {
            Files.deleteIfExists(OUT.resolve("n" + i + ".bound"));
        }
        final Thread reaper = new Thread(this::destroyAll, "cluster-test-reaper");
        Runtime.getRuntime().addShutdownHook(reaper);
        final Map<String, long[]> measuredOffsets = new LinkedHashMap<>();
        String killedAt = "";
        try
        {
            final int[] ports = freeLoopbackPorts(2 * OFFSETS.length);
            final String portList = join(java.util.Arrays.copyOf(ports, OFFSETS.length));
            heartbeatPorts = join(java.util.Arrays.copyOfRange(ports, OFFSETS.length, 2 * OFFSETS.length));
            final Node[] nodes = new Node[PROCESSES.length];
            for (int i = 0; i < OFFSETS.length; i++)
            {
                nodes[i] = launch(i, i, portList, seed);
            }
            for (int i = 0; i < OFFSETS.length; i++)
            {
                nodes[i].await("READY");
                measuredOffsets.put(PROCESSES[i], nodes[i].measureOffset());
            }
            final long goNs = System.nanoTime();
            for (int i = 0; i < OFFSETS.length; i++)
            {
                nodes[i].command("GO");
            }
            sleepUntil(goNs, KILL_AT_MS);
            awaitLogLines(PROCESSES[RESTARTED_NODE], 40); // a loaded machine may start the JVMs slowly
            final long killNs = System.nanoTime();
            final Node victim = nodes[RESTARTED_NODE];
            sigkill(victim.process);
            killedAt = String.format("%.1f s", (System.nanoTime() - goNs) / 1e9);
            nodes[5] = launch(5, RESTARTED_NODE, portList, seed);
            nodes[5].await("READY");
            measuredOffsets.put(PROCESSES[5], nodes[5].measureOffset());
            nodes[5].command("GO");
            final long restartGoNs = System.nanoTime();
            awaitLogLines(PROCESSES[5], 40);
            sleepUntil(killNs, WORKLOAD_MS - KILL_AT_MS);
            // On a loaded machine the restart can take longer than the rest of the workload: give the restarted
            // node at least 3 s (60 heartbeat rounds) so every peer's monitor has measured it.
            sleepUntil(restartGoNs, RESTARTED_MIN_RUN_MS);
            for (int i = 0; i < PROCESSES.length; i++)
            {
                if (i != RESTARTED_NODE)
                {
                    nodes[i].command("STOP");
                }
            }
            for (int i = 0; i < PROCESSES.length; i++)
            {
                if (i != RESTARTED_NODE)
                {
                    nodes[i].await("DONE");
                    assertThat(nodes[i].process.waitFor(20, TimeUnit.SECONDS)).as("%s exits", PROCESSES[i]).isTrue();
                    assertThat(nodes[i].process.exitValue()).as("exit status of %s (see %s.err)",
                        PROCESSES[i], PROCESSES[i]).isZero();
                }
            }
        }
        finally
        {
            destroyAll();
            Runtime.getRuntime().removeShutdownHook(reaper);
        }
        check(seed, measuredOffsets, killedAt, (System.nanoTime() - startNs) / 1e9);
    }

    private void check(
        final long seed, final Map<String, long[]> measuredOffsets, final String killedAt, final double runS)
        throws IOException
    {
        final Map<String, List<ClusterLog.Event>> logs = new LinkedHashMap<>();
        for (final String process : PROCESSES)
        {
            logs.put(process, ClusterLog.read(OUT.resolve(process + ".log")));
        }
        final Map<String, ClusterLog.Event> sends = new HashMap<>();
        final Map<String, ClusterLog.Event> writes = new HashMap<>();
        for (final List<ClusterLog.Event> events : logs.values())
        {
            for (final ClusterLog.Event e : events)
            {
                if ("SEND".equals(e.type))
                {
                    sends.put(e.messageId, e);
                }
                else if ("WRITE".equals(e.type))
                {
                    writes.put(e.writeId, e);
                }
            }
        }

        // libfaketime really skews each process's clock as configured.
        for (final Map.Entry<String, long[]> m : measuredOffsets.entrySet())
        {
            final int node = m.getKey().charAt(1) - '0';
            assertThat(Math.abs(m.getValue()[0] - OFFSETS_MS[node]))
                .as("seed %d: %s measured offset %d ms (rtt %d ms), configured %d ms", seed, m.getKey(),
                    m.getValue()[0], m.getValue()[1], OFFSETS_MS[node])
                .isLessThanOrEqualTo(m.getValue()[1] / 2 + 30);
        }

        // 1. Process order: HLC strictly increases within each process, and across the restart.
        for (final Map.Entry<String, List<ClusterLog.Event>> log : logs.entrySet())
        {
            long last = Long.MIN_VALUE;
            for (final ClusterLog.Event e : log.getValue())
            {
                if (e.isClockEvent())
                {
                    assertThat(e.hlc).as("seed %d: HLC in process order at %s", seed, e).isGreaterThan(last);
                    last = e.hlc;
                }
            }
        }
        final long lastBeforeKill = logs.get(PROCESSES[RESTARTED_NODE]).stream()
            .filter(ClusterLog.Event::isClockEvent).mapToLong(e -> e.hlc).max().orElseThrow();
        final long firstAfterRestart = logs.get(PROCESSES[5]).stream()
            .filter(ClusterLog.Event::isClockEvent).mapToLong(e -> e.hlc).min().orElseThrow();
        assertThat(firstAfterRestart)
            .as("seed %d: first HLC after restart %s vs last logged before SIGKILL %s", seed,
                HybridTimestamps.toString(firstAfterRestart), HybridTimestamps.toString(lastBeforeKill))
            .isGreaterThan(lastBeforeKill);

        // 2. Every receive is after its send (HLC and vector); messages from the +2 s node are all rejected,
        //    with the documented message, and nothing else is.
        int received = 0;
        int rejected = 0;
        int wallInversions = 0;
        int farRejected = 0;
        int farAccepted = 0;
        final Set<String> arrived = new HashSet<>();
        for (final List<ClusterLog.Event> events : logs.values())
        {
            for (final ClusterLog.Event e : events)
            {
                if (!"RECV".equals(e.type) && !"REJECT".equals(e.type))
                {
                    continue;
                }
                final ClusterLog.Event send = sends.get(e.messageId);
                assertThat(send).as("seed %d: send of %s is logged", seed, e).isNotNull();
                assertThat(arrived.add(e.messageId)).as("seed %d: %s arrived once", seed, e).isTrue();
                final boolean fromFarNode = send.process.equals(PROCESSES[FAR_AHEAD_NODE]);
                final long remoteMs = HybridTimestampFormat.MILLIS.physical(send.hlc);
                final String[] parts = e.detail.split(" ", 6);
                if ("RECV".equals(e.type))
                {
                    received++;
                    // accepted: the clock's physical reading p lay in [before, after] and remote - p <= max offset
                    final long afterMs = Long.parseLong(parts[1]);
                    assertThat(remoteMs - afterMs).as("seed %d: %s accepted %d ms ahead", seed, e, remoteMs - afterMs)
                        .isLessThanOrEqualTo(MAX_OFFSET_MS);
                    farAccepted += fromFarNode ? 1 : 0;
                    assertThat(e.hlc).as("seed %d: HLC of %s after %s", seed, e, send).isGreaterThan(send.hlc);
                    assertThat(ClusterLog.before(send.vector, e.vector))
                        .as("seed %d: vector of %s after %s", seed, e, send).isTrue();
                    wallInversions += e.wallMs < send.wallMs ? 1 : 0;
                }
                else
                {
                    rejected++;
                    farRejected += fromFarNode ? 1 : 0;
                    final long localPhysical = Long.parseLong(parts[3]);
                    assertThat(Long.parseLong(parts[0])).as("seed %d", seed).isEqualTo(send.hlc);
                    assertThat(localPhysical).as("seed %d: physical time of %s", seed, e)
                        .isBetween(Long.parseLong(parts[1]), Long.parseLong(parts[2]));
                    assertThat(remoteMs - localPhysical).as("seed %d: %s rejected", seed, e)
                        .isGreaterThan(MAX_OFFSET_MS);
                    assertThat(Long.parseLong(parts[4])).as("seed %d", seed).isEqualTo(MAX_OFFSET_MS);
                    final String expected = new MaxOffsetExceededException(
                        HybridTimestampFormat.MILLIS, send.hlc, localPhysical, MAX_OFFSET_MS).getMessage();
                    assertThat(parts[5]).as("seed %d: rejection message", seed).isEqualTo(expected);
                }
            }
        }
        // The +2 s node is rejected whenever its message arrives promptly. Since it runs the clock monitor, it
        // fences itself (stops writing) once a quorum of peers finds it out of step, usually within a few of its
        // writes; on a loaded machine those few can all be lost or delivered over 1.5 s late (then accepted,
        // correctly: each acceptance was checked above). So: rejected at least once, or it sent only a handful.
        final long farSends = count(logs.get(PROCESSES[FAR_AHEAD_NODE]), "SEND");
        if (farRejected == 0)
        {
            assertThat(farSends).as("seed %d: the +2 s node was never rejected, so the monitor must have stopped " +
                "it after a handful of writes", seed).isLessThan(20);
        }
        // Other rejections are the +2 s node's drag passed on: a late message of it, accepted within the max
        // offset, pushed a peer's clock up to max offset ahead, and that peer's next messages were too far ahead
        // for a node behind it. The sender's history must then contain an event of the +2 s node.
        for (final List<ClusterLog.Event> events : logs.values())
        {
            for (final ClusterLog.Event e : events)
            {
                if ("REJECT".equals(e.type))
                {
                    final ClusterLog.Event send = sends.get(e.messageId);
                    assertThat(send.vector[FAR_AHEAD_NODE]).as("seed %d: %s rejected, yet the sender never heard " +
                        "of the +2 s node", seed, e).isPositive();
                }
            }
        }

        // 3. Each node's vector equals happens-before recomputed from process order and message pairs; HLC
        //    respects it on each edge (hence on the transitive closure), and on sampled pairs directly.
        final int events = recomputeHappensBefore(seed, logs, sends);
        final List<ClusterLog.Event> all = new ArrayList<>();
        logs.values().forEach(list -> list.stream().filter(ClusterLog.Event::isClockEvent).forEach(all::add));
        final SplittableRandom random = new SplittableRandom(seed);
        int orderedPairs = 0;
        for (int i = 0; i < 200_000; i++)
        {
            final ClusterLog.Event a = all.get(random.nextInt(all.size()));
            final ClusterLog.Event b = all.get(random.nextInt(all.size()));
            if (ClusterLog.before(a.truth, b.truth))
            {
                orderedPairs++;
                assertThat(a.hlc).as("seed %d: %s happened before %s", seed, a, b).isLessThan(b.hlc);
            }
        }

        // 4. Nobody dragged forward: max ahead of physical below the max offset on every node.
        final Map<String, String> ends = new LinkedHashMap<>();
        for (final Map.Entry<String, List<ClusterLog.Event>> log : logs.entrySet())
        {
            log.getValue().stream().filter(e -> "END".equals(e.type)).forEach(e ->
            {
                ends.put(log.getKey(), e.detail);
                final long maxAhead = Long.parseLong(e.detail.split(" ")[0].split("=")[1]);
                assertThat(maxAhead).as("seed %d: %s %s", seed, log.getKey(), e.detail)
                    .isLessThanOrEqualTo(MAX_OFFSET_MS);
            });
        }
        assertThat(ends).as("seed %d: every process but the killed one logged END", seed)
            .hasSize(PROCESSES.length - 1);

        // 5. Last-write-wins by wall clock loses causally later writes that the HLC keeps.
        final Set<String> lwwLost = new HashSet<>();
        int dependentWrites = 0;
        final List<ClusterLog.Event> writeList = new ArrayList<>(writes.values());
        for (final ClusterLog.Event w2 : writeList)
        {
            dependentWrites += "-".equals(w2.detail) ? 0 : 1;
            for (final ClusterLog.Event w1 : writeList)
            {
                if (w1.key == w2.key && w2.wallMs < w1.wallMs && ClusterLog.before(w1.truth, w2.truth))
                {
                    assertThat(w1.hlc).as("seed %d: HLC keeps %s over %s", seed, w2, w1).isLessThan(w2.hlc);
                    lwwLost.add(w2.writeId);
                }
            }
        }
        assertThat(lwwLost).as("seed %d: LWW-lost writes (the -80 ms node makes some)", seed).isNotEmpty();

        // 6. The clock monitor: every estimate within its bound of the injected truth, the +2 s node out of step
        //    and fenced, the healthy nodes healthy, never fenced, and naming it.
        //    No estimate was ever further from the injected truth than its bound, at any sample (each node checks
        //    its best estimate after every accepted sample and logs VIOLATION otherwise).
        for (final Map.Entry<String, List<ClusterLog.Event>> log : logs.entrySet())
        {
            assertThat(log.getValue().stream().filter(e -> "VIOLATION".equals(e.type)).map(e -> e.detail).toList())
                .as("seed %d: %s's estimates beyond their bounds of the injected offsets", seed, log.getKey()).isEmpty();
        }
        final String monitorTable = checkMonitor(seed, logs);

        final int sent = sends.size();
        final StringBuilder summary = new StringBuilder();
        summary.append(String.format("Ordo cluster test, seed %d: %d nodes (%d processes with the restart), " +
            "%.1f s workload, %.1f s total%n", seed, OFFSETS.length, PROCESSES.length, WORKLOAD_MS / 1e3, runS));
        summary.append(String.format("%-5s %8s %9s %7s %7s %7s %8s  %s%n",
            "proc", "offset", "measured", "writes", "sends", "recvs", "rejects", "end of run"));
        for (int i = 0; i < PROCESSES.length; i++)
        {
            final String p = PROCESSES[i];
            final List<ClusterLog.Event> log = logs.get(p);
            summary.append(String.format("%-5s %+6d ms %+6d ms %7d %7d %7d %8d  %s%n", p,
                OFFSETS_MS[p.charAt(1) - '0'], measuredOffsets.get(p)[0], count(log, "WRITE"), count(log, "SEND"),
                count(log, "RECV"), count(log, "REJECT"), ends.getOrDefault(p, "SIGKILLed at " + killedAt)));
        }
        summary.append(String.format("messages: %d sent, %d received, %d rejected, " +
            "%d lost (UDP, in flight at stop, or to the killed node)%n", sent, received, rejected,
            sent - received - rejected));
        summary.append(String.format("+2 s node: %d messages sent before it fenced itself, %d rejected, %d accepted " +
            "(only when delivered so late that its timestamp was within %d ms of the receiver's clock); %d " +
            "rejections of other nodes whose clocks such a late message had pushed ahead%n",
            count(logs.get(PROCESSES[FAR_AHEAD_NODE]), "SEND"), farRejected, farAccepted, MAX_OFFSET_MS,
            rejected - farRejected));
        summary.append(String.format("happens-before: %d events' vectors equal the recomputed ones; %d message " +
            "pairs HLC- and vector-ordered; %d sampled ordered pairs, HLC agrees on all%n",
            events, received, orderedPairs));
        summary.append(String.format("wall clock: %d messages received at an earlier local wall time than sent%n",
            wallInversions));
        summary.append(String.format("LWW by wall clock loses %d writes that causally follow a write to the same " +
            "key (of %d writes, %d dependent); the HLC keeps all of them%n",
            lwwLost.size(), writes.size(), dependentWrites));
        summary.append(String.format("restart: %s SIGKILLed at %s, last HLC logged before %s, first after %s%n",
            PROCESSES[RESTARTED_NODE], killedAt, HybridTimestamps.toString(lastBeforeKill),
            HybridTimestamps.toString(firstAfterRestart)));
        summary.append(monitorTable);
        System.out.print(summary);
        Files.writeString(OUT.resolve("summary.txt"), summary.toString(), StandardCharsets.UTF_8);
    }

    /**
     * Checks each node's final MONITOR line against the injected offsets and writes {@code report.json}.
     *
     * @return the table for the summary.
     */
    private static String checkMonitor(final long seed, final Map<String, List<ClusterLog.Event>> logs)
        throws IOException
    {
        final StringBuilder json = new StringBuilder();
        final StringBuilder table = new StringBuilder();
        json.append("{\n  \"seed\": ").append(seed).append(",\n  \"maxOffsetNs\": ").append(MAX_OFFSET_MS * 1_000_000L)
            .append(",\n  \"toleratedOffsetNs\": ").append(MAX_OFFSET_MS * 1_000_000L * 4 / 5).append(",\n  \"nodes\": [");
        final StringBuilder pairs = new StringBuilder();
        table.append(String.format("clock monitor (tolerated offset %d ms): estimate ± bound of each peer's offset, " +
            "truth = injected peer − injected observer%n", MAX_OFFSET_MS * 4 / 5));
        table.append(String.format("%-8s %-12s %-7s", "observer", "verdict", "fenced"));
        for (int peer = 0; peer < OFFSETS.length; peer++)
        {
            table.append(String.format(" %22s", "n" + peer));
        }
        table.append(String.format("%n"));
        for (int node = 0; node < OFFSETS.length; node++)
        {
            final String process = node == RESTARTED_NODE ? PROCESSES[5] : PROCESSES[node];
            final List<ClusterLog.Event> log = logs.get(process);
            final ClusterLog.Event line = log.stream().filter(e -> "MONITOR".equals(e.type)).findFirst()
                .orElseThrow(() -> new AssertionError("seed " + seed + ": " + process + " logged no MONITOR line"));
            final Map<String, String> fields = new LinkedHashMap<>();
            for (final String field : line.detail.split(" "))
            {
                final int eq = field.indexOf('=');
                fields.put(field.substring(0, eq), field.substring(eq + 1));
            }
            final String verdict = fields.get("verdict");
            final boolean fenced = Boolean.parseBoolean(fields.get("fenced"));
            final List<ClusterLog.Event> fences = log.stream().filter(e -> "FENCE".equals(e.type)).toList();
            final String fencedAfter = fences.isEmpty() ? "null" : fences.get(0).detail.split(" ")[2];
            json.append(node == 0 ? "" : ",").append("\n    {\"node\": \"n").append(node).append("\", \"process\": \"")
                .append(process).append("\", \"injectedOffsetNs\": ").append(OFFSETS_MS[node] * 1_000_000L)
                .append(", \"verdict\": \"").append(verdict).append("\", \"fenced\": ").append(fenced)
                .append(", \"fencedMsAfterGo\": ").append(fencedAfter)
                .append(", \"observations\": ").append(fields.get("observations"))
                .append(", \"rejectedObservations\": ").append(fields.get("rejected"))
                .append(", \"verdictChanges\": ").append(fields.get("verdictChanges")).append("}");
            table.append(String.format("%-8s %-12s %-7s", "n" + node, verdict, fenced));
            final Map<Integer, String[]> byPeer = new HashMap<>();
            for (final String peer : fields.get("peers").split(","))
            {
                final String[] parts = peer.split(":");
                byPeer.put(parts[0].charAt(1) - '0', parts);
            }
            for (int peer = 0; peer < OFFSETS.length; peer++)
            {
                if (peer == node)
                {
                    table.append(String.format(" %22s", "-"));
                    continue;
                }
                final String[] parts = byPeer.get(peer);
                final long estimate = Long.parseLong(parts[1]);
                final long bound = Long.parseLong(parts[2]);
                final boolean fresh = Boolean.parseBoolean(parts[3]);
                final boolean outOfStep = Boolean.parseBoolean(parts[4]);
                final long truth = (OFFSETS_MS[peer] - OFFSETS_MS[node]) * 1_000_000L;
                pairs.append(pairs.length() == 0 ? "" : ",").append("\n    {\"observer\": \"n").append(node)
                    .append("\", \"peer\": \"n").append(peer).append("\", \"estimatedOffsetNs\": ").append(estimate)
                    .append(", \"boundNs\": ").append(bound).append(", \"injectedOffsetNs\": ").append(truth)
                    .append(", \"errorNs\": ").append(estimate - truth).append(", \"fresh\": ").append(fresh)
                    .append(", \"peerOutOfStep\": ").append(outOfStep).append("}");
                table.append(String.format(" %+9.3f ± %6.3f ms%s", estimate / 1e6, bound / 1e6, outOfStep ? "!" : " "));
                assertThat(fresh).as("seed %d: n%d has a fresh estimate of n%d", seed, node, peer).isTrue();
                assertThat(Math.abs(estimate - truth))
                    .as("seed %d: n%d's estimate of n%d is %d ns, injected %d ns, bound %d ns", seed, node, peer,
                        estimate, truth, bound)
                    .isLessThanOrEqualTo(bound);
                // A healthy node names the +2 s node whenever its own bound lets it be sure: |truth| beyond the
                // tolerance plus the bound. A starved process (the restarted n1 at load average 30: round trips of
                // 1.5 s, bounds near 800 ms) may honestly be unsure; the estimate must still cover the truth.
                final long toleratedNs = MAX_OFFSET_MS * 1_000_000L * 4 / 5;
                if (node != FAR_AHEAD_NODE && peer == FAR_AHEAD_NODE && Math.abs(truth) > toleratedNs + 2 * bound)
                {
                    assertThat(outOfStep).as("seed %d: healthy n%d names the +2 s node (%d ± %d ns)", seed, node,
                        estimate, bound).isTrue();
                }
            }
            table.append(String.format("%n"));
            if (node == FAR_AHEAD_NODE)
            {
                assertThat(verdict).as("seed %d: the +2 s node's verdict", seed).isEqualTo("OUT_OF_STEP");
                assertThat(fenced).as("seed %d: the +2 s node fenced itself", seed).isTrue();
                assertThat(fences).as("seed %d: the +2 s node logged FENCE", seed).isNotEmpty();
            }
            else
            {
                assertThat(verdict).as("seed %d: n%d's verdict", seed, node).isEqualTo("HEALTHY");
                assertThat(fences).as("seed %d: healthy n%d never fenced itself", seed, node).isEmpty();
            }
        }
        table.append(String.format("(! = the observer finds that peer certainly beyond the tolerated offset; the +2 s " +
            "node fenced itself %s ms after GO)%n", logs.get(PROCESSES[FAR_AHEAD_NODE]).stream()
            .filter(e -> "FENCE".equals(e.type)).map(e -> e.detail.split(" ")[2]).findFirst().orElse("?")));
        json.append("\n  ],\n  \"pairs\": [").append(pairs).append("\n  ]\n}\n");
        Files.writeString(OUT.resolve("report.json"), json.toString(), StandardCharsets.UTF_8);
        return table.toString();
    }

    /**
     * Recomputes every clock event's happens-before vector from process order and send/receive pairs, and
     * checks it equals the vector the node logged.
     */
    private static int recomputeHappensBefore(
        final long seed, final Map<String, List<ClusterLog.Event>> logs, final Map<String, ClusterLog.Event> sends)
    {
        final List<List<ClusterLog.Event>> queues = new ArrayList<>();
        for (final String process : PROCESSES)
        {
            final List<ClusterLog.Event> clockEvents = new ArrayList<>();
            logs.get(process).stream().filter(ClusterLog.Event::isClockEvent).forEach(clockEvents::add);
            queues.add(clockEvents);
        }
        final int[] next = new int[PROCESSES.length];
        final long[][] current = new long[PROCESSES.length][PROCESSES.length];
        int done = 0;
        boolean progress = true;
        while (progress)
        {
            progress = false;
            for (int p = 0; p < PROCESSES.length; p++)
            {
                final List<ClusterLog.Event> queue = queues.get(p);
                while (next[p] < queue.size())
                {
                    final ClusterLog.Event e = queue.get(next[p]);
                    final long[] v = current[p].clone();
                    if ("RECV".equals(e.type))
                    {
                        final ClusterLog.Event send = sends.get(e.messageId);
                        if (send.truth == null)
                        {
                            break;
                        }
                        for (int i = 0; i < v.length; i++)
                        {
                            v[i] = Math.max(v[i], send.truth[i]);
                        }
                    }
                    v[p]++;
                    e.truth = v;
                    current[p] = v;
                    assertThat(e.vector).as("seed %d: vector of %s", seed, e).containsExactly(v);
                    next[p]++;
                    done++;
                    progress = true;
                }
            }
        }
        final int total = queues.stream().mapToInt(List::size).sum();
        assertThat(done).as("seed %d: every event's causal past is in the logs", seed).isEqualTo(total);
        return done;
    }

    private static void awaitLogLines(final String process, final int lines) throws Exception
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        final Path log = OUT.resolve(process + ".log");
        while (System.nanoTime() < deadlineNs && (!Files.exists(log) || Files.readAllLines(log).size() < lines))
        {
            Thread.sleep(50);
        }
    }

    private static int count(final List<ClusterLog.Event> log, final String type)
    {
        return (int)log.stream().filter(e -> type.equals(e.type)).count();
    }

    private static void requireFaketime()
    {
        if (Files.exists(Path.of(FAKETIME_LIB)))
        {
            return;
        }
        final String message = "libfaketime is not installed (" + FAKETIME_LIB + "): ClusterTest needs it to " +
            "give each node its own clock offset (apt-get install faketime)";
        if ("true".equalsIgnoreCase(System.getenv("CI")))
        {
            fail(message + "; CI=true, so this is a failure");
        }
        System.err.println();
        System.err.println("!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!");
        System.err.println("!!! SKIPPED: " + message);
        System.err.println("!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!");
        Assumptions.abort(message);
    }

    private Node launch(final int processIndex, final int portIndex, final String ports, final long seed)
        throws IOException
    {
        final String process = PROCESSES[processIndex];
        final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        final ProcessBuilder builder = new ProcessBuilder(
            java, "-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData",
            // Agrona's UnsafeBuffer needs jdk.internal.misc on JDK 17+ (see Agrona's README)
            "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
            "-cp", System.getProperty("java.class.path"), ClusterNode.class.getName(),
            process, Integer.toString(portIndex), ports, String.join(",", PROCESSES), Long.toString(seed),
            OUT.resolve(process + ".log").toString(),
            // only the node that is killed and restarted needs the persisted bound (and its fsyncs)
            portIndex == RESTARTED_NODE ? OUT.resolve("n" + portIndex + ".bound").toString() : "none",
            heartbeatPorts)
            .redirectError(OUT.resolve(process + ".err").toFile());
        builder.environment().put("LD_PRELOAD", FAKETIME_LIB);
        builder.environment().put("FAKETIME", OFFSETS[portIndex]);
        builder.environment().put("FAKETIME_DONT_FAKE_MONOTONIC", "1");
        builder.environment().put("FAKETIME_NO_CACHE", "1");
        // for the node's diagnostics only: it checks each estimate against the injected truth (VIOLATION lines)
        builder.environment().put("ORDO_CLUSTER_OFFSETS_MS",
            Arrays.stream(OFFSETS_MS).mapToObj(Long::toString).collect(Collectors.joining(",")));
        final Node node = new Node(process, builder.start());
        started.add(node);
        return node;
    }

    private void destroyAll()
    {
        for (final Node node : started)
        {
            node.process.destroyForcibly();
        }
        for (final Node node : started)
        {
            try
            {
                node.process.waitFor(10, TimeUnit.SECONDS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static void sigkill(final Process process) throws IOException, InterruptedException
    {
        final Process kill = new ProcessBuilder("kill", "-KILL", Long.toString(process.pid())).inheritIO().start();
        assertThat(kill.waitFor()).isZero();
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("exit status of a SIGKILLed JVM").isEqualTo(128 + 9);
    }

    private static int[] freeLoopbackPorts(final int count) throws IOException
    {
        final DatagramSocket[] sockets = new DatagramSocket[count];
        final int[] ports = new int[count];
        try
        {
            for (int i = 0; i < count; i++)
            {
                sockets[i] = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
                ports[i] = sockets[i].getLocalPort();
            }
        }
        finally
        {
            for (final DatagramSocket socket : sockets)
            {
                if (socket != null)
                {
                    socket.close();
                }
            }
        }
        return ports;
    }

    private static String join(final int[] values)
    {
        final StringBuilder text = new StringBuilder();
        for (final int value : values)
        {
            text.append(text.length() == 0 ? "" : ",").append(value);
        }
        return text.toString();
    }

    private static void sleepUntil(final long startNs, final long afterMs) throws InterruptedException
    {
        final long remainingMs = afterMs - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs);
        if (remainingMs > 0)
        {
            Thread.sleep(remainingMs);
        }
    }

    /** A started node process: commands go to its stdin, its stdout lines to a queue. */
    private static final class Node
    {
        final String name;
        final Process process;
        final PrintWriter in;
        final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

        Node(final String name, final Process process)
        {
            this.name = name;
            this.process = process;
            this.in = new PrintWriter(process.getOutputStream(), true, StandardCharsets.US_ASCII);
            final Thread reader = new Thread(() ->
            {
                try (BufferedReader out = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII)))
                {
                    String line;
                    while ((line = out.readLine()) != null)
                    {
                        lines.add(line);
                    }
                }
                catch (final IOException ignore)
                {
                    // the process is gone
                }
            }, "out-" + name);
            reader.setDaemon(true);
            reader.start();
        }

        void command(final String command)
        {
            in.println(command);
        }

        String await(final String prefix) throws InterruptedException
        {
            String line = null;
            final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (line == null && System.nanoTime() < deadlineNs && (process.isAlive() || !lines.isEmpty()))
            {
                line = lines.poll(200, TimeUnit.MILLISECONDS);
            }
            if (line == null || !line.startsWith(prefix))
            {
                fail("%s: expected %s, got %s (alive %s; see target/cluster-test/%s.err)",
                    name, prefix, line, process.isAlive(), name);
            }
            return line;
        }

        /** @return {offset ms, round trip ms} of the PING with the shortest round trip. */
        long[] measureOffset() throws InterruptedException
        {
            long[] best = null;
            for (int i = 0; i < 5; i++)
            {
                final long sentMs = System.currentTimeMillis();
                command("PING");
                final long nodeMs = Long.parseLong(await("PONG").substring(5));
                final long receivedMs = System.currentTimeMillis();
                final long rtt = receivedMs - sentMs;
                if (best == null || rtt < best[1])
                {
                    best = new long[]{nodeMs - (sentMs + receivedMs) / 2, rtt};
                }
            }
            return best;
        }
    }
}
