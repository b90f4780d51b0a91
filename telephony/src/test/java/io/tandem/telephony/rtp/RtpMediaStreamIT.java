package io.tandem.telephony.rtp;

import io.tandem.telephony.codec.G711Codec;
import io.tandem.telephony.media.MediaDirection;
import io.tandem.telephony.media.SineSource;
import io.tandem.telephony.testing.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Two real streams on loopback exchanging audio, checked as audio with Goertzel. */
class RtpMediaStreamIT {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final int TE = 101;

    private final int base = TestPorts.base(40);
    private final RtpMediaStreamFactory factory = new RtpMediaStreamFactory(base, base + 39);
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
        factory.close();
    }

    private RtpMediaStream open() throws IOException {
        RtpMediaStream s = factory.open(LOOPBACK);
        toClose.add(s);
        return s;
    }

    private static void awaitTone(ToneSink sink, int frames, String what) {
        Await.until(what, WAIT, () -> sink.toneFrames.get() >= frames,
                () -> "(tone " + sink.toneFrames + ", silent " + sink.silentFrames + ", other " + sink.otherFrames + ")");
    }

    @Test
    void twoStreamsExchangeTonesAndRtcpReports() throws Exception {
        RtpMediaStream a = open();
        RtpMediaStream b = open();
        ToneSink atA = new ToneSink(440);
        ToneSink atB = new ToneSink(1000);
        a.setSource(new SineSource(1000, 8000));
        b.setSource(new SineSource(440, 8000));
        a.setSink(atA);
        b.setSink(atB);
        a.start(b.localAddress(), G711Codec.pcmu(), TE);
        b.start(a.localAddress(), G711Codec.pcmu(), TE);

        awaitTone(atB, 50, "1 kHz from A at B");
        awaitTone(atA, 50, "440 Hz from B at A");
        assertThat(a.localAddress().getPort() % 2).isZero();
        assertThat(a.statistics().packetsReceived()).isPositive();
        assertThat(a.statistics().packetsMalformed()).isZero();
        RtpStatistics sentByB = b.statistics(); // one snapshot: B sends on while the test reads
        assertThat(sentByB.bytesSent()).isEqualTo(160 * sentByB.packetsSent());

        // RFC 3550 §6.4: each side reports on the other's stream within one RTCP interval
        Await.until("RTCP reports both ways", WAIT, () -> a.remoteReport() != null && b.remoteReport() != null);
        assertThat(a.remoteReport().ssrc()).isEqualTo(a.ssrc());
        assertThat(b.remoteReport().ssrc()).isEqualTo(b.ssrc());
        assertThat(a.remoteReport().cumulativeLost()).isLessThanOrEqualTo(0);
    }

    @Test
    void pcmaToneArrivesAsAudio() throws Exception {
        RtpMediaStream a = open();
        RtpMediaStream b = open();
        ToneSink atB = new ToneSink(1000);
        a.setSource(new SineSource(1000, 8000));
        b.setSink(atB);
        a.start(b.localAddress(), G711Codec.pcma(), -1);
        b.start(a.localAddress(), G711Codec.pcma(), -1);
        awaitTone(atB, 50, "1 kHz over PCMA");
    }

    @Test
    void holdStopsAudioInTheRightDirectionAndResumeRestoresIt() throws Exception {
        RtpMediaStream a = open();
        RtpMediaStream b = open();
        ToneSink atA = new ToneSink(440);
        ToneSink atB = new ToneSink(1000);
        a.setSource(new SineSource(1000, 8000));
        b.setSource(new SineSource(440, 8000));
        a.setSink(atA);
        b.setSink(atB);
        a.start(b.localAddress(), G711Codec.pcmu(), TE);
        b.start(a.localAddress(), G711Codec.pcmu(), TE);
        awaitTone(atA, 25, "440 Hz at A before hold");

        // A holds B: A sends only, B receives only (RFC 3264 §8.4)
        a.setDirection(MediaDirection.SENDONLY);
        b.setDirection(MediaDirection.RECVONLY);
        assertThat(a.direction()).isEqualTo(MediaDirection.SENDONLY);
        Await.until("B to stop sending", WAIT, () -> {
            long before = b.statistics().packetsSent();
            atB.reset();
            awaitTone(atB, 5, "tone at B during hold");
            return b.statistics().packetsSent() == before;
        });
        long bSentOnHold = b.statistics().packetsSent();
        atB.reset();
        awaitTone(atB, 50, "1 kHz still reaching B while B is on hold");
        assertThat(b.statistics().packetsSent()).isEqualTo(bSentOnHold);

        // both inactive: nothing either way
        a.setDirection(MediaDirection.INACTIVE);
        b.setDirection(MediaDirection.INACTIVE);
        awaitTicks(5); // packets already in flight land
        long aSent = a.statistics().packetsSent();
        long aReceived = a.statistics().packetsReceived();
        long bSent = b.statistics().packetsSent();
        awaitTicks(15);
        assertThat(a.statistics().packetsSent()).isEqualTo(aSent);
        assertThat(b.statistics().packetsSent()).isEqualTo(bSent);
        assertThat(a.statistics().packetsReceived()).isEqualTo(aReceived);

        // resume: both tones come back
        a.setDirection(MediaDirection.SENDRECV);
        b.setDirection(MediaDirection.SENDRECV);
        atA.reset();
        atB.reset();
        awaitTone(atA, 50, "440 Hz at A after resume");
        awaitTone(atB, 50, "1 kHz at B after resume");
        assertThat(a.statistics().packetsSent()).isGreaterThan(aSent);
        assertThat(a.statistics().packetsReceived()).isGreaterThan(aReceived);
    }

    private void awaitTicks(int n) {
        long start = factory.ticks();
        Await.until(n + " media ticks", WAIT, () -> factory.ticks() >= start + n);
    }

    @Test
    void sequenceAndTimestampContinueAcrossHoldAndRestart() throws Exception {
        RtpMediaStream a = open();
        try (DatagramChannel peer = DatagramChannel.open()) {
            peer.bind(new InetSocketAddress(LOOPBACK, 0));
            peer.configureBlocking(true);
            peer.socket().setSoTimeout(10_000);
            a.setSource(new SineSource(1000, 8000));
            a.start((InetSocketAddress) peer.getLocalAddress(), G711Codec.pcmu(), TE);

            RtpPacket p = new RtpPacket();
            byte[] buf = new byte[1500];
            long[] beforeHold = receive(peer, p, buf, 10);
            a.setDirection(MediaDirection.INACTIVE);
            awaitTicks(2); // a tick that began before the change may still send one
            long sentOnHold = a.statistics().packetsSent();
            awaitTicks(10);
            assertThat(a.statistics().packetsSent()).as("nothing sent while inactive").isEqualTo(sentOnHold);
            // what was sent before the hold is queued at the peer: the last of it is where we left off
            peer.configureBlocking(false);
            ByteBuffer bb;
            while (peer.receive(bb = ByteBuffer.wrap(buf)) != null) {
                assertThat(p.parse(buf, 0, bb.position())).isEqualTo(RtpPacket.Status.OK);
                beforeHold = new long[]{p.sequenceNumber(), p.timestamp(), p.marker() ? 1 : 0};
            }
            peer.configureBlocking(true);
            a.setDirection(MediaDirection.SENDRECV);
            long[] afterResume = receive(peer, p, buf, 1);
            assertThat(afterResume[0]).isEqualTo((beforeHold[0] + 1) & 0xFFFF);
            long tsDelta = (afterResume[1] - beforeHold[1]) & 0xFFFFFFFFL;
            assertThat(tsDelta % 160).isZero();
            assertThat(tsDelta).as("the timestamp ran on during the hold").isGreaterThanOrEqualTo(160 * 10);
            assertThat(afterResume[2]).as("marker on the first packet after the pause").isEqualTo(1);

            // a re-INVITE to the same peer: start() again keeps SSRC, sequence and timestamp running
            long[] beforeRestart = receive(peer, p, buf, 1);
            long ssrc = p.ssrc();
            a.start((InetSocketAddress) peer.getLocalAddress(), G711Codec.pcmu(), TE);
            long[] afterRestart = receive(peer, p, buf, 1);
            assertThat(p.ssrc()).isEqualTo(ssrc);
            assertThat((afterRestart[0] - beforeRestart[0]) & 0xFFFF).isBetween(1L, 10L);
            assertThat((afterRestart[1] - beforeRestart[1]) & 0xFFFFFFFFL).isBetween(160L, 1600L);
        }
    }

    /** Receives n RTP packets; returns {seq, timestamp, marker} of the last. */
    private static long[] receive(DatagramChannel peer, RtpPacket p, byte[] buf, int n) throws IOException {
        long[] last = null;
        for (int i = 0; i < n; i++) {
            ByteBuffer bb = ByteBuffer.wrap(buf);
            peer.receive(bb);
            assertThat(p.parse(buf, 0, bb.position())).isEqualTo(RtpPacket.Status.OK);
            last = new long[]{p.sequenceNumber(), p.timestamp(), p.marker() ? 1 : 0};
        }
        return last;
    }

    @Test
    void dtmfDigitsArriveExactlyOnceEach() throws Exception {
        RtpMediaStream a = open();
        RtpMediaStream b = open();
        LinkedBlockingQueue<Character> digits = new LinkedBlockingQueue<>();
        b.onDtmf(digits::add);
        ToneSink atB = new ToneSink(1000);
        b.setSink(atB);
        a.setSource(new SineSource(1000, 8000));
        a.start(b.localAddress(), G711Codec.pcmu(), TE);
        b.start(a.localAddress(), G711Codec.pcmu(), TE);
        awaitTone(atB, 10, "audio before DTMF");

        for (char c : "123#".toCharArray()) {
            a.sendDtmf(c, 100);
        }
        a.sendDtmf('D', 60); // a sentinel: anything duplicated would show up before it
        StringBuilder got = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            Character c = digits.poll(20, TimeUnit.SECONDS);
            assertThat(c).as("digit %d of 123#D, so far '%s'", i + 1, got).isNotNull();
            got.append(c);
        }
        assertThat(got.toString()).isEqualTo("123#D");
        assertThatThrownBy(() -> a.sendDtmf('x', 100)).isInstanceOf(IllegalArgumentException.class);
        // audio resumes after the events
        atB.reset();
        awaitTone(atB, 25, "audio after DTMF");
    }

    @Test
    void telephoneEventsAreReportedOncePerEventTimestamp() throws Exception {
        RtpMediaStream b = open();
        LinkedBlockingQueue<Character> digits = new LinkedBlockingQueue<>();
        b.onDtmf(digits::add);
        try (DatagramChannel phone = DatagramChannel.open()) {
            phone.bind(new InetSocketAddress(LOOPBACK, 0));
            b.start((InetSocketAddress) phone.getLocalAddress(), G711Codec.pcmu(), TE);
            int[] seq = {100};
            // '1' at ts 1000: start, update, three ends; then '2' at ts 2000; then a straggling end of '1'
            sendEvent(phone, b, seq, 1000, 1, false, 160, true);
            sendEvent(phone, b, seq, 1000, 1, false, 320, false);
            for (int i = 0; i < 3; i++) {
                sendEvent(phone, b, seq, 1000, 1, true, 480, false);
            }
            sendEvent(phone, b, seq, 2000, 2, false, 160, true);
            sendEvent(phone, b, seq, 1000, 1, true, 480, false);
            sendEvent(phone, b, seq, 2000, 2, true, 320, false);
            // '2' again as a new key press (new timestamp) must be reported again
            sendEvent(phone, b, seq, 3000, 2, true, 320, false);
            StringBuilder got = new StringBuilder();
            for (int i = 0; i < 3; i++) {
                Character c = digits.poll(20, TimeUnit.SECONDS);
                assertThat(c).as("digit %d, so far '%s'", i + 1, got).isNotNull();
                got.append(c);
            }
            assertThat(got.toString()).isEqualTo("122");
            // nothing else was reported: a fourth key press is the next thing the listener sees
            sendEvent(phone, b, seq, 4000, 11, true, 320, false);
            assertThat(digits.poll(20, TimeUnit.SECONDS)).isEqualTo('#');
        }
    }

    private static void sendEvent(DatagramChannel phone, RtpMediaStream to, int[] seq, long ts, int event,
                                  boolean end, int duration, boolean marker) throws IOException {
        byte[] p = new byte[RtpPacket.HEADER_LENGTH + TelephoneEvent.LENGTH];
        RtpPacket.writeHeader(p, 0, marker, TE, seq[0]++, ts, 0x5EED);
        TelephoneEvent.write(p, RtpPacket.HEADER_LENGTH, event, end, 10, duration);
        phone.send(ByteBuffer.wrap(p), to.localAddress());
    }

    @Test
    void garbageDatagramsAreCountedAndAudioKeepsFlowing() throws Exception {
        RtpMediaStream a = open();
        RtpMediaStream b = open();
        ToneSink atB = new ToneSink(1000);
        b.setSink(atB);
        a.setSource(new SineSource(1000, 8000));
        a.start(b.localAddress(), G711Codec.pcmu(), TE);
        b.start(a.localAddress(), G711Codec.pcmu(), TE);
        awaitTone(atB, 10, "audio before garbage");

        try (DatagramChannel attacker = DatagramChannel.open()) {
            attacker.bind(new InetSocketAddress(LOOPBACK, 0));
            InetSocketAddress rtp = b.localAddress();
            InetSocketAddress rtcp = new InetSocketAddress(rtp.getAddress(), rtp.getPort() + 1);
            for (int i = 0; i < 50; i++) {
                attacker.send(ByteBuffer.wrap(new byte[]{0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
                        0x08, 0x09, 0x0a, 0x0b, 0x0c}), rtp);     // version 0
                attacker.send(ByteBuffer.wrap(new byte[]{(byte) 0x80, 0x00, 0x01}), rtp); // too short
                attacker.send(ByteBuffer.wrap("INVITE sip:x SIP/2.0".getBytes()), rtcp);  // not RTCP
            }
        }
        Await.until("150 malformed datagrams counted", WAIT, () -> b.statistics().packetsMalformed() >= 150,
                () -> b.statistics().toString());
        atB.reset();
        awaitTone(atB, 50, "audio after garbage");
        assertThat(b.remoteAddress()).as("garbage must not move the latch").isEqualTo(a.localAddress());
    }

    @Test
    void aFailingSourceIsCountedAndTheStreamCarriesOn() throws Exception {
        RtpMediaStream a = open();
        RtpMediaStream b = open();
        ToneSink atB = new ToneSink(1000);
        b.setSink(atB);
        a.setSource(frame -> {
            throw new IllegalStateException("microphone unplugged");
        });
        a.start(b.localAddress(), G711Codec.pcmu(), TE);
        b.start(a.localAddress(), G711Codec.pcmu(), TE);
        Await.until("source errors counted", WAIT, () -> a.mediaErrors() >= 10);
        assertThat(a.statistics().packetsSent()).isPositive(); // silence went out meanwhile
        a.setSource(new SineSource(1000, 8000));
        awaitTone(atB, 25, "tone once the source works");
    }

    @Test
    void symmetricRtpSendsToWherePacketsComeFrom() throws Exception {
        RtpMediaStream a = open();
        RtpMediaStream b = open();
        ToneSink atA = new ToneSink(440);
        a.setSink(atA);
        a.setSource(new SineSource(1000, 8000));
        b.setSource(new SineSource(440, 8000));
        a.start(b.localAddress(), G711Codec.pcmu(), TE);
        // B's SDP names an address nobody listens on (a NATed phone's private address)
        try (DatagramChannel dead = DatagramChannel.open()) {
            dead.bind(new InetSocketAddress(LOOPBACK, 0));
            b.start((InetSocketAddress) dead.getLocalAddress(), G711Codec.pcmu(), TE);
            awaitTone(atA, 50, "440 Hz at A after B latched onto A's source address");
            assertThat(b.remoteAddress()).isEqualTo(a.localAddress());
        }
    }

    @Test
    void injectedLossShowsUpInPacketsLost() throws Exception {
        RtpMediaStream a = open();
        RtpMediaStream b = open();
        ToneSink atB = new ToneSink(1000);
        b.setSink(atB);
        a.setSource(new SineSource(1000, 8000));
        InetSocketAddress aRtcp = new InetSocketAddress(LOOPBACK, a.localAddress().getPort() + 1);
        try (LossyForwarder fwd = new LossyForwarder(b.localAddress(), aRtcp, 10)) {
            a.start(fwd.address(), G711Codec.pcmu(), TE);
            b.setDirection(MediaDirection.RECVONLY);
            b.start(a.localAddress(), G711Codec.pcmu(), TE);
            Await.until("10 forwarded packets dropped", WAIT, () -> fwd.dropped() >= 10);
            Await.until("losses counted", WAIT, () -> b.statistics().packetsLost() >= 8,
                    () -> b.statistics() + " dropped " + fwd.dropped());
            // a received-only figure: loss can never exceed what the forwarder dropped
            assertThat(b.statistics().packetsLost()).isLessThanOrEqualTo(fwd.dropped());
            awaitTone(atB, 25, "tone through 10 % loss");
            // B's receiver reports (RFC 3550 §6.4.2) tell A about the loss
            Await.until("a receiver report with loss at A", WAIT,
                    () -> a.remoteReport() != null && a.remoteReport().cumulativeLost() > 0);
            assertThat(a.remoteReport().ssrc()).isEqualTo(a.ssrc());
        }
    }

    @Test
    void networkJitterGrowsTheJitterBufferAndTheToneStillArrives() throws Exception {
        RtpMediaStream a = open();
        RtpMediaStream b = open();
        ToneSink atB = new ToneSink(1000);
        b.setSink(atB);
        a.setSource(new SineSource(1000, 8000));
        InetSocketAddress aRtcp = new InetSocketAddress(LOOPBACK, a.localAddress().getPort() + 1);
        // every packet delayed by a random 0-60 ms: jitter and reordering, no loss
        try (LossyForwarder fwd = new LossyForwarder(b.localAddress(), aRtcp, 0, 60)) {
            // The receiver first: a stream drops what arrives before it starts, and with reordering a packet
            // dropped that way can lie after the first ones counted, which would then read as a loss.
            b.setDirection(MediaDirection.RECVONLY);
            b.start(a.localAddress(), G711Codec.pcmu(), TE);
            a.start(fwd.address(), G711Codec.pcmu(), TE);
            awaitTone(atB, 100, "1 kHz through 0-60 ms of jitter");
            Await.until("the jitter buffer to grow past its 40 ms minimum", WAIT,
                    () -> b.jitterBufferTargetMillis() >= 60, () -> "target " + b.jitterBufferTargetMillis());
            assertThat(b.statistics().jitterMillis()).isPositive();
            a.setDirection(MediaDirection.INACTIVE);
            // Reordering is not loss: once the last delayed packets land, every packet counts as received. Waited
            // for, not a fixed number of ticks: on a loaded machine the forwarder's delays run late.
            Await.until("reordering is not loss: every delayed packet received", WAIT,
                    () -> b.statistics().packetsLost() == 0, () -> b.statistics().toString());
        }
    }

    @Test
    void exhaustedPortRangeGivesIOException() throws Exception {
        int small = TestPorts.base(4);
        try (RtpMediaStreamFactory tiny = new RtpMediaStreamFactory(small, small + 3)) {
            MediaStream one = tiny.open(LOOPBACK);
            MediaStream two = tiny.open(LOOPBACK);
            assertThatThrownBy(() -> tiny.open(LOOPBACK)).isInstanceOf(IOException.class)
                    .hasMessageContaining("no free RTP port pair");
            one.close();
            tiny.open(LOOPBACK).close();
            two.close();
            assertThat(tiny.openStreams()).isZero();
        }
    }
}
