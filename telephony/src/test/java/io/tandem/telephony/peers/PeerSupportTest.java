package io.tandem.telephony.peers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.tandem.telephony.testing.Await;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The harness's pure parts: JSON, SIPp statistics, WAV, tone checks, failure messages. */
class PeerSupportTest {

    @Test
    void miniJsonReadsBaresipEventsAndResponses() {
        Map<String, Object> e = MiniJson.parseObject("{\"event\":true,\"type\":\"CALL_CLOSED\",\"class\":\"call\","
                + "\"peeruri\":\"sip:a@127.0.0.1:5060\",\"param\":\"Connection reset \\\"by\\\" peer\\u0021\","
                + "\"rtcp_stats\":{\"tx\":{\"sent\":12,\"jit\":0.5}},\"list\":[1,null,false]}");
        assertThat(e.get("event")).isEqualTo(Boolean.TRUE);
        assertThat(e.get("param")).isEqualTo("Connection reset \"by\" peer!");
        assertThat(e.get("rtcp_stats")).isEqualTo(Map.of("tx", Map.of("sent", 12L, "jit", 0.5)));
        assertThat(e.get("list")).isEqualTo(java.util.Arrays.asList(1L, null, false));
        BaresipEvent ev = BaresipEvent.from(e);
        assertThat(ev.type()).isEqualTo(BaresipEvent.CALL_CLOSED);
        assertThat(ev.peerUri()).isEqualTo("sip:a@127.0.0.1:5060");
        assertThat(ev.callId()).isNull();
    }

    @Test
    void miniJsonRejectsGarbageAndQuotesStrings() {
        assertThatThrownBy(() -> MiniJson.parseObject("{\"a\":}")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MiniJson.parseObject("[1]")).hasMessageContaining("not one JSON object");
        assertThat(MiniJson.quote("a\"b\\c\n\u0001")).isEqualTo("\"a\\\"b\\\\c\\n\\u0001\"");
        assertThat(MiniJson.parseObject("{\"p\":" + MiniJson.quote("sip:x@y;a=\"q\"") + "}").get("p"))
                .isEqualTo("sip:x@y;a=\"q\"");
    }

    @Test
    void sippStatsTakeTheLastCsvRowAndFallBackToTheScreen() {
        String csv = "StartTime;SuccessfulCall(P);SuccessfulCall(C);FailedCall(P);FailedCall(C)\n"
                + "t;0;0;0;0\n"
                + "t;1;3;0;1\n";
        assertThat(SippStats.callCounts(csv, "")).containsExactly(3, 1);
        String screen = "  Successful call        |        0                  |        2                 \n"
                + "  Failed call            |        0                  |        5                 \n";
        assertThat(SippStats.callCounts("", screen)).containsExactly(2, 5);
        assertThat(SippStats.callCounts("", "")).containsExactly(-1, -1);
    }

    @Test
    void sippResultExplainsItsExitCode() {
        SippResult r = new SippResult(254, 0, 0, "", "", "stderr: bind failed");
        assertThat(r.allCallsSucceeded()).isFalse();
        assertThat(r.describe()).contains("fatal error binding a socket").contains("bind failed");
        assertThat(new SippResult(0, 1, 0, "", "", "").allCallsSucceeded()).isTrue();
    }

    @Test
    void wavRoundTripKeepsSamplesAndRate() throws IOException {
        Recording tone = Recording.sine(1000, 10_000, Duration.ofMillis(500), 8000);
        Recording back = PeerWavReader.read(PeerWavReader.encode(tone));
        assertThat(back.sampleRate()).isEqualTo(8000);
        assertThat(back.samples()).containsExactly(tone.samples());
        assertThat(back.duration()).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void wavWithAnUnpatchedDataSizeIsReadToTheEndOfTheFile() throws IOException {
        byte[] wav = PeerWavReader.encode(Recording.sine(500, 1000, Duration.ofMillis(100), 8000));
        wav[40] = 0;
        wav[41] = 0;
        wav[42] = 0;
        wav[43] = 0;
        assertThat(PeerWavReader.read(wav).samples()).hasSize(800);
    }

    @Test
    void wavReaderRejectsWhatItCannotRead() {
        byte[] wav = PeerWavReader.encode(Recording.sine(500, 1000, Duration.ofMillis(20), 8000));
        wav[34] = 8; // bits per sample
        assertThatThrownBy(() -> PeerWavReader.read(wav)).hasMessageContaining("16-bit PCM");
        assertThatThrownBy(() -> PeerWavReader.read(new byte[] {1, 2, 3})).hasMessageContaining("RIFF");
    }

    @Test
    void toneRatioFindsTheToneAndRejectsOthersAndSilence() {
        Recording tone = Recording.sine(1000, 8000, Duration.ofSeconds(1), 8000);
        assertThat(tone.toneRatio(1000)).isCloseTo(1.0, within(0.05));
        assertThat(tone.toneRatio(500)).isLessThan(0.05);
        assertThat(tone.dominantFrequency(500, 1000, 1500)).isEqualTo(1000);
        assertThat(tone.rms()).isCloseTo(8000 / 32768.0 / Math.sqrt(2), within(0.01));
        Recording silence = new Recording(new short[8000], 8000);
        assertThat(silence.toneRatio(1000)).isZero();
        assertThat(silence.rms()).isZero();
        assertThat(tone.skip(Duration.ofMillis(250)).duration()).isEqualTo(Duration.ofMillis(750));
    }

    @Test
    void aMissingProgramSaysHowToInstallIt() {
        assertThatThrownBy(() -> Programs.require("no-such-peer-program", "sip-tester"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("no-such-peer-program not found: ./tandem test installs sip-tester"
                        + " (or: apt-get install sip-tester)");
    }

    @Test
    void awaitReturnsTheValueOrFailsNamingWhatItWaitedFor() {
        AtomicInteger polls = new AtomicInteger();
        int v = Await.value("the third poll", Duration.ofSeconds(30),
                () -> polls.incrementAndGet() >= 3 ? java.util.Optional.of(polls.get()) : java.util.Optional.empty());
        assertThat(v).isEqualTo(3);
        assertThatThrownBy(() -> Await.until("pigs to fly", Duration.ofMillis(50), () -> false))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("waiting for pigs to fly");
    }
}
