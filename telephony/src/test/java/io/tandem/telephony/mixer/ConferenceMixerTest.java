package io.tandem.telephony.mixer;

import io.tandem.telephony.media.AudioFrames;
import io.tandem.telephony.media.Goertzel;
import io.tandem.telephony.media.SineSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Each party speaks its own tone; what each party hears is checked with Goertzel. */
class ConferenceMixerTest {
    private static final int N = AudioFrames.SAMPLES_PER_FRAME;
    private static final double[] TONES = {400, 700, 1000, 1300, 1600, 1900};
    private static final int FRAMES = 10;

    /** A conference where every listed party sends its tone each tick and records what it hears. */
    private static final class Room {
        final ConferenceMixer mixer = new ConferenceMixer("test");
        final Map<Party, SineSource> voices = new LinkedHashMap<>();
        final Map<Party, short[]> heard = new LinkedHashMap<>();
        final short[] frame = AudioFrames.newFrame();

        Party join(String id, double hz) {
            Party p = mixer.join(id);
            voices.put(p, hz > 0 ? new SineSource(hz, 6000) : null);
            return p;
        }

        /** Runs {@code frames} ticks and keeps what each party heard in those ticks. */
        void run(int frames) {
            heard.clear();
            for (Party p : voices.keySet()) {
                heard.put(p, new short[frames * N]);
            }
            for (int f = 0; f < frames; f++) {
                for (Map.Entry<Party, SineSource> e : voices.entrySet()) {
                    if (e.getValue() != null) {
                        e.getValue().read(frame);
                        e.getKey().input().write(frame);
                    }
                }
                mixer.tick();
                for (Party p : voices.keySet()) {
                    p.output().read(frame);
                    System.arraycopy(frame, 0, heard.get(p), f * N, N);
                }
            }
        }

        double ratio(Party listener, double hz) {
            short[] h = heard.get(listener);
            return Goertzel.toneRatio(h, 0, h.length, hz, AudioFrames.SAMPLE_RATE);
        }

        void assertHears(Party listener, double... expected) {
            for (double hz : TONES) {
                boolean wanted = Arrays.stream(expected).anyMatch(e -> e == hz);
                double r = ratio(listener, hz);
                if (wanted) {
                    assertThat(r).as("%s should hear %s Hz", listener, hz).isGreaterThan(0.5 / expected.length);
                } else {
                    assertThat(r).as("%s should not hear %s Hz", listener, hz).isLessThan(0.01);
                }
            }
        }

        void assertSilent(Party listener) {
            short[] h = heard.get(listener);
            assertThat(Goertzel.energy(h, 0, h.length)).as("%s hears silence", listener).isZero();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {3, 4, 5})
    void everyPartyHearsAllTheOthersButNotItself(int n) {
        Room room = new Room();
        List<Party> ps = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ps.add(room.join("p" + i, TONES[i]));
        }
        room.run(FRAMES);
        for (int i = 0; i < n; i++) {
            final int self = i;
            double[] others = new double[n - 1];
            int k = 0;
            for (int j = 0; j < n; j++) {
                if (j != self) {
                    others[k++] = TONES[j];
                }
            }
            room.assertHears(ps.get(i), others);
        }
    }

    @Test
    void loudPartiesSaturateInsteadOfWrappingAround() {
        ConferenceMixer mixer = new ConferenceMixer("loud");
        Party a = mixer.join("a");
        Party b = mixer.join("b");
        Party c = mixer.join("c");
        short[] high = new short[N];
        Arrays.fill(high, (short) 30000);
        short[] low = new short[N];
        Arrays.fill(low, (short) -30000);
        short[] out = AudioFrames.newFrame();

        a.input().write(high);
        b.input().write(high);
        c.input().write(high);
        mixer.tick();
        c.output().read(out);
        assertThat(out).containsOnly(Short.MAX_VALUE);

        a.input().write(low);
        b.input().write(low);
        mixer.tick();
        c.output().read(out);
        assertThat(out).containsOnly(Short.MIN_VALUE);
    }

    @Test
    void mutedPartyHearsButIsNotHeard() {
        Room room = new Room();
        Party a = room.join("a", 400);
        Party b = room.join("b", 700);
        Party c = room.join("c", 1000);
        c.setMuted(true);
        room.run(FRAMES);
        room.assertHears(a, 700);
        room.assertHears(b, 400);
        room.assertHears(c, 400, 700);

        c.setMuted(false);
        room.run(FRAMES);
        room.assertHears(a, 700, 1000);
    }

    @Test
    void listenOnlySupervisorHearsEverybodyAndIsNeverHeard() {
        Room room = new Room();
        Party caller = room.join("caller", 400);
        Party agent = room.join("agent", 700);
        Party supervisor = room.join("supervisor", 1300);
        supervisor.listenOnly();
        room.run(FRAMES);
        room.assertHears(caller, 700);
        room.assertHears(agent, 400);
        room.assertHears(supervisor, 400, 700);
        assertThat(supervisor.role()).isEqualTo(PartyRole.LISTENER);
    }

    @Test
    void whisperIsHeardOnlyByItsTargetAndTheWhispererHearsEverybody() {
        Room room = new Room();
        Party caller = room.join("caller", 400);
        Party agent = room.join("agent", 700);
        Party other = room.join("other", 1000);
        Party supervisor = room.join("supervisor", 1300);
        supervisor.whisperTo(agent);
        room.run(FRAMES);
        room.assertHears(agent, 400, 1000, 1300);
        room.assertHears(caller, 700, 1000);
        room.assertHears(other, 400, 700);
        room.assertHears(supervisor, 400, 700, 1000);
        assertThat(supervisor.whisperTarget()).contains(agent);
    }

    @Test
    void twoWhisperersToOneTargetAreBothHeardByIt() {
        Room room = new Room();
        Party caller = room.join("caller", 400);
        Party agent = room.join("agent", 700);
        Party coach1 = room.join("coach1", 1300);
        Party coach2 = room.join("coach2", 1600);
        coach1.whisperTo(agent);
        coach2.whisperTo(agent);
        room.run(FRAMES);
        room.assertHears(agent, 400, 1300, 1600);
        room.assertHears(caller, 700);
    }

    @Test
    void modesChangeWhileConnected() {
        Room room = new Room();
        Party caller = room.join("caller", 400);
        Party agent = room.join("agent", 700);
        Party supervisor = room.join("supervisor", 1300);

        supervisor.listenOnly();
        room.run(FRAMES);
        room.assertHears(caller, 700);
        room.assertHears(agent, 400);

        supervisor.whisperTo(agent);
        room.run(FRAMES);
        room.assertHears(caller, 700);
        room.assertHears(agent, 400, 1300);

        supervisor.speak(); // barge in
        room.run(FRAMES);
        room.assertHears(caller, 700, 1300);
        room.assertHears(agent, 400, 1300);
        room.assertHears(supervisor, 400, 700);
    }

    @Test
    void partiesJoinAndLeaveWhileTheConferenceRuns() {
        Room room = new Room();
        Party a = room.join("a", 400);
        Party b = room.join("b", 700);
        room.run(FRAMES);
        room.assertHears(a, 700);

        Party c = room.join("c", 1000);
        room.run(FRAMES);
        room.assertHears(a, 700, 1000);
        room.assertHears(c, 400, 700);

        b.leave();
        room.voices.remove(b);
        room.run(FRAMES);
        room.assertHears(a, 1000);
        room.assertHears(c, 400);
        assertThat(b.isJoined()).isFalse();
        assertThat(room.mixer.parties()).containsExactly(a, c);
        short[] frame = AudioFrames.newFrame();
        assertThat(b.output().read(frame)).as("a party that left reads end of media").isFalse();

        Party b2 = room.join("b", 1600);
        room.run(FRAMES);
        room.assertHears(a, 1000, 1600);
        room.assertHears(b2, 400, 1000);
    }

    @Test
    void whisperToAPartyThatLeftIsHeardByNobody() {
        Room room = new Room();
        Party caller = room.join("caller", 400);
        Party agent = room.join("agent", 700);
        Party supervisor = room.join("supervisor", 1300);
        supervisor.whisperTo(agent);
        agent.leave();
        room.voices.remove(agent);
        room.run(FRAMES);
        room.assertHears(caller);
        room.assertHears(supervisor, 400);
    }

    @Test
    void aPartyThatSentNothingThisTickContributesSilenceNotItsLastFrame() {
        ConferenceMixer mixer = new ConferenceMixer("stale");
        Party talker = mixer.join("talker");
        Party listener = mixer.join("listener");
        short[] tone = AudioFrames.newFrame();
        new SineSource(1000, 6000).read(tone);
        short[] out = AudioFrames.newFrame();

        talker.input().write(tone);
        mixer.tick();
        listener.output().read(out);
        assertThat(out).isEqualTo(tone);

        mixer.tick(); // talker sent nothing
        listener.output().read(out);
        assertThat(out).containsOnly((short) 0);
    }

    @Test
    void aListenerThatDidNotReadGetsSilenceNotTheSameMixTwice() {
        ConferenceMixer mixer = new ConferenceMixer("reader");
        Party talker = mixer.join("talker");
        Party listener = mixer.join("listener");
        short[] tone = AudioFrames.newFrame();
        new SineSource(1000, 6000).read(tone);
        short[] out = AudioFrames.newFrame();
        talker.input().write(tone);
        mixer.tick();
        assertThat(listener.output().read(out)).isTrue();
        assertThat(out).isEqualTo(tone);
        assertThat(listener.output().read(out)).isTrue();
        assertThat(out).containsOnly((short) 0);
    }

    @Test
    void aBurstOfInputIsBoundedSoDelayDoesNotGrow() {
        ConferenceMixer mixer = new ConferenceMixer("burst");
        Party talker = mixer.join("talker");
        mixer.join("listener");
        short[] frame = AudioFrames.newFrame();
        for (int i = 0; i < 10; i++) {
            talker.input().write(frame);
        }
        mixer.tick();
        // 4 frames fit the ring, 6 are refused; the tick then keeps only the 2 newest.
        assertThat(talker.inputFramesDropped()).isEqualTo(8);
    }

    @Test
    void badFramesAreCountedNotThrown() {
        ConferenceMixer mixer = new ConferenceMixer("bad");
        Party p = mixer.join("p");
        p.input().write(new short[10]);
        p.input().write(null);
        assertThat(p.badFrames()).isEqualTo(2);
    }

    @Test
    void rejectsDuplicateIdsFullRoomsAndSelfWhisper() {
        ConferenceMixer mixer = new ConferenceMixer("small", 2);
        Party a = mixer.join("a");
        assertThatThrownBy(() -> mixer.join("a")).hasMessageContaining("already");
        assertThatThrownBy(() -> mixer.join(" ")).hasMessageContaining("id");
        mixer.join("b");
        assertThatThrownBy(() -> mixer.join("c")).hasMessageContaining("full");
        assertThatThrownBy(() -> a.whisperTo(a)).hasMessageContaining("itself");
        Party foreign = new ConferenceMixer("other").join("x");
        assertThatThrownBy(() -> a.whisperTo(foreign)).hasMessageContaining("same conference");
        mixer.close();
        assertThat(a.isJoined()).isFalse();
        assertThatThrownBy(() -> mixer.join("d")).hasMessageContaining("closed");
    }

    /** Parties write from their own threads, the tick runs on another: every frame crosses intact. */
    @Test
    void framesCrossThreadsIntact() throws Exception {
        int n = 4;
        int frames = 300;
        ConferenceMixer mixer = new ConferenceMixer("threads");
        List<Party> ps = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ps.add(mixer.join("p" + i));
        }
        CyclicBarrier written = new CyclicBarrier(n + 1);
        CyclicBarrier mixed = new CyclicBarrier(n + 1);
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<short[]>> heard = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Party p = ps.get(i);
                double hz = TONES[i];
                heard.add(pool.submit(() -> {
                    SineSource voice = new SineSource(hz, 6000);
                    short[] frame = AudioFrames.newFrame();
                    short[] all = new short[frames * N];
                    for (int f = 0; f < frames; f++) {
                        voice.read(frame);
                        p.input().write(frame);
                        written.await(10, TimeUnit.SECONDS);
                        mixed.await(10, TimeUnit.SECONDS);
                        p.output().read(frame);
                        System.arraycopy(frame, 0, all, f * N, N);
                    }
                    return all;
                }));
            }
            for (int f = 0; f < frames; f++) {
                written.await(10, TimeUnit.SECONDS);
                mixer.tick();
                mixed.await(10, TimeUnit.SECONDS);
            }
            for (int i = 0; i < n; i++) {
                short[] all = heard.get(i).get(10, TimeUnit.SECONDS);
                for (int j = 0; j < n; j++) {
                    double r = Goertzel.toneRatio(all, 0, all.length, TONES[j], AudioFrames.SAMPLE_RATE);
                    if (i == j) {
                        assertThat(r).isLessThan(0.01);
                    } else {
                        assertThat(r).isGreaterThan(0.5 / (n - 1));
                    }
                }
                assertThat(ps.get(i).inputFramesDropped()).isZero();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void ownClockTicksUntilClosed() throws Exception {
        ConferenceMixer mixer = new ConferenceMixer("clocked");
        mixer.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (mixer.ticks() < 3 && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
        }
        assertThat(mixer.ticks()).isGreaterThanOrEqualTo(3);
        mixer.close();
    }
}
