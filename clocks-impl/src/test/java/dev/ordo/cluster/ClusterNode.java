package dev.ordo.cluster;

import dev.ordo.clocks.api.HybridTimestamps;
import dev.ordo.clocks.api.MaxOffsetExceededException;
import dev.ordo.clocks.hlc.AtomicHybridClock;
import dev.ordo.clocks.hlc.FileUpperBoundStore;
import dev.ordo.clocks.monitor.ClockExchangeHeader;
import dev.ordo.clocks.monitor.ClockVerdict;
import dev.ordo.clocks.monitor.PeerClockMonitor;
import dev.ordo.clocks.vector.NodeRegistry;
import dev.ordo.clocks.vector.VectorClock;
import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.SystemEpochNanoClock;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.BufferedReader;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * One node of the multi-process cluster test ({@code ClusterTest}), run as its own JVM (usually under
 * libfaketime, so its {@link System#currentTimeMillis()} is skewed). It lives in the test sources, package
 * {@code dev.ordo.cluster}: it is a test fixture that uses only the public API, like a user's program would,
 * and it must not ship in the library jar.
 *
 * <p>The node binds a UDP socket on 127.0.0.1 (never anything else), then waits for commands on stdin:
 * {@code PING <ms>} (answered with {@code PONG <local wall ms>} on stdout, to measure the skew),
 * {@code GO} (start the workload), {@code STOP} (log the clock's statistics and exit; end of stdin does the
 * same). The workload, seeded: every 3..9 ms a local write to a random key, each write sent to a random peer;
 * on a receive, {@link AtomicHybridClock#update(long)} and a vector merge, and with probability 0.35 a
 * dependent write to the same key (sent on to a random peer in turn).
 *
 * <p>Message layout (Agrona {@link UnsafeBuffer}, little-endian): magic int, sender process index int,
 * message sequence long, key int, writer process index int, write sequence long, HLC long, vector clock
 * length int, the 32-byte {@link ClockExchangeHeader}, then the vector clock in Ordo's wire format
 * ({@link VectorClock#encode}). Heartbeats, as an RPC layer's, go over a second socket on their own thread
 * (every {@value #HEARTBEAT_MS} ms to every peer once the workload runs): the heartbeat magic, the sender's
 * port index and the clock header; they are not causal events. Both threads feed the one monitor.
 *
 * <p>Clock monitor: every message and heartbeat feeds a {@link PeerClockMonitor} (peers indexed by port, max
 * offset 500 ms as the HLC's, so 400 ms tolerated) through the header, including messages the HLC then
 * rejects. When the verdict turns {@link ClockVerdict#OUT_OF_STEP} the node fences itself: it logs FENCE and
 * stops writing (it keeps receiving and sending heartbeats, so it can tell when it is back in step, and logs
 * UNFENCE). The listener runs on whichever thread changed the verdict; it only flips a volatile flag, and the
 * main thread logs the transition. At the end it logs a MONITOR line: verdict, fenced, counters, and per peer
 * {@code name:offsetNs:boundNs:fresh:outOfStep}.
 *
 * <p>Log: one tab-separated line per event, each written with one unbuffered write so a SIGKILL never leaves
 * an event half-logged (it can lose the event being logged). Columns: type, process, HLC, vector (counters
 * by registry index, comma-separated), local wall ms, message id, key, write id, detail, HLC as text.
 * RECV's detail is the local wall ms read just before and just after {@code update}; REJECT's detail is the
 * remote HLC, those two, the exception's local physical time and max offset, and its message.
 * Types: START, WRITE, SEND, RECV, REJECT (the clock refused the message; not an event of the vector clock),
 * END (statistics), and the monitor's: VERDICT and FENCE/UNFENCE (with every peer's best offset, aged bound,
 * newest sample's age and state), CLOCKGAP (a stamp's or receive's clock readings took over 20 ms: a pause
 * between them, which the read order makes harmless) and VIOLATION (a best estimate further from the injected
 * truth than its bound; the test passes the injected offsets in {@code ORDO_CLUSTER_OFFSETS_MS}, and fails on
 * any VIOLATION). A message id is {@code <sender process>:m<seq>}, a write id {@code <process>:w<seq>}.
 *
 * <p>Arguments: {@code <process name> <self port index> <ports csv> <process names csv> <seed> <log file>
 * <upper-bound store file | none> <heartbeat ports csv>}. Process names are node names with an incarnation
 * ({@code n1.0}, {@code n1.1}
 * after a restart): every incarnation is its own process in the vector clocks, because a restarted node
 * has lost its history.
 */
public final class ClusterNode
{
    static final int MAGIC = 0x4F52444F;
    static final int HEARTBEAT_MAGIC = 0x4F524842;
    static final int CLOCK_HEADER_AT = 44;
    static final int VECTOR_AT = CLOCK_HEADER_AT + ClockExchangeHeader.LENGTH;
    static final long HEARTBEAT_MS = 50;
    static final int KEYS = 6;
    static final double DEPENDENT_WRITE_PROBABILITY = 0.35;

    private final String name;
    private final int self;
    private final String[] processes;
    private final AtomicHybridClock clock;
    private final NodeRegistry registry = new NodeRegistry();
    private final VectorClock vector;
    private final VectorClock scratch;
    private final DatagramSocket socket;
    private final InetSocketAddress[] peers;
    private final int[] peerPorts;
    private final int selfPort;
    private final PeerClockMonitor monitor;
    private final ClockExchangeHeader clockHeader;
    private final byte[] heartbeatBytes = new byte[8 + ClockExchangeHeader.LENGTH];
    private final UnsafeBuffer heartbeatBuffer = new UnsafeBuffer(heartbeatBytes);
    private final byte[] heartbeatReceiveBytes = new byte[64];
    private final UnsafeBuffer heartbeatReceiveBuffer = new UnsafeBuffer(heartbeatReceiveBytes);
    private final DatagramSocket heartbeatSocket;
    private final InetSocketAddress[] heartbeatPeers;
    private volatile boolean fenced;
    private final java.util.Queue<String> verdictChanges = new java.util.concurrent.ConcurrentLinkedQueue<>();
    /** Diagnostics of the clock readings fed to the header (CLOCKGAP, VIOLATION), logged by the main thread. */
    private final java.util.Queue<String[]> diagnostics = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private static final long CLOCK_GAP_LOG_NS = 20_000_000L;
    private final long[] injectedOffsetMs;
    private final long[] lastViolationOffsetNs;
    private volatile String fenceNote = "";
    private boolean loggedFenced;
    private volatile long goMonoNs;
    private final SplittableRandom random;
    private final FileOutputStream log;
    private final UnsafeBuffer sendBuffer = new UnsafeBuffer(new byte[1024]);
    private final byte[] receiveBytes = new byte[1024];
    private final UnsafeBuffer receiveBuffer = new UnsafeBuffer(receiveBytes);
    private final StringBuilder line = new StringBuilder(256);
    private volatile boolean go;
    private volatile boolean stop;
    private long messageSeq;
    private long writeSeq;

    private ClusterNode(final String[] args) throws IOException
    {
        name = args[0];
        selfPort = Integer.parseInt(args[1]);
        final String[] ports = args[2].split(",");
        processes = args[3].split(",");
        for (final String process : processes)
        {
            registry.register(process);
        }
        self = registry.indexOf(name);
        vector = new VectorClock(registry);
        scratch = new VectorClock(registry);
        random = new SplittableRandom(Long.parseLong(args[4]) ^ NodeRegistry.idOf(name));
        log = new FileOutputStream(args[5], true);
        final AtomicHybridClock.Builder builder = AtomicHybridClock.builder().epochClock(SystemEpochClock.INSTANCE);
        if (!"none".equals(args[6]))
        {
            builder.upperBoundStore(
                new FileUpperBoundStore(Path.of(args[6])), AtomicHybridClock.StoreStart.FIRST_START_OR_RESTART);
        }
        clock = builder.build();
        final InetAddress loopback = InetAddress.getByName("127.0.0.1");
        socket = new DatagramSocket(new InetSocketAddress(loopback, Integer.parseInt(ports[selfPort])));
        socket.setSoTimeout(2);
        peers = new InetSocketAddress[ports.length - 1];
        peerPorts = new int[ports.length - 1];
        for (int i = 0, p = 0; i < ports.length; i++)
        {
            if (i != selfPort)
            {
                peerPorts[p] = i;
                peers[p++] = new InetSocketAddress(loopback, Integer.parseInt(ports[i]));
            }
        }
        final String[] heartbeatPorts = args[7].split(",");
        heartbeatSocket = new DatagramSocket(new InetSocketAddress(loopback, Integer.parseInt(heartbeatPorts[selfPort])));
        heartbeatSocket.setSoTimeout(5);
        heartbeatPeers = new InetSocketAddress[peers.length];
        for (int p = 0; p < peers.length; p++)
        {
            heartbeatPeers[p] = new InetSocketAddress(loopback, Integer.parseInt(heartbeatPorts[peerPorts[p]]));
        }
        // maxRoundTripNs: 5 s instead of the default 800 ms, because this fixture runs five JVMs on a shared
        // 2-core machine where a starved process can answer a second late; a long round trip only widens that
        // sample's bound (honestly), and the filter prefers the short ones.
        monitor = PeerClockMonitor.builder().peers(peers.length).maxOffsetNs(500_000_000L)
            .maxRoundTripNs(5_000_000_000L)
            .listener((previous, current, m) -> onVerdict(previous, current)).build();
        clockHeader = new ClockExchangeHeader(monitor);
        final String offsets = System.getenv("ORDO_CLUSTER_OFFSETS_MS");
        injectedOffsetMs = offsets == null ? null :
            java.util.Arrays.stream(offsets.split(",")).mapToLong(Long::parseLong).toArray();
        lastViolationOffsetNs = new long[peers.length];
        java.util.Arrays.fill(lastViolationOffsetNs, Long.MIN_VALUE);
    }

    /**
     * @param args see the class comment.
     * @throws Exception on any failure (the test sees the exit status and stderr).
     */
    public static void main(final String[] args) throws Exception
    {
        new ClusterNode(args).run();
    }

    private void run() throws IOException
    {
        logEvent("START", clock.current(), "-", -1, "-", "clock starts at " +
            HybridTimestamps.toString(clock.current()));
        final Thread commands = new Thread(this::readCommands, "commands");
        commands.setDaemon(true);
        commands.start();
        warmUp();
        final Thread heartbeats = new Thread(this::heartbeats, "heartbeats");
        heartbeats.setDaemon(true);
        heartbeats.start();
        reply("READY " + System.currentTimeMillis());

        long nextWriteNs = System.nanoTime();
        final DatagramPacket packet = new DatagramPacket(receiveBytes, receiveBytes.length);
        while (!stop)
        {
            for (String change; (change = verdictChanges.poll()) != null; )
            {
                logEvent("VERDICT", clock.current(), "-", -1, "-", change);
            }
            for (String[] diagnostic; (diagnostic = diagnostics.poll()) != null; )
            {
                logEvent(diagnostic[0], clock.current(), "-", -1, "-", diagnostic[1]);
            }
            if (fenced != loggedFenced)
            {
                loggedFenced = !loggedFenced;
                logEvent(loggedFenced ? "FENCE" : "UNFENCE", clock.current(), "-", -1, "-", fenceNote);
            }
            if (go && !fenced && System.nanoTime() - nextWriteNs >= 0)
            {
                write(random.nextInt(KEYS), "-");
                nextWriteNs = System.nanoTime() + 3_000_000L + random.nextLong(6_000_000L);
            }
            clock.maintainUpperBound();
            try
            {
                socket.receive(packet);
            }
            catch (final SocketTimeoutException ignore)
            {
                continue;
            }
            onMessage(packet.getLength());
        }
        try
        {
            heartbeats.join(10_000);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        for (String[] diagnostic; (diagnostic = diagnostics.poll()) != null; )
        {
            logEvent(diagnostic[0], clock.current(), "-", -1, "-", diagnostic[1]);
        }
        monitor.evaluate(System.nanoTime());
        logEvent("MONITOR", clock.current(), "-", -1, "-", monitorDetail());
        line.setLength(0);
        final String detail = "maxAheadOfPhysicalMs=" + clock.maxAheadOfPhysical() + " aheadOfPhysicalMs=" +
            clock.aheadOfPhysical() + " rejectedUpdates=" + clock.rejectedUpdates() + " overflowCarries=" +
            clock.overflowCarries() + " backwardJumps=" + clock.backwardJumps();
        logEvent("END", clock.current(), "-", -1, "-", detail);
        log.close();
        socket.close();
        reply("DONE");
    }

    private void write(final int key, final String cause) throws IOException
    {
        final long writeHlc = clock.now();
        vector.increment(self);
        final long seq = ++writeSeq;
        final String writeId = name + ":w" + seq;
        logEvent("WRITE", writeHlc, "-", key, writeId, cause);

        final long sendHlc = clock.now();
        vector.increment(self);
        final long msg = ++messageSeq;
        int offset = 0;
        sendBuffer.putInt(offset, MAGIC);
        sendBuffer.putInt(offset += 4, self);
        sendBuffer.putLong(offset += 4, msg);
        sendBuffer.putInt(offset += 8, key);
        sendBuffer.putInt(offset += 4, self);
        sendBuffer.putLong(offset += 4, seq);
        sendBuffer.putLong(offset += 8, sendHlc);
        final int vectorLength = vector.encodedLength();
        sendBuffer.putInt(offset += 8, vectorLength);
        final int length = VECTOR_AT + vector.encode(sendBuffer, VECTOR_AT);
        final int peerIndex = random.nextInt(peers.length);
        final InetSocketAddress peer = peers[peerIndex];
        // Logged before it leaves, so a receiver never sees a message whose send is not in the log.
        logEvent("SEND", sendHlc, name + ":m" + msg, key, writeId, "to port " + peer.getPort());
        // stamped last, just before the send: time before the stamp would only widen the bound
        stampHeader(peerIndex, sendBuffer.byteArray(), CLOCK_HEADER_AT, "message");
        socket.send(new DatagramPacket(sendBuffer.byteArray(), 0, length, peer));
    }

    /** The heartbeat thread: sends every {@value #HEARTBEAT_MS} ms once GO, receives in between, until STOP. */
    private void heartbeats()
    {
        final DatagramPacket packet = new DatagramPacket(heartbeatReceiveBytes, heartbeatReceiveBytes.length);
        long nextNs = System.nanoTime();
        try
        {
            while (!stop)
            {
                if (go && System.nanoTime() - nextNs >= 0)
                {
                    for (int p = 0; p < peers.length; p++)
                    {
                        heartbeatBuffer.putInt(0, HEARTBEAT_MAGIC);
                        heartbeatBuffer.putInt(4, selfPort);
                        stampHeader(p, heartbeatBytes, 8, "heartbeat");
                        heartbeatSocket.send(new DatagramPacket(heartbeatBytes, 0, heartbeatBytes.length,
                            heartbeatPeers[p]));
                    }
                    nextNs = System.nanoTime() + HEARTBEAT_MS * 1_000_000L;
                }
                try
                {
                    heartbeatSocket.receive(packet);
                }
                catch (final SocketTimeoutException ignore)
                {
                    continue;
                }
                final long firstMonoNs = System.nanoTime();
                final long receivedEpochNs = SystemEpochNanoClock.INSTANCE.nanoTime();
                final long lastMonoNs = System.nanoTime();
                if (packet.getLength() != 8 + ClockExchangeHeader.LENGTH ||
                    heartbeatReceiveBuffer.getInt(0) != HEARTBEAT_MAGIC)
                {
                    throw new IllegalStateException("malformed heartbeat of " + packet.getLength() + " bytes");
                }
                receiveHeader(peerIndexOfPort(heartbeatReceiveBuffer.getInt(4)), heartbeatReceiveBytes, 8,
                    packet.getLength() - 8, firstMonoNs, receivedEpochNs, lastMonoNs, "heartbeat");
            }
        }
        catch (final IOException ex)
        {
            throw new java.io.UncheckedIOException(ex);
        }
        finally
        {
            heartbeatSocket.close();
        }
    }

    /**
     * Stamps the clock header. The monotonic reading is taken before the real-time one: the header derives the
     * time this node received the echoed message from them (T2 = T3 − hold), so a monotonic reading taken
     * after the real-time one (a pause in between) would put T2 too early and shrink the bound.
     */
    private void stampHeader(final int peer, final byte[] bytes, final int offset, final String what)
    {
        final long firstMonoNs = System.nanoTime();
        final long epochNs = SystemEpochNanoClock.INSTANCE.nanoTime();
        final long lastMonoNs = System.nanoTime(); // diagnostics only: how long the readings took
        clockHeader.stamp(peer, bytes, offset, epochNs, firstMonoNs);
        noteGap("stamp " + what, peer, firstMonoNs, lastMonoNs);
    }

    /**
     * Reads the clock header. The real-time reading is taken before the monotonic one: the header derives T1
     * from the monotonic time since the echoed stamp, so a monotonic reading taken before the real-time one (a
     * pause in between) would put T1 too late.
     */
    private void receiveHeader(
        final int peer, final byte[] bytes, final int offset, final int length, final long firstMonoNs,
        final long epochNs, final long lastMonoNs, final String what)
    {
        final boolean accepted = clockHeader.receive(peer, bytes, offset, length, epochNs, lastMonoNs);
        noteGap("receive " + what, peer, firstMonoNs, lastMonoNs);
        if (accepted && injectedOffsetMs != null)
        {
            checkAgainstTruth(peer, lastMonoNs);
        }
    }

    private void noteGap(final String what, final int peer, final long firstMonoNs, final long lastMonoNs)
    {
        if (lastMonoNs - firstMonoNs > CLOCK_GAP_LOG_NS)
        {
            diagnostics.add(new String[] {"CLOCKGAP", what + " n" + peerPorts[peer] + " gapUs=" +
                (lastMonoNs - firstMonoNs) / 1_000 + " monoMs=" + firstMonoNs / 1_000_000L});
        }
    }

    /** Diagnostic: the best estimate of a peer, checked against the injected offsets the test passed. */
    private void checkAgainstTruth(final int peer, final long nowMonoNs)
    {
        final long truthNs = (injectedOffsetMs[peerPorts[peer]] - injectedOffsetMs[selfPort]) * 1_000_000L;
        final long offsetNs = monitor.peerOffsetNs(peer);
        final long boundNs = monitor.peerBoundNs(peer);
        if (monitor.isPeerFresh(peer) && Math.abs(offsetNs - truthNs) > boundNs)
        {
            synchronized (lastViolationOffsetNs)
            {
                if (lastViolationOffsetNs[peer] == offsetNs)
                {
                    return;
                }
                lastViolationOffsetNs[peer] = offsetNs;
            }
            diagnostics.add(new String[] {"VIOLATION", "n" + peerPorts[peer] + " offsetNs=" + offsetNs + " boundNs=" +
                boundNs + " truthNs=" + truthNs + " beyondBoundNs=" + (Math.abs(offsetNs - truthNs) - boundNs) +
                " newestSampleAgeUs=" + (nowMonoNs - monitor.peerLastSampleMonoNs(peer)) / 1_000 + " monoMs=" +
                nowMonoNs / 1_000_000L});
        }
    }

    private String peerStates()
    {
        final long nowMonoNs = System.nanoTime();
        final StringBuilder text = new StringBuilder(" peers");
        for (int p = 0; p < peers.length; p++)
        {
            final long last = monitor.peerLastSampleMonoNs(p);
            text.append(' ').append('n').append(peerPorts[p]).append(":offsetUs=")
                .append(monitor.peerOffsetNs(p) / 1_000).append(":boundUs=")
                .append(monitor.isPeerFresh(p) ? monitor.peerBoundNs(p) / 1_000 : -1).append(":newestAgeMs=")
                .append(last == Long.MIN_VALUE ? -1 : (nowMonoNs - last) / 1_000_000L).append(':')
                .append(monitor.isPeerOutOfStep(p) ? "beyond" : monitor.isPeerFresh(p) ? "inStep" : "notFresh");
        }
        return text.append(" monoMs=").append(nowMonoNs / 1_000_000L).toString();
    }

    private int portOf(final int process)
    {
        return processes[process].charAt(1) - '0';
    }

    private int peerIndexOfPort(final int port)
    {
        return port < selfPort ? port : port - 1;
    }

    private void onVerdict(final ClockVerdict previous, final ClockVerdict verdict)
    {
        final long afterGoMs = goMonoNs == 0 ? 0 : (System.nanoTime() - goMonoNs) / 1_000_000L;
        verdictChanges.add(previous + "->" + verdict + " " + afterGoMs + " ms after GO; " + monitor + peerStates());
        final boolean fence = verdict == ClockVerdict.OUT_OF_STEP;
        if (fence == fenced)
        {
            return;
        }
        fenceNote = "verdict " + verdict + " " + afterGoMs + " ms after GO; " + monitor + peerStates();
        fenced = fence;
    }

    private String monitorDetail()
    {
        final StringBuilder text = new StringBuilder();
        text.append("verdict=").append(monitor.verdict()).append(" fenced=").append(fenced)
            .append(" observations=").append(monitor.observations())
            .append(" rejected=").append(monitor.rejectedObservations())
            .append(" rejectedEchoes=").append(clockHeader.rejectedEchoes())
            .append(" staleStamps=").append(clockHeader.staleStamps())
            .append(" verdictChanges=").append(monitor.verdictChanges())
            .append(" peers=");
        for (int p = 0; p < peers.length; p++)
        {
            text.append(p == 0 ? "" : ",").append('n').append(peerPorts[p]).append(':')
                .append(monitor.peerOffsetNs(p)).append(':')
                .append(monitor.isPeerFresh(p) ? monitor.peerBoundNs(p) : -1).append(':')
                .append(monitor.isPeerFresh(p)).append(':')
                .append(monitor.isPeerOutOfStep(p));
        }
        return text.toString();
    }

    private void onMessage(final int length) throws IOException
    {
        final long firstMonoNs = System.nanoTime();
        final long receivedEpochNs = SystemEpochNanoClock.INSTANCE.nanoTime();
        final long lastMonoNs = System.nanoTime();
        if (length < VECTOR_AT || receiveBuffer.getInt(0) != MAGIC)
        {
            throw new IllegalStateException("malformed datagram of " + length + " bytes on loopback");
        }
        final int sender = receiveBuffer.getInt(4);
        // every message feeds the monitor, including those the HLC is about to reject
        receiveHeader(peerIndexOfPort(portOf(sender)), receiveBytes, CLOCK_HEADER_AT, length - CLOCK_HEADER_AT,
            firstMonoNs, receivedEpochNs, lastMonoNs, "message");
        final long msg = receiveBuffer.getLong(8);
        final int key = receiveBuffer.getInt(16);
        final int writer = receiveBuffer.getInt(20);
        final long seq = receiveBuffer.getLong(24);
        final long remoteHlc = receiveBuffer.getLong(32);
        final int vectorLength = receiveBuffer.getInt(40);
        final String messageId = processes[sender] + ":m" + msg;
        final String writeId = processes[writer] + ":w" + seq;
        final long hlc;
        final long beforeMs = System.currentTimeMillis();
        try
        {
            hlc = clock.update(remoteHlc);
        }
        catch (final MaxOffsetExceededException ex)
        {
            logEvent("REJECT", clock.current(), messageId, key, writeId, remoteHlc + " " + beforeMs + " " +
                System.currentTimeMillis() + " " + ex.localPhysical() + " " + ex.maxOffset() + " " + ex.getMessage());
            return;
        }
        final long afterMs = System.currentTimeMillis();
        scratch.decode(receiveBuffer, VECTOR_AT, vectorLength);
        vector.merge(scratch);
        vector.increment(self);
        logEvent("RECV", hlc, messageId, key, writeId, beforeMs + " " + afterMs);
        if (!fenced && random.nextDouble() < DEPENDENT_WRITE_PROBABILITY)
        {
            write(key, writeId);
        }
    }

    /**
     * Runs the formatting and codec paths before the workload starts, so a busy machine's class loading and
     * first compilations do not sit between a timestamp and its log line during the run.
     */
    private void warmUp()
    {
        final VectorClock probe = new VectorClock(registry);
        probe.increment(self);
        for (int i = 0; i < 1_000; i++)
        {
            format("WARM", clock.current(), "x:m" + i, i, "x:w" + i, i + " " + i);
            final int length = probe.encode(sendBuffer, 0);
            scratch.decode(sendBuffer, 0, length);
        }
        scratch.reset();
    }

    private void logEvent(
        final String type, final long hlc, final String messageId, final int key, final String writeId,
        final String detail) throws IOException
    {
        format(type, hlc, messageId, key, writeId, detail);
        log.write(line.toString().getBytes(StandardCharsets.UTF_8));
    }

    private void format(
        final String type, final long hlc, final String messageId, final int key, final String writeId,
        final String detail)
    {
        line.setLength(0);
        line.append(type).append('\t').append(name).append('\t').append(hlc).append('\t');
        for (int i = 0; i < processes.length; i++)
        {
            line.append(i == 0 ? "" : ",").append(vector.get(i));
        }
        line.append('\t').append(System.currentTimeMillis())
            .append('\t').append(messageId)
            .append('\t').append(key)
            .append('\t').append(writeId)
            .append('\t').append(detail)
            .append('\t').append(HybridTimestamps.toString(hlc))
            .append('\n');
    }

    private void readCommands()
    {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII)))
        {
            String command;
            while ((command = in.readLine()) != null)
            {
                if (command.startsWith("PING"))
                {
                    reply("PONG " + System.currentTimeMillis());
                }
                else if ("GO".equals(command))
                {
                    goMonoNs = System.nanoTime();
                    go = true;
                }
                else if ("STOP".equals(command))
                {
                    break;
                }
            }
        }
        catch (final IOException ignore)
        {
            // the parent is gone: stop
        }
        stop = true;
    }

    private static synchronized void reply(final String text)
    {
        System.out.println(text);
        System.out.flush();
    }
}
