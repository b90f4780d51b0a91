package io.tandem.telephony.jitter;

import io.tandem.telephony.codec.AudioCodec;
import io.tandem.telephony.codec.CodecSpec;
import io.tandem.telephony.media.AudioFrames;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Drives the buffer on simulated time: packets arrive at given milliseconds, the media clock
 * ticks every 20 ms, and each frame's first sample tells which packet it came from.
 */
class JitterBufferTest {
    /** A codec whose frames name their packet: payload = 16-bit tag, concealment = -1. */
    static class TagCodec implements AudioCodec {
        @Override
        public CodecSpec spec() {
            return CodecSpec.PCMU;
        }

        @Override
        public int maxPayloadSize() {
            return 2;
        }

        @Override
        public int encode(short[] pcm, byte[] out, int offset) {
            out[offset] = (byte) (pcm[0] >> 8);
            out[offset + 1] = (byte) pcm[0];
            return 2;
        }

        @Override
        public int decode(byte[] payload, int offset, int length, short[] pcm) {
            short tag = (short) (((payload[offset] & 0xFF) << 8) | (payload[offset + 1] & 0xFF));
            java.util.Arrays.fill(pcm, tag);
            return AudioFrames.SAMPLES_PER_FRAME;
        }

        @Override
        public void conceal(short[] pcm) {
            java.util.Arrays.fill(pcm, (short) -1);
        }
    }

    record Arrival(long ssrc, int seq, long timestamp, double atMillis) {
    }

    private final JitterBuffer jb = new JitterBuffer(40, 200, 8000, 200);
    private final TagCodec codec = new TagCodec();

    /** Packet for frame i of a 20 ms stream starting at seq0, arriving delayMillis after it was sent. */
    static Arrival frame(int seq0, int i, double delayMillis) {
        return new Arrival(1, (seq0 + i) & 0xFFFF, 160L * i, 20.0 * i + delayMillis);
    }

    /** Runs ticks at 10, 30, 50... ms up to {@code untilMillis}; returns tag, "C" (concealed) or "-" per tick. */
    List<String> run(List<Arrival> arrivals, double untilMillis) {
        List<Arrival> sorted = new ArrayList<>(arrivals);
        sorted.sort(Comparator.comparingDouble(Arrival::atMillis));
        List<String> out = new ArrayList<>();
        short[] pcm = AudioFrames.newFrame();
        int next = 0;
        for (double tick = 10; tick <= untilMillis; tick += 20) {
            while (next < sorted.size() && sorted.get(next).atMillis() <= tick) {
                Arrival a = sorted.get(next++);
                byte[] payload = {(byte) (a.seq() >> 8), (byte) a.seq()};
                jb.put(a.ssrc(), a.seq(), a.timestamp(), payload, 0, 2, (long) (a.atMillis() * 1_000_000));
            }
            JitterBuffer.Outcome o = jb.next(codec, pcm);
            out.add(switch (o) {
                case PLAYED -> Integer.toString(pcm[0] & 0xFFFF);
                case CONCEALED -> "C";
                case SILENCE -> "-";
            });
        }
        return out;
    }

    static List<String> played(List<String> out) {
        return out.stream().filter(s -> !s.equals("-") && !s.equals("C")).collect(Collectors.toList());
    }

    static List<String> seqs(int from, int count) {
        List<String> l = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            l.add(Integer.toString((from + i) & 0xFFFF));
        }
        return l;
    }

    @Test
    void steadyStreamStartsAfterTheMinimumDepthAndPlaysEveryFrameInOrder() {
        List<Arrival> a = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            a.add(frame(100, i, 5));
        }
        List<String> out = run(a, 1000);
        // frame 0 arrives at 5 ms, frame 1 at 25 ms: 40 ms buffered at the 30 ms tick
        assertThat(out.subList(0, 2)).containsExactly("-", "100");
        assertThat(played(out)).isEqualTo(seqs(100, 49));
        assertThat(out).doesNotContain("C");
        assertThat(jb.targetDepthMillis()).isEqualTo(40);
    }

    @Test
    void reorderedPacketsPlayInSequence() {
        List<Arrival> a = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            // swap every pair: odd frames overtake even ones by 10 ms
            a.add(frame(0, i, i % 2 == 0 ? 15 : 5));
        }
        List<String> out = run(a, 600);
        assertThat(played(out)).isEqualTo(seqs(0, played(out).size()));
        assertThat(played(out).size()).isGreaterThanOrEqualTo(26);
        assertThat(out).doesNotContain("C");
        assertThat(jb.late()).isZero();
    }

    @Test
    void aLostPacketIsConcealedOnceAndPlayoutMovesOn() {
        List<Arrival> a = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            if (i != 10) {
                a.add(frame(0, i, 5));
            }
        }
        List<String> out = run(a, 600);
        int idx = out.indexOf("9");
        assertThat(out.subList(idx, idx + 3)).containsExactly("9", "C", "11");
        assertThat(jb.concealed()).isEqualTo(1);
    }

    @Test
    void duplicatesAreCountedAndPlayedOnce() {
        List<Arrival> a = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            a.add(frame(0, i, 5));
            if (i % 5 == 0) {
                a.add(frame(0, i, 7));
            }
        }
        List<String> out = run(a, 400);
        assertThat(played(out)).isEqualTo(seqs(0, played(out).size()));
        assertThat(jb.duplicates()).isEqualTo(4);
    }

    @Test
    void aPacketAfterItsPlayoutTimeIsDroppedAsLate() {
        List<Arrival> a = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            a.add(frame(0, i, i == 12 ? 150 : 5));
        }
        List<String> out = run(a, 600);
        assertThat(jb.late()).isEqualTo(1);
        assertThat(played(out)).doesNotContain("12").contains("11", "13");
        assertThat(out).containsOnlyOnce("C");
    }

    @Test
    void playsAcrossTheSequenceWrap() {
        List<Arrival> a = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            a.add(frame(65530, i, 5));
        }
        List<String> out = run(a, 400);
        assertThat(played(out)).isEqualTo(seqs(65530, played(out).size()));
        assertThat(played(out)).contains("65535", "0", "5");
        assertThat(jb.late()).isZero();
        assertThat(jb.resyncs()).isZero();
    }

    @Test
    void burstyArrivalGrowsTheDepthUntilPlayoutIsSmoothThenShrinksWhenCalm() {
        List<Arrival> a = new ArrayList<>();
        // 6 s in bursts: the five frames of each 100 ms arrive together at its end
        for (int i = 0; i < 300; i++) {
            int inBurst = i % 5;
            a.add(frame(0, i, 80 - 20 * inBurst + 2));
        }
        // then 12 s of steady arrival
        for (int i = 300; i < 900; i++) {
            a.add(frame(0, i, 2));
        }
        List<String> out = run(a, 6000);
        assertThat(jb.targetDepthMillis()).isBetween(100, 120);
        // once grown, the bursts play without gaps: the last 4 s has neither concealment nor silence
        List<String> tail = out.subList(out.size() - 200, out.size());
        assertThat(tail).doesNotContain("C", "-");

        jb.flush(); // measure shrinking from a fresh run of the whole trace
        JitterBuffer fresh = new JitterBuffer(40, 200, 8000, 200);
        short[] pcm = AudioFrames.newFrame();
        int next = 0;
        a.sort(Comparator.comparingDouble(Arrival::atMillis));
        for (double tick = 10; tick <= 18_000; tick += 20) {
            while (next < a.size() && a.get(next).atMillis() <= tick) {
                Arrival p = a.get(next++);
                fresh.put(1, p.seq(), p.timestamp(), new byte[]{0, 0}, 0, 2, (long) (p.atMillis() * 1e6));
            }
            fresh.next(codec, pcm);
        }
        assertThat(fresh.targetDepthMillis()).isEqualTo(40);
        assertThat(fresh.dropped()).isPositive(); // shrinking dropped frames
        assertThat(fresh.bufferedFrames()).isLessThanOrEqualTo(40 / 20 + 3);
    }

    @Test
    void targetNeverExceedsTheMaximum() {
        List<Arrival> a = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            a.add(frame(0, i, i % 20 == 0 ? 600 : 2)); // spikes far beyond 200 ms
        }
        run(a, 2000);
        assertThat(jb.targetDepthMillis()).isEqualTo(200);
    }

    @Test
    void newSsrcResyncsAndPlaysTheNewSource() {
        List<Arrival> a = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            a.add(frame(1000, i, 5));
        }
        for (int i = 10; i < 25; i++) {
            Arrival f = frame(500, i, 5);
            a.add(new Arrival(2, f.seq(), f.timestamp(), f.atMillis()));
        }
        List<String> out = run(a, 500);
        assertThat(jb.resyncs()).isEqualTo(1);
        assertThat(played(out)).contains("1007", "510", "520");
        assertThat(jb.late()).isZero();
    }

    @Test
    void aSequenceJumpBeyondTheRingResyncs() {
        List<Arrival> a = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            a.add(frame(0, i, 5));
        }
        for (int i = 10; i < 25; i++) {
            a.add(frame(5000, i, 5)); // the sender restarted its sequence
        }
        List<String> out = run(a, 500);
        assertThat(jb.resyncs()).isEqualTo(1);
        assertThat(played(out)).contains("5", "5012", "5020");
    }
    /** Slots are made at a small size on first use and grow: a large packet in a slot a small one used is kept whole. */
    @Test
    void aLargerPacketInASlotUsedBeforeIsKeptWhole() {
        JitterBuffer buffer = new JitterBuffer(40, 200, 8000, 1500);
        List<Integer> decodedLengths = new ArrayList<>();
        List<Integer> lastBytes = new ArrayList<>();
        TagCodec lengths = new TagCodec() {
            @Override
            public int decode(byte[] payload, int offset, int length, short[] pcm) {
                decodedLengths.add(length);
                lastBytes.add(payload[offset + length - 1] & 0xFF);
                return AudioFrames.SAMPLES_PER_FRAME;
            }
        };
        short[] pcm = AudioFrames.newFrame();
        byte[] small = {7, 7};
        for (int seq = 0; seq < 3; seq++) { // seq 0 takes slot 0 at its first size
            buffer.put(1, seq, 160L * seq, small, 0, small.length, seq * 20_000_000L);
        }
        byte[] large = new byte[1_200];
        java.util.Arrays.fill(large, (byte) 9);
        large[large.length - 1] = 42;
        // seq 64 lands in slot 0 again (a jump the ring cannot span: the buffer starts over on it)
        buffer.put(1, 64, 160L * 64, large, 0, large.length, 60_000_000L);
        buffer.put(1, 65, 160L * 65, small, 0, small.length, 80_000_000L);
        buffer.put(1, 66, 160L * 66, small, 0, small.length, 100_000_000L);
        for (int tick = 0; tick < 5 && decodedLengths.isEmpty(); tick++) {
            buffer.next(lengths, pcm);
        }
        assertThat(decodedLengths).first().isEqualTo(1_200);
        assertThat(lastBytes).first().isEqualTo(42);
    }
}
