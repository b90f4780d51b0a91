package io.tandem.telephony.relay;

import io.tandem.telephony.codec.AudioCodec;
import io.tandem.telephony.codec.CodecSpec;
import io.tandem.telephony.codec.G711Codec;
import io.tandem.telephony.media.AudioFrames;
import io.tandem.telephony.media.Goertzel;
import io.tandem.telephony.media.MediaDirection;
import io.tandem.telephony.media.MediaSink;
import io.tandem.telephony.media.SineSource;
import io.tandem.telephony.rtp.RtpMediaStream;
import io.tandem.telephony.rtp.RtpMediaStreamFactory;
import io.tandem.telephony.srtp.CryptoAttribute;
import io.tandem.telephony.srtp.Sdes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** A ↔ relay ↔ B with real RTP streams at both ends; audio checked with Goertzel. */
class RtpRelayIT {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final int base = 20000 + 2 * ThreadLocalRandom.current().nextInt(5900);
    private final RtpMediaStreamFactory phones = new RtpMediaStreamFactory(base, base + 19);
    private final RtpRelayEngine engine = new RtpRelayEngine(base + 20, base + 39);

    @AfterEach
    void tearDown() {
        engine.close();
        phones.close();
    }

    /** Counts 20 ms frames in which one tone dominates. */
    static final class ToneCounter implements MediaSink {
        private final double hz;
        final AtomicInteger frames = new AtomicInteger();

        ToneCounter(double hz) {
            this.hz = hz;
        }

        @Override
        public void write(short[] frame) {
            if (Goertzel.toneRatio(frame, 0, AudioFrames.SAMPLES_PER_FRAME, hz, AudioFrames.SAMPLE_RATE) > 0.6) {
                frames.incrementAndGet();
            }
        }
    }

    /** PCMU under a dynamic payload type, as some phones offer it. */
    static final class RenumberedCodec implements AudioCodec {
        private final AudioCodec inner;
        private final CodecSpec spec;

        RenumberedCodec(AudioCodec inner, int pt) {
            this.inner = inner;
            this.spec = inner.spec().withPayloadType(pt);
        }

        @Override
        public CodecSpec spec() {
            return spec;
        }

        @Override
        public int maxPayloadSize() {
            return inner.maxPayloadSize();
        }

        @Override
        public int encode(short[] pcm, byte[] out, int offset) {
            return inner.encode(pcm, out, offset);
        }

        @Override
        public int decode(byte[] payload, int offset, int length, short[] pcm) {
            return inner.decode(payload, offset, length, pcm);
        }
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as("timed out waiting for " + what).isNegative();
            java.util.concurrent.locks.LockSupport.parkNanos(5_000_000); // poll interval
        }
    }

    private record Call(RtpRelay relay, RtpMediaStream a, RtpMediaStream b, ToneCounter atA, ToneCounter atB) {
    }

    /** Sets up phone A (1 kHz) ↔ relay ↔ phone B (440 Hz) with the given codecs and telephone-event PTs. */
    private Call call(AudioCodec codecA, int teA, AudioCodec codecB, int teB, boolean latchB) throws Exception {
        RtpRelay relay = engine.open(LOOPBACK, LOOPBACK);
        RtpMediaStream a = phones.open(LOOPBACK);
        RtpMediaStream b = phones.open(LOOPBACK);
        ToneCounter atA = new ToneCounter(440);
        ToneCounter atB = new ToneCounter(1000);
        a.setSource(new SineSource(1000, 8000));
        b.setSource(new SineSource(440, 8000));
        a.setSink(atA);
        b.setSink(atB);
        relay.legA().configure(a.localAddress(), codecA.spec(), teA);
        // when latching, leg B only learns B's address from B's packets (a NATed phone)
        relay.legB().configure(latchB ? null : b.localAddress(), codecB.spec(), teB);
        a.start(relay.legA().localAddress(), codecA, teA);
        b.start(relay.legB().localAddress(), codecB, teB);
        return new Call(relay, a, b, atA, atB);
    }

    @Test
    void toneCrossesTheRelayBothWaysWithoutDecoding() throws Exception {
        Call c = call(G711Codec.pcmu(), 101, G711Codec.pcmu(), 101, false);
        await("1 kHz at B", () -> c.atB().frames.get() >= 50);
        await("440 Hz at A", () -> c.atA().frames.get() >= 50);
        assertThat(c.relay().aToB().packetsForwarded()).isPositive();
        assertThat(c.relay().bToA().packetsForwarded()).isPositive();
        assertThat(c.relay().aToB().packetsTranscoded()).isZero();
        // RTCP passes through too, so each phone hears the other's reports about it
        await("RTCP through the relay", () -> c.a().remoteReport() != null && c.b().remoteReport() != null);
        assertThat(c.a().remoteReport().ssrc()).isEqualTo(c.a().ssrc());
        assertThat(c.relay().aToB().rtcpForwarded()).isPositive();
    }

    @Test
    void differentDynamicPayloadTypesAreRewrittenAndTheLegLatchesOnB() throws Exception {
        Call c = call(G711Codec.pcmu(), 101, new RenumberedCodec(G711Codec.pcmu(), 97), 96, true);
        await("1 kHz at B under PT 97", () -> c.atB().frames.get() >= 50);
        await("440 Hz at A under PT 0", () -> c.atA().frames.get() >= 50);
        assertThat(c.relay().legB().remoteAddress()).isEqualTo(c.b().localAddress());
        assertThat(c.b().packetsWithUnexpectedPayloadType()).isZero();
        assertThat(c.a().packetsWithUnexpectedPayloadType()).isZero();
    }

    @Test
    void aLegTheSdpMovesToAnotherPartyIsNotLatchedBackByThePreviousOnesPackets() throws Exception {
        Call c = call(G711Codec.pcmu(), 101, G711Codec.pcmu(), 101, false);
        await("1 kHz at B", () -> c.atB().frames.get() >= 10);
        // A transfer's re-INVITE points leg B at C: another node's relay port, which sends only what it is sent
        // (here: nothing). B still sends to leg B until its BYE.
        RtpMediaStream next = phones.open(LOOPBACK);
        ToneCounter atNext = new ToneCounter(1000);
        next.setSink(atNext);
        next.setDirection(MediaDirection.RECVONLY);
        c.relay().legB().configure(next.localAddress(), G711Codec.pcmu().spec(), 101);
        next.start(c.relay().legB().localAddress(), G711Codec.pcmu(), 101);

        await("1 kHz at the party leg B now faces", () -> atNext.frames.get() >= 50);
        assertThat(c.relay().legB().remoteAddress()).isEqualTo(next.localAddress());
        assertThat(c.relay().bToA().packetsForwarded()).as("B's packets kept arriving").isPositive();
    }

    @Test
    void rtcpFollowsOnlyTheHostTheLegsRtpGoesToNotAStrangersReport() throws Exception {
        Call c = call(G711Codec.pcmu(), 101, G711Codec.pcmu(), 101, false);
        await("RTCP through the relay", () -> c.a().remoteReport() != null && c.b().remoteReport() != null);
        java.net.InetSocketAddress legARtcp = new java.net.InetSocketAddress(LOOPBACK,
                c.relay().legA().localAddress().getPort() + 1);
        java.net.InetSocketAddress aRtcp = new java.net.InetSocketAddress(LOOPBACK, c.a().localAddress().getPort() + 1);
        // A well-formed receiver report (RFC 3550 §6.4.2, no report blocks) from another host: 127.0.0.2.
        byte[] rr = {(byte) 0x80, (byte) 201, 0, 1, 0x12, 0x34, 0x56, 0x78};
        try (java.nio.channels.DatagramChannel stranger = java.nio.channels.DatagramChannel.open()) {
            stranger.bind(new java.net.InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0));
            long forwarded = c.relay().aToB().rtcpForwarded();
            for (int i = 0; i < 5; i++) {
                stranger.send(java.nio.ByteBuffer.wrap(rr), legARtcp);
            }
            await("the stranger's reports received", () -> c.relay().aToB().rtcpForwarded() >= forwarded + 5);
        }
        // A's reports kept coming from A's RTCP port meanwhile; B's still go there, not to the stranger.
        assertThat(c.relay().legA().rtcpAddress()).isEqualTo(aRtcp);
    }

    @Test
    void pcmuLegAndPcmaLegAreTranscodedByTable() throws Exception {
        Call c = call(G711Codec.pcmu(), 101, G711Codec.pcma(), 101, false);
        await("1 kHz at the PCMA phone", () -> c.atB().frames.get() >= 50);
        await("440 Hz at the PCMU phone", () -> c.atA().frames.get() >= 50);
        assertThat(c.relay().aToB().packetsTranscoded()).isPositive();
        assertThat(c.relay().bToA().packetsTranscoded()).isPositive();
    }

    @Test
    void dtmfPassesThroughUnderTheOtherLegsPayloadType() throws Exception {
        Call c = call(G711Codec.pcmu(), 101, G711Codec.pcmu(), 96, false);
        LinkedBlockingQueue<Character> atB = new LinkedBlockingQueue<>();
        c.b().onDtmf(atB::add);
        await("audio first", () -> c.atB().frames.get() >= 10);
        for (char d : "12#".toCharArray()) {
            c.a().sendDtmf(d, 100);
        }
        StringBuilder got = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            Character d = atB.poll(20, TimeUnit.SECONDS);
            assertThat(d).as("digit %d, so far '%s'", i + 1, got).isNotNull();
            got.append(d);
        }
        assertThat(got.toString()).isEqualTo("12#");
    }

    @Test
    void garbageAndUnknownPayloadTypesAreCountedNotForwarded() throws Exception {
        Call c = call(G711Codec.pcmu(), 101, G711Codec.pcmu(), 101, false);
        await("audio first", () -> c.atB().frames.get() >= 10);
        try (java.nio.channels.DatagramChannel stranger = java.nio.channels.DatagramChannel.open()) {
            stranger.bind(new java.net.InetSocketAddress(LOOPBACK, 0));
            java.net.InetSocketAddress legA = c.relay().legA().localAddress();
            byte[] cn = new byte[13];
            io.tandem.telephony.rtp.RtpPacket.writeHeader(cn, 0, false, 13, 1, 1, 1); // comfort noise: not agreed
            for (int i = 0; i < 20; i++) {
                stranger.send(java.nio.ByteBuffer.wrap(new byte[]{1, 2, 3}), legA);
                stranger.send(java.nio.ByteBuffer.wrap(cn), legA);
                stranger.send(java.nio.ByteBuffer.wrap(new byte[]{0, 0, 0, 0, 0, 0, 0, 0}),
                        new java.net.InetSocketAddress(LOOPBACK, legA.getPort() + 1));
            }
        }
        await("garbage counted", () -> c.relay().aToB().packetsMalformed() >= 40);
        await("unknown payload type dropped", () -> c.relay().aToB().packetsDropped() >= 20);
        int before = c.atB().frames.get();
        await("audio still flowing", () -> c.atB().frames.get() >= before + 25);
        assertThat(c.relay().legA().remoteAddress()).isEqualTo(c.a().localAddress());
    }

    @Test
    void anSrtpLegTalksToAPlainLegAndForgedPacketsAreRefusedAndCounted() throws Exception {
        // Keys as SDES would exchange them: phone A offers, the relay's leg A answers (RFC 4568 §7).
        java.security.SecureRandom random = new java.security.SecureRandom();
        java.util.List<CryptoAttribute> offer = Sdes.offer(random);
        Sdes.Keys relayKeys = Sdes.answer(offer.stream().map(CryptoAttribute::format).toList(), random);
        Sdes.Keys phoneKeys = Sdes.accept(offer, java.util.List.of(relayKeys.local().format()));

        RtpRelay relay = engine.open(LOOPBACK, LOOPBACK);
        RtpMediaStream a = phones.open(LOOPBACK);
        RtpMediaStream b = phones.open(LOOPBACK);
        ToneCounter atA = new ToneCounter(440);
        ToneCounter atB = new ToneCounter(1000);
        a.setSource(new SineSource(1000, 8000));
        b.setSource(new SineSource(440, 8000));
        a.setSink(atA);
        b.setSink(atB);
        a.secure(phoneKeys);
        relay.legA().secure(relayKeys);
        relay.legA().configure(a.localAddress(), G711Codec.pcmu().spec(), 101);
        relay.legB().configure(b.localAddress(), G711Codec.pcmu().spec(), 101);
        a.start(relay.legA().localAddress(), G711Codec.pcmu(), 101);
        b.start(relay.legB().localAddress(), G711Codec.pcmu(), 101);

        await("1 kHz from the SRTP phone at the plain phone", () -> atB.frames.get() >= 50);
        await("440 Hz from the plain phone at the SRTP phone", () -> atA.frames.get() >= 50);
        await("SRTCP and RTCP through the relay", () -> a.remoteReport() != null && b.remoteReport() != null);
        assertThat(relay.aToB().srtpRefused()).isZero();
        assertThat(a.srtpRefused()).isZero();

        try (java.nio.channels.DatagramChannel stranger = java.nio.channels.DatagramChannel.open()) {
            stranger.bind(new java.net.InetSocketAddress(LOOPBACK, 0));
            byte[] plain = new byte[12 + 160 + 10];
            io.tandem.telephony.rtp.RtpPacket.writeHeader(plain, 0, false, 0, 1, 1, 1);
            for (int i = 0; i < 20; i++) {
                stranger.send(java.nio.ByteBuffer.wrap(plain), relay.legA().localAddress());
            }
        }
        await("forged packets refused and counted", () -> relay.aToB().srtpRefused() >= 20);
        int before = atB.frames.get();
        await("audio still flowing", () -> atB.frames.get() >= before + 25);
        assertThat(relay.legA().remoteAddress()).isEqualTo(a.localAddress());
    }

    @Test
    void closingARelayFreesItsPortsForTheNextCall() throws Exception {
        RtpRelay first = engine.open(LOOPBACK, LOOPBACK);
        int relaysBefore = engine.relays();
        first.close();
        first.close();
        assertThat(engine.relays()).isEqualTo(relaysBefore - 1);
        // the 20-port range holds 5 relays at most: open and close many to prove reuse
        for (int i = 0; i < 20; i++) {
            engine.open(LOOPBACK, LOOPBACK).close();
        }
        assertThat(engine.relays()).isZero();
    }
}
