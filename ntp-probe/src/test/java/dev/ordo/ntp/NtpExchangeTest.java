package dev.ordo.ntp;

import dev.ordo.clocks.testing.AllocationMeter;
import dev.ordo.clocks.testing.Seeds;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NtpExchangeTest
{
    private static final long T1 = 1_790_000_000_123_456_789L;
    private static final long LOCAL_PRECISION_NS = 50;

    private final ByteBuffer request = ByteBuffer.allocateDirect(64);
    private final ByteBuffer reply = ByteBuffer.allocateDirect(64);
    private final NtpSample sample = new NtpSample();
    private NtpExchange exchange;
    private long t1 = T1;

    @BeforeEach
    void setUp()
    {
        exchange = new NtpExchange(42, LOCAL_PRECISION_NS);
    }

    /** A genuine reply from a server whose clock is {@code offsetNs} ahead, with the given one-way delays. */
    private void writeReply(final long offsetNs, final long requestDelayNs, final long holdNs, final long replyDelayNs)
    {
        final long t2 = t1 + requestDelayNs + offsetNs;
        final long t3 = t2 + holdNs;
        reply.clear().put(new byte[64]).clear();
        reply.put(0, (byte)((4 << 3) | 4));
        reply.put(1, (byte)2);
        reply.put(3, (byte)-24);
        reply.putInt(12, 0x0A000001);
        reply.putLong(24, NtpPacket.originTimestamp(request, 0) == 0 ?
            request.getLong(40) : 0);
        reply.putLong(32, NtpTimestamps.fromEpochNanos(t2));
        reply.putLong(40, NtpTimestamps.fromEpochNanos(t3));
    }

    private ReplyCheck accept(final long elapsedNs)
    {
        return exchange.acceptReply(reply, 0, NtpPacket.LENGTH, elapsedNs, 777, sample);
    }

    private void prepare()
    {
        t1 += 1_000;
        exchange.prepareRequest(request, 0, t1);
    }

    @Test
    void requestShouldBeAVersion4ClientPacketCarryingOnlyTheRandomizedTransmitTimestamp()
    {
        assertThat(exchange.prepareRequest(request, 0, T1)).isEqualTo(NtpPacket.LENGTH);
        assertThat(NtpPacket.mode(request, 0)).isEqualTo(NtpPacket.MODE_CLIENT);
        assertThat(NtpPacket.version(request, 0)).isEqualTo(4);
        assertThat(NtpPacket.leapIndicator(request, 0)).isZero();
        for (int i = 1; i < 40; i++)
        {
            assertThat(request.get(i)).as("byte %d", i).isZero();
        }
        final long transmit = NtpPacket.transmitTimestamp(request, 0);
        assertThat(transmit >>> 32).isEqualTo(NtpTimestamps.fromEpochNanos(T1) >>> 32);
        assertThat(exchange.outstandingTransmitTimestamp()).isEqualTo(transmit);
    }

    @Test
    void transmitTimestampFractionShouldBeUnpredictableAcrossRequestsAtTheSameTime()
    {
        final java.util.Set<Long> fractions = new java.util.HashSet<>();
        for (int i = 0; i < 1000; i++)
        {
            exchange.prepareRequest(request, 0, T1);
            fractions.add(NtpPacket.transmitTimestamp(request, 0) & 0xFFFF_FFFFL);
        }
        assertThat(fractions).hasSizeGreaterThan(990);
    }

    @Test
    void shouldComputeOffsetDelayAndDispersionOfAGenuineReply()
    {
        prepare();
        writeReply(5_250_000_000L, 100_000, 20_000, 100_000);
        assertThat(accept(220_000)).isEqualTo(ReplyCheck.OK);
        assertThat(Math.abs(sample.offsetNs() - 5_250_000_000L)).isLessThanOrEqualTo(1);
        assertThat(Math.abs(sample.delayNs() - 200_000)).isLessThanOrEqualTo(1);
        assertThat(sample.t1EpochNs()).isEqualTo(t1);
        assertThat(sample.t4EpochNs()).isEqualTo(t1 + 220_000);
        assertThat(sample.t4MonoNs()).isEqualTo(777);
        assertThat(sample.stratum()).isEqualTo(2);
        assertThat(sample.precisionLog2()).isEqualTo(-24);
        // 2^-24 s = 59.6 ns -> 60; local 50; 15 ppm of 220 us = 3.3 -> 4; rounding 2.
        assertThat(sample.dispersionNs()).isEqualTo(60 + 50 + 4 + 2);
        assertThat(sample.boundNs()).isEqualTo(100_000 + 116);
    }

    @Test
    void boundShouldContainTheTrueOffsetWhateverTheDelayAsymmetry()
    {
        final long seed = Seeds.seed("exchange bound covers asymmetric truth");
        final SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < 100_000; i++)
        {
            final long offsetNs = random.nextLong(-100_000_000_000L, 100_000_000_000L);
            final long there = random.nextLong(0, 200_000_000L);
            final long back = random.nextBoolean() ? random.nextLong(0, 1_000) : random.nextLong(0, 200_000_000L);
            final long hold = random.nextLong(0, 1_000_000L);
            prepare();
            writeReply(offsetNs, there, hold, back);
            assertThat(accept(there + hold + back)).as("seed %d", seed).isEqualTo(ReplyCheck.OK);
            assertThat(Math.abs(sample.offsetNs() - offsetNs)).as("seed %d, iteration %d: %s", seed, i, sample)
                .isLessThanOrEqualTo(sample.boundNs());
            assertThat(sample.boundNs()).as("seed %d: the bound is not absurdly loose", seed)
                .isLessThanOrEqualTo((there + back) / 2 + 1_000 + (there + hold + back) * 15 / 1_000_000 + 1);
        }
    }

    @Test
    void shouldRejectATruncatedReply()
    {
        prepare();
        writeReply(0, 10, 10, 10);
        assertThat(exchange.acceptReply(reply, 0, 47, 30, 0, sample)).isEqualTo(ReplyCheck.TRUNCATED);
        assertThat(accept(30)).as("the genuine reply still counts after garbage").isEqualTo(ReplyCheck.OK);
    }

    @Test
    void shouldRejectAReplyThatIsNotInServerMode()
    {
        prepare();
        writeReply(0, 10, 10, 10);
        reply.put(0, (byte)((4 << 3) | 3));
        assertThat(accept(30)).isEqualTo(ReplyCheck.NOT_SERVER_MODE);
    }

    @Test
    void shouldAcceptVersion3AndRejectOtherVersions()
    {
        prepare();
        writeReply(0, 10, 10, 10);
        reply.put(0, (byte)((2 << 3) | 4));
        assertThat(accept(30)).isEqualTo(ReplyCheck.BAD_VERSION);
        reply.put(0, (byte)((5 << 3) | 4));
        assertThat(accept(30)).isEqualTo(ReplyCheck.BAD_VERSION);
        reply.put(0, (byte)((3 << 3) | 4));
        assertThat(accept(30)).isEqualTo(ReplyCheck.OK);
        assertThat(sample.version()).isEqualTo(3);
    }

    @Test
    void shouldRejectAReplyWhoseOriginIsNotOurTransmitTimestampAndKeepWaitingForTheGenuineOne()
    {
        prepare();
        writeReply(0, 10, 10, 10);
        final long genuineOrigin = NtpPacket.originTimestamp(reply, 0);
        for (int bit = 0; bit < 64; bit++)
        {
            reply.putLong(24, genuineOrigin ^ (1L << bit));
            assertThat(accept(30)).as("bit %d", bit).isEqualTo(ReplyCheck.BOGUS_ORIGIN);
        }
        reply.putLong(24, genuineOrigin);
        assertThat(accept(30)).isEqualTo(ReplyCheck.OK);
    }

    @Test
    void shouldRejectADuplicateOfAnAcceptedReply()
    {
        prepare();
        writeReply(0, 10, 10, 10);
        assertThat(accept(30)).isEqualTo(ReplyCheck.OK);
        assertThat(accept(30)).isEqualTo(ReplyCheck.NO_REQUEST_OUTSTANDING);
    }

    @Test
    void shouldRejectAZeroTransmitTimestamp()
    {
        prepare();
        writeReply(0, 10, 10, 10);
        reply.putLong(40, 0);
        assertThat(accept(30)).isEqualTo(ReplyCheck.ZERO_TRANSMIT);
    }

    @Test
    void shouldRejectAReplayOfThePreviousServerTransmitTimestamp()
    {
        prepare();
        writeReply(0, 10, 10, 10);
        final long previousTransmit = NtpPacket.transmitTimestamp(reply, 0);
        assertThat(accept(30)).isEqualTo(ReplyCheck.OK);
        prepare();
        writeReply(0, 10, 10, 10);
        reply.putLong(40, previousTransmit);
        assertThat(accept(30)).isEqualTo(ReplyCheck.REPLAY);
    }

    @Test
    void shouldReportTheKissCodeOfAGenuineKissOfDeath()
    {
        prepare();
        writeReply(0, 10, 10, 10);
        reply.put(1, (byte)0);
        reply.putInt(12, (int)NtpPacket.kissCode("DENY"));
        final NtpSample before = new NtpSample();
        assertThat(accept(30)).isEqualTo(ReplyCheck.KISS_OF_DEATH);
        assertThat(NtpPacket.kissCodeToString(exchange.lastKissCode())).isEqualTo("DENY");
        assertThat(sample).usingRecursiveComparison().isEqualTo(before);
    }

    @Test
    void shouldIgnoreAForgedKissOfDeathWithAWrongOrigin()
    {
        prepare();
        writeReply(0, 10, 10, 10);
        reply.put(1, (byte)0);
        reply.putInt(12, (int)NtpPacket.kissCode("DENY"));
        reply.putLong(24, 12345L);
        assertThat(accept(30)).isEqualTo(ReplyCheck.BOGUS_ORIGIN);
        assertThat(exchange.lastKissCode()).isZero();
    }

    @Test
    void shouldRejectAnUnsynchronizedServer()
    {
        prepare();
        writeReply(0, 10, 10, 10);
        reply.put(0, (byte)((3 << 6) | (4 << 3) | 4));
        assertThat(accept(30)).isEqualTo(ReplyCheck.UNSYNCHRONIZED);
    }

    @Test
    void shouldRejectStrataAbove15AndAcceptStrata1To15()
    {
        for (int stratum = 1; stratum <= 255; stratum++)
        {
            prepare();
            writeReply(0, 10, 10, 10);
            reply.put(1, (byte)stratum);
            assertThat(accept(30)).as("stratum %d", stratum)
                .isEqualTo(stratum <= 15 ? ReplyCheck.OK : ReplyCheck.BAD_STRATUM);
        }
    }

    @Test
    void shouldRejectAServerThatSentBeforeItReceivedOrNeverReceived()
    {
        prepare();
        writeReply(0, 10, -1_000_000, 10);
        assertThat(accept(30)).isEqualTo(ReplyCheck.BAD_TIMESTAMPS);
        prepare();
        writeReply(0, 10, 10, 10);
        reply.putLong(32, 0);
        assertThat(accept(30)).isEqualTo(ReplyCheck.BAD_TIMESTAMPS);
    }

    @Test
    void shouldRejectANegativeRoundTrip()
    {
        prepare();
        writeReply(0, 10, 5_000_000, 10);
        assertThat(accept(1_000_000)).isEqualTo(ReplyCheck.NEGATIVE_DELAY);
    }

    @Test
    void shouldRejectARootDistanceOf16SecondsOrMore()
    {
        prepare();
        writeReply(0, 10, 10, 10);
        reply.putInt(8, NtpPacket.nanosToShortFormatCeil(16_000_000_000L));
        assertThat(accept(30)).isEqualTo(ReplyCheck.ROOT_DISTANCE_TOO_LARGE);
    }

    @Test
    void boundShouldIncludeTheServersRootDelayAndRootDispersion()
    {
        prepare();
        writeReply(0, 1000, 0, 1000);
        reply.putInt(4, NtpPacket.nanosToShortFormatCeil(10_000_000L));
        reply.putInt(8, NtpPacket.nanosToShortFormatCeil(3_000_000L));
        assertThat(accept(2000)).isEqualTo(ReplyCheck.OK);
        // One unit of the 16.16 short format is 15.26 us; values round up.
        assertThat(sample.rootDelayNs()).isBetween(10_000_000L, 10_015_259L);
        assertThat(sample.rootDispersionNs()).isBetween(3_000_000L, 3_015_259L);
        assertThat(sample.boundNs()).isEqualTo(
            1000 + sample.dispersionNs() + (sample.rootDelayNs() + 1) / 2 + sample.rootDispersionNs());
    }

    @Test
    void buildingARequestAndValidatingAReplyShouldAllocateNothing() throws Exception
    {
        prepare();
        writeReply(1_000_000, 100_000, 10_000, 100_000);
        final long bytes = AllocationMeter.allocatedBytes(AllocationMeter.MILLION, n ->
        {
            for (int i = 0; i < n; i++)
            {
                exchange.prepareRequest(request, 0, t1);
                reply.putLong(24, request.getLong(40));
                reply.putLong(40, NtpTimestamps.fromEpochNanos(t1 + 1_110_000 + i % 100_000));
                if (exchange.acceptReply(reply, 0, NtpPacket.LENGTH, 210_000, i, sample) != ReplyCheck.OK)
                {
                    throw new AssertionError("reply rejected at " + i);
                }
            }
        });
        assertThat(bytes).isZero();
    }

    @Test
    void aReplyShouldBeJudgedTheSameInAByteArrayAHeapBufferAndAnyByteOrderAtAnyOffset()
    {
        final long seed = Seeds.seed("same verdict in every container");
        final SplittableRandom random = new SplittableRandom(seed);
        for (int trial = 0; trial < 500; trial++)
        {
            final int offset = random.nextInt(0, 16);
            final byte[] array = new byte[offset + 64];
            final ByteBuffer heap = ByteBuffer.allocate(offset + 64).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            // Three exchanges with the same seed draw the same transmit timestamps.
            exchange = new NtpExchange(trial, LOCAL_PRECISION_NS);
            final NtpExchange forArray = new NtpExchange(trial, LOCAL_PRECISION_NS);
            final NtpExchange forHeap = new NtpExchange(trial, LOCAL_PRECISION_NS);
            t1 = T1;
            request.clear();
            assertThat(exchange.prepareRequest(request, 0, t1)).isEqualTo(NtpPacket.LENGTH);
            assertThat(forArray.prepareRequest(array, offset, t1)).isEqualTo(NtpPacket.LENGTH);
            assertThat(forHeap.prepareRequest(heap, offset, t1)).isEqualTo(NtpPacket.LENGTH);
            assertThat(heap.position()).as("position untouched").isZero();
            for (int i = 0; i < NtpPacket.LENGTH; i++)
            {
                assertThat(array[offset + i]).as("seed %d, byte %d", seed, i).isEqualTo(request.get(i));
                assertThat(heap.get(offset + i)).as("seed %d, byte %d", seed, i).isEqualTo(request.get(i));
            }
            // A genuine reply, sometimes with one byte corrupted: every container gives the same verdict.
            writeReply(random.nextLong(-5_000_000_000L, 5_000_000_000L), 100_000, 10_000, 100_000);
            if (random.nextBoolean())
            {
                reply.put(random.nextInt(0, NtpPacket.LENGTH), (byte)random.nextInt());
            }
            for (int i = 0; i < NtpPacket.LENGTH; i++)
            {
                array[offset + i] = reply.get(i);
                heap.put(offset + i, reply.get(i));
            }
            final NtpSample fromArray = new NtpSample();
            final NtpSample fromHeap = new NtpSample();
            final ReplyCheck expected = accept(210_000);
            assertThat(forArray.acceptReply(array, offset, NtpPacket.LENGTH, 210_000, 777, fromArray))
                .as("seed %d", seed).isEqualTo(expected);
            assertThat(forHeap.acceptReply(heap, offset, NtpPacket.LENGTH, 210_000, 777, fromHeap))
                .as("seed %d", seed).isEqualTo(expected);
            if (expected == ReplyCheck.OK)
            {
                assertThat(fromArray.offsetNs()).isEqualTo(sample.offsetNs()).isEqualTo(fromHeap.offsetNs());
                assertThat(fromArray.boundNs()).isEqualTo(sample.boundNs()).isEqualTo(fromHeap.boundNs());
            }
        }
    }

    @Test
    void aPacketThatDoesNotFitShouldBeRefusedWithoutTouchingTheExchange()
    {
        assertThatThrownBy(() -> exchange.prepareRequest(new byte[47], 0, T1))
            .isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> exchange.prepareRequest(ByteBuffer.allocate(64).limit(40), 0, T1))
            .isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(exchange.outstandingTransmitTimestamp()).isZero();
        assertThat(exchange.acceptReply(new byte[64], 20, 48, 1000, 0, sample)).isEqualTo(ReplyCheck.TRUNCATED);
        assertThat(exchange.acceptReply(ByteBuffer.allocate(64).limit(47), 0, 48, 1000, 0, sample))
            .isEqualTo(ReplyCheck.TRUNCATED);
        assertThat(exchange.acceptReply(new byte[64], -1, 48, 1000, 0, sample)).isEqualTo(ReplyCheck.TRUNCATED);
    }

    @Test
    void byteArrayPathShouldAllocateNothingEither() throws Exception
    {
        final byte[] requestBytes = new byte[NtpPacket.LENGTH];
        final byte[] replyBytes = new byte[NtpPacket.LENGTH];
        prepare();
        writeReply(1_000_000, 100_000, 10_000, 100_000);
        reply.get(0, replyBytes);
        final java.nio.ByteBuffer replyView = ByteBuffer.wrap(replyBytes);
        final long bytes = AllocationMeter.allocatedBytes(AllocationMeter.MILLION, n ->
        {
            for (int i = 0; i < n; i++)
            {
                exchange.prepareRequest(requestBytes, 0, t1);
                replyView.putLong(24, NtpPacket.transmitTimestamp(requestBytes, 0));
                replyView.putLong(40, NtpTimestamps.fromEpochNanos(t1 + 1_110_000 + i % 100_000));
                if (exchange.acceptReply(replyBytes, 0, NtpPacket.LENGTH, 210_000, i, sample) != ReplyCheck.OK)
                {
                    throw new AssertionError("reply rejected at " + i);
                }
            }
        });
        assertThat(bytes).isZero();
    }

    @Test
    void shouldRejectANonPositiveLocalPrecision()
    {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new NtpExchange(1, 0))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0 ns");
    }
}
