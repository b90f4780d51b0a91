package io.tandem.telephony.peers;

import io.tandem.telephony.codec.G711;
import io.tandem.telephony.media.AudioFrames;
import io.tandem.telephony.media.SineSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** Media files SIPp scenarios send: raw u-law tones (rtp_stream) and sip-tester's DTMF captures. */
final class SippMedia {
    /** Where Debian's sip-tester puts its RTP captures. */
    static final String SIP_TESTER_DATA = "/usr/share/sip-tester";

    private SippMedia() {
    }

    /** A sine of {@code hz} as raw G.711 u-law, a whole number of 20 ms frames about {@code length} long. */
    static byte[] pcmuTone(double hz, Duration length) {
        SineSource sine = new SineSource(hz, 8_000);
        int frames = (int) Math.max(1, length.toMillis() / AudioFrames.FRAME_MILLIS);
        byte[] ulaw = new byte[frames * AudioFrames.SAMPLES_PER_FRAME];
        short[] frame = AudioFrames.newFrame();
        for (int f = 0; f < frames; f++) {
            sine.read(frame);
            for (int i = 0; i < frame.length; i++) {
                ulaw[f * frame.length + i] = G711.linearToUlaw(frame[i]);
            }
        }
        return ulaw;
    }

    /** sip-tester's RFC 4733 capture of {@code digit} (0-9, *, #): PT 101 packets, one event. */
    static byte[] dtmfCapture(char digit) {
        String name = switch (digit) {
            case '*' -> "star";
            case '#' -> "pound";
            default -> {
                if (digit < '0' || digit > '9') {
                    throw new IllegalArgumentException("sip-tester ships DTMF captures for 0-9, * and #, not " + digit);
                }
                yield String.valueOf(digit);
            }
        };
        Path pcap = Programs.requireFile(Path.of(SIP_TESTER_DATA, "dtmf_2833_" + name + ".pcap"), "sip-tester");
        try {
            return Files.readAllBytes(pcap);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
