package dev.ordo.benchmarks;

import dev.ordo.ntp.NtpExchange;
import dev.ordo.ntp.NtpPacket;
import dev.ordo.ntp.NtpSample;
import dev.ordo.ntp.NtpTimestamps;
import dev.ordo.ntp.ReplyCheck;
import org.agrona.concurrent.UnsafeBuffer;
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
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;

/**
 * The NTP probe's per-sample work, without I/O: building a request (randomized transmit timestamp) and
 * parsing plus validating a reply into a sample (origin, replay, stratum, leap, timestamps, offset, delay,
 * dispersion). Run with {@code -prof gc}: both must show 0 B/op. The floor is in {@link PhysicalClockBenchmark}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED")
@State(Scope.Thread)
public class NtpPacketBenchmark
{
    private final UnsafeBuffer request = new UnsafeBuffer(ByteBuffer.allocateDirect(64));
    private final UnsafeBuffer reply = new UnsafeBuffer(ByteBuffer.allocateDirect(64));
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
        reply.setMemory(0, 64, (byte)0);
        reply.putByte(0, (byte)((4 << 3) | NtpPacket.MODE_SERVER));
        reply.putByte(1, (byte)2);
        reply.putByte(3, (byte)-20);
        reply.putInt(12, 0x0A000001, ByteOrder.BIG_ENDIAN);
        reply.putLong(NtpPacket.RECEIVE_TIMESTAMP_OFFSET,
            NtpTimestamps.fromEpochNanos(t1EpochNs + 1_100_000), ByteOrder.BIG_ENDIAN);
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
        reply.putLong(NtpPacket.ORIGIN_TIMESTAMP_OFFSET,
            request.getLong(NtpPacket.TRANSMIT_TIMESTAMP_OFFSET, ByteOrder.BIG_ENDIAN), ByteOrder.BIG_ENDIAN);
        serverTransmitNs = serverTransmitNs == t1EpochNs + 1_110_000 ? t1EpochNs + 1_110_001 : t1EpochNs + 1_110_000;
        reply.putLong(NtpPacket.TRANSMIT_TIMESTAMP_OFFSET, NtpTimestamps.fromEpochNanos(serverTransmitNs),
            ByteOrder.BIG_ENDIAN);
        return exchange.acceptReply(reply, 0, NtpPacket.LENGTH, 210_000, 0, sample);
    }
}
