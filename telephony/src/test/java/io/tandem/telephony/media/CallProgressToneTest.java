package io.tandem.telephony.media;

import io.tandem.telephony.media.CallProgressTone.Kind;
import io.tandem.telephony.media.CallProgressTone.Plan;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The tones are checked as audio: frequency with Goertzel, cadence by energy every 100 ms. */
class CallProgressToneTest {
    private static final int N = AudioFrames.SAMPLES_PER_FRAME;

    private static short[] play(MediaSource source, int millis) {
        int frames = millis / AudioFrames.FRAME_MILLIS;
        short[] all = new short[frames * N];
        short[] frame = AudioFrames.newFrame();
        for (int f = 0; f < frames; f++) {
            assertThat(source.read(frame)).isTrue();
            System.arraycopy(frame, 0, all, f * N, N);
        }
        return all;
    }

    /** One character per 100 ms: '#' when that block holds the tone, '.' when silent. */
    private static String cadence(short[] audio, double... freqs) {
        StringBuilder sb = new StringBuilder();
        int block = AudioFrames.SAMPLE_RATE / 10;
        for (int off = 0; off + block <= audio.length; off += block) {
            double e = Goertzel.energy(audio, off, block);
            if (e == 0) {
                sb.append('.');
                continue;
            }
            double share = 0;
            for (double f : freqs) {
                share += Goertzel.toneRatio(audio, off, block, f, AudioFrames.SAMPLE_RATE);
            }
            sb.append(share > 0.9 ? '#' : '?');
        }
        return sb.toString();
    }

    @Test
    void northAmericanRingbackIs440And480TwoSecondsOnFourOff() {
        short[] audio = play(CallProgressTone.of(Plan.NORTH_AMERICA, Kind.RINGBACK).source(8000), 12_000);
        String period = "#".repeat(20) + ".".repeat(40);
        assertThat(cadence(audio, 440, 480)).isEqualTo(period + period);
        assertThat(Goertzel.toneRatio(audio, 0, 1600, 440, 8000)).isBetween(0.4, 0.6);
        assertThat(Goertzel.toneRatio(audio, 0, 1600, 480, 8000)).isBetween(0.4, 0.6);
    }

    @Test
    void northAmericanBusyIs480And620HalfASecondOnAndOff() {
        short[] audio = play(CallProgressTone.of(Plan.NORTH_AMERICA, Kind.BUSY).source(8000), 2_000);
        assertThat(cadence(audio, 480, 620)).isEqualTo("#####.....#####.....");
    }

    @Test
    void europeanRingbackIs425OneSecondOnFourOff() {
        short[] audio = play(CallProgressTone.of(Plan.EUROPE, Kind.RINGBACK).source(8000), 10_000);
        String period = "#".repeat(10) + ".".repeat(40);
        assertThat(cadence(audio, 425)).isEqualTo(period + period);
    }

    @Test
    void europeanBusyIs425HalfASecondOnAndOff() {
        short[] audio = play(CallProgressTone.of(Plan.EUROPE, Kind.BUSY).source(8000), 2_000);
        assertThat(cadence(audio, 425)).isEqualTo("#####.....#####.....");
    }

    @Test
    void congestionIsFasterThanBusy() {
        for (Plan plan : new Plan[] {Plan.EUROPE, Plan.NORTH_AMERICA}) {
            CallProgressTone busy = CallProgressTone.of(plan, Kind.BUSY);
            CallProgressTone congestion = CallProgressTone.of(plan, Kind.CONGESTION);
            assertThat(period(congestion)).as(plan.name()).isLessThan(period(busy));
        }
    }

    @Test
    void callWaitingIsShortBeepsWithALongPause() {
        short[] audio = play(CallProgressTone.of(Plan.NORTH_AMERICA, Kind.CALL_WAITING).source(8000), 10_000);
        assertThat(cadence(audio, 440)).isEqualTo("###" + ".".repeat(97));
        short[] eu = play(CallProgressTone.of(Plan.EUROPE, Kind.CALL_WAITING).source(8000), 5_000);
        assertThat(cadence(eu, 425)).isEqualTo("##..##" + ".".repeat(44));
    }

    @Test
    void dialToneIsContinuous() {
        short[] audio = play(CallProgressTone.of(Plan.EUROPE, Kind.DIAL).source(8000), 3_000);
        assertThat(cadence(audio, 425)).isEqualTo("#".repeat(30));
    }

    @Test
    void everyPlanHasEveryTone() {
        for (Plan plan : Plan.values()) {
            for (Kind kind : Kind.values()) {
                CallProgressTone tone = CallProgressTone.of(plan, kind);
                assertThat(tone.cadence()).as(tone.toString()).isNotEmpty();
                short[] audio = play(tone.source(8000), 200);
                assertThat(Goertzel.energy(audio, 0, audio.length)).as(tone.toString()).isPositive();
            }
        }
    }

    @Test
    void toneSourceStopsWhenClosedAndRefusesBadInput() {
        ToneSource source = CallProgressTone.of(Plan.EUROPE, Kind.DIAL).source(8000);
        source.close();
        assertThat(source.read(AudioFrames.newFrame())).isFalse();
        assertThatThrownBy(() -> ToneSegment.tone(5000, 100)).hasMessageContaining("4000");
        assertThatThrownBy(() -> CallProgressTone.of(Plan.EUROPE, Kind.DIAL).source(40000))
                .hasMessageContaining("amplitude");
    }

    private static int period(CallProgressTone tone) {
        return tone.cadence().stream().mapToInt(ToneSegment::millis).sum();
    }
}
