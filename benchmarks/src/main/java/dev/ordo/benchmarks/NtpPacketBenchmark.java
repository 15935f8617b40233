package dev.ordo.benchmarks;

import dev.ordo.ntp.NtpExchange;
import dev.ordo.ntp.NtpPacket;
import dev.ordo.ntp.NtpSample;
import dev.ordo.ntp.NtpTimestamps;
import dev.ordo.ntp.ReplyCheck;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * The NTP probe's per-sample work, without I/O: building a request (randomized transmit timestamp) and
 * parsing plus validating a reply into a sample (origin, replay, stratum, leap, timestamps, offset, delay,
 * dispersion), on the probe's own path: a direct {@link ByteBuffer} read and written through VarHandles, no
 * {@code Unsafe} and no JVM flag. {@code ...InByteArray} is the same work on a {@code byte[]}. Run with
 * {@code -prof gc}: every method must show 0 B/op. The floor is in {@link PhysicalClockBenchmark}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class NtpPacketBenchmark
{
    private final ByteBuffer request = ByteBuffer.allocateDirect(64);
    private final ByteBuffer reply = ByteBuffer.allocateDirect(64);
    private final byte[] requestArray = new byte[64];
    private final byte[] replyArray = new byte[64];
    private final ByteBuffer replyArrayView = ByteBuffer.wrap(replyArray);
    private final NtpSample sample = new NtpSample();
    private NtpExchange exchange;
    private long t1EpochNs = 1_790_000_000_000_000_000L;
    private long serverTransmitNs;

    /**
     * Builds a genuine server reply template (stratum 2, 1 ms ahead, 200 µs round trip).
     */
    @Setup
    public void setUp()
    {
        exchange = new NtpExchange(7, 50);
        reply.put(0, (byte)((4 << 3) | NtpPacket.MODE_SERVER));
        reply.put(1, (byte)2);
        reply.put(3, (byte)-20);
        reply.putInt(12, 0x0A000001);
        reply.putLong(NtpPacket.RECEIVE_TIMESTAMP_OFFSET, NtpTimestamps.fromEpochNanos(t1EpochNs + 1_100_000));
        for (int i = 0; i < 64; i++)
        {
            replyArray[i] = reply.get(i);
        }
        serverTransmitNs = t1EpochNs + 1_110_000;
    }

    /**
     * @return the request length.
     */
    @Benchmark
    public int buildRequest()
    {
        return exchange.prepareRequest(request, 0, t1EpochNs);
    }

    /**
     * One full exchange's packet work: build the request, then parse and validate the reply that answers it
     * (the reply's origin and transmit fields are patched in, as a server would write them).
     *
     * @return the verdict (always OK).
     */
    @Benchmark
    public ReplyCheck buildRequestThenParseAndValidateReply()
    {
        exchange.prepareRequest(request, 0, t1EpochNs);
        reply.putLong(NtpPacket.ORIGIN_TIMESTAMP_OFFSET, request.getLong(NtpPacket.TRANSMIT_TIMESTAMP_OFFSET));
        serverTransmitNs = serverTransmitNs == t1EpochNs + 1_110_000 ? t1EpochNs + 1_110_001 : t1EpochNs + 1_110_000;
        reply.putLong(NtpPacket.TRANSMIT_TIMESTAMP_OFFSET, NtpTimestamps.fromEpochNanos(serverTransmitNs));
        return exchange.acceptReply(reply, 0, NtpPacket.LENGTH, 210_000, 0, sample);
    }

    /**
     * The same work as {@link #buildRequestThenParseAndValidateReply()} on {@code byte[]} packets.
     *
     * @return the verdict (always OK).
     */
    @Benchmark
    public ReplyCheck buildRequestThenParseAndValidateReplyInByteArray()
    {
        exchange.prepareRequest(requestArray, 0, t1EpochNs);
        replyArrayView.putLong(NtpPacket.ORIGIN_TIMESTAMP_OFFSET, NtpPacket.transmitTimestamp(requestArray, 0));
        serverTransmitNs = serverTransmitNs == t1EpochNs + 1_110_000 ? t1EpochNs + 1_110_001 : t1EpochNs + 1_110_000;
        replyArrayView.putLong(NtpPacket.TRANSMIT_TIMESTAMP_OFFSET, NtpTimestamps.fromEpochNanos(serverTransmitNs));
        return exchange.acceptReply(replyArray, 0, NtpPacket.LENGTH, 210_000, 0, sample);
    }
}
