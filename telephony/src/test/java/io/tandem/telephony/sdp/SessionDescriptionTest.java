package io.tandem.telephony.sdp;

import io.tandem.telephony.codec.CodecSpec;
import io.tandem.telephony.media.MediaDirection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SessionDescriptionTest {

    /** What baresip 3.x offers with opus, G.711 and DTMF enabled. */
    static final String BARESIP_OFFER = """
            v=0\r
            o=- 1795462151 1408325742 IN IP4 192.168.1.23\r
            s=-\r
            c=IN IP4 192.168.1.23\r
            t=0 0\r
            m=audio 10432 RTP/AVP 96 0 8 101\r
            b=AS:128\r
            a=rtpmap:96 opus/48000/2\r
            a=fmtp:96 stereo=1;sprop-stereo=1\r
            a=rtpmap:0 PCMU/8000\r
            a=rtpmap:8 PCMA/8000\r
            a=rtpmap:101 telephone-event/8000\r
            a=fmtp:101 0-15\r
            a=ptime:20\r
            a=rtcp-rsize\r
            a=sendrecv\r
            a=label:1\r
            """;

    /** The SDP SIPp's built-in uac scenario sends (no rtpmap for the static type, no direction). */
    static final String SIPP_OFFER = """
            v=0
            o=user1 53655765 2353687637 IN IP4 127.0.0.1
            s=-
            c=IN IP4 127.0.0.1
            t=0 0
            m=audio 6000 RTP/AVP 0
            a=rtpmap:0 PCMU/8000
            """;

    @Test
    void parsesABaresipOffer() throws SdpException {
        SessionDescription sdp = SessionDescription.parse(BARESIP_OFFER);

        assertThat(sdp.origin()).isEqualTo(new Origin("-", "1795462151", "1408325742",
                Connection.ip4("192.168.1.23")));
        assertThat(sdp.connection()).isEqualTo(Connection.ip4("192.168.1.23"));
        assertThat(sdp.media()).hasSize(1);
        MediaDescription audio = sdp.media().get(0);
        assertThat(audio.port()).isEqualTo(10432);
        assertThat(audio.protocol()).isEqualTo("RTP/AVP");
        assertThat(audio.payloadTypes()).containsExactly(96, 0, 8, 101);
        assertThat(audio.codecs()).containsExactly(new CodecSpec("opus", 96, 48000, 2), CodecSpec.PCMU,
                CodecSpec.PCMA, new CodecSpec("telephone-event", 101, 8000, 1));
        assertThat(audio.fmtp()).isEqualTo(Map.of(96, "stereo=1;sprop-stereo=1", 101, "0-15"));
        assertThat(audio.ptime()).isEqualTo(20);
        assertThat(audio.direction()).isEqualTo(MediaDirection.SENDRECV);
        assertThat(audio.bandwidths()).containsExactly("AS:128");
        assertThat(audio.attributes()).containsExactly(Attribute.flag("rtcp-rsize"), new Attribute("label", "1"));
    }

    @Test
    void toleratesLfOnlyLinesAsSippSendsThem() throws SdpException {
        SessionDescription sdp = SessionDescription.parse(SIPP_OFFER);
        assertThat(sdp.media().get(0).codecs()).containsExactly(CodecSpec.PCMU);
        assertThat(sdp.origin().sessionVersion()).isEqualTo("2353687637");
    }

    @Test
    void resolvesStaticPayloadTypesWithoutRtpmap() throws SdpException {
        SessionDescription sdp = SessionDescription.parse(
                "v=0\no=- 1 1 IN IP4 10.0.0.1\ns=-\nc=IN IP4 10.0.0.1\nt=0 0\nm=audio 4000 RTP/AVP 0 8 9 18 3 13\n");
        assertThat(sdp.media().get(0).codecs()).extracting(CodecSpec::rtpmap)
                .containsExactly("PCMU/8000", "PCMA/8000", "G722/8000", "G729/8000", "GSM/8000", "CN/8000");
    }

    @Test
    void unknownDynamicPayloadTypesHaveNoCodec() throws SdpException {
        MediaDescription m = SessionDescription.parse(
                "v=0\no=- 1 1 IN IP4 10.0.0.1\ns=-\nc=IN IP4 10.0.0.1\nt=0 0\nm=audio 4000 RTP/AVP 97 0\n")
                .media().get(0);
        assertThat(m.payloadTypes()).containsExactly(97, 0);
        assertThat(m.codecs()).containsExactly(CodecSpec.PCMU);
    }

    @Test
    void sessionLevelDirectionAppliesWhereTheMediaSaysNothing() throws SdpException {
        SessionDescription sdp = SessionDescription.parse("""
                v=0
                o=- 1 1 IN IP4 10.0.0.1
                s=-
                c=IN IP4 10.0.0.1
                t=0 0
                a=sendonly
                m=audio 4000 RTP/AVP 0
                m=audio 4002 RTP/AVP 8
                a=inactive
                """);
        assertThat(sdp.media()).extracting(MediaDescription::direction)
                .containsExactly(MediaDirection.SENDONLY, MediaDirection.INACTIVE);
        assertThat(sdp.attributes()).isEmpty();
    }

    @Test
    void mediaLevelConnectionOverridesTheSessionOne() throws SdpException {
        SessionDescription sdp = SessionDescription.parse("""
                v=0
                o=- 1 1 IN IP6 2001:db8::1
                s=-
                c=IN IP4 10.0.0.1
                t=0 0
                m=audio 4000 RTP/AVP 0
                c=IN IP6 2001:db8::2
                m=audio 4002 RTP/AVP 0
                """);
        assertThat(sdp.connectionFor(sdp.media().get(0))).contains(Connection.ip6("2001:db8::2"));
        assertThat(sdp.connectionFor(sdp.media().get(1))).contains(Connection.ip4("10.0.0.1"));
    }

    @Test
    void keepsAnRtpmapItCannotReadAsAPlainAttribute() throws SdpException {
        // RFC 4475's bodies carry "a=rtpmap:31 LPC" (no clock rate) on the video line.
        MediaDescription video = SessionDescription.parse("""
                v=0
                o=mhandley 29739 7272939 IN IP4 192.0.2.5
                s=-
                c=IN IP4 192.0.2.5
                t=0 0
                m=video 3227 RTP/AVP 31
                a=rtpmap:31 LPC
                """).media().get(0);
        assertThat(video.codecs()).containsExactly(new CodecSpec("H261", 31, 90000, 1));
        assertThat(video.attributes()).containsExactly(new Attribute("rtpmap", "31 LPC"));
    }

    @Test
    void readsPortCountsAndDecimalPtime() throws SdpException {
        MediaDescription m = SessionDescription.parse(
                "v=0\no=- 1 1 IN IP4 10.0.0.1\ns=-\nc=IN IP4 10.0.0.1\nt=0 0\n"
                        + "m=audio 49170/2 RTP/AVP 0\na=ptime:20.0\na=maxptime:40\n").media().get(0);
        assertThat(m.port()).isEqualTo(49170);
        assertThat(m.portCount()).isEqualTo(2);
        assertThat(m.ptime()).isEqualTo(20);
        assertThat(m.maxptime()).isEqualTo(40);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "hello world",
            "v=0\no=- 1 1 IN IP4 10.0.0.1\ns=-\nc=IN IP4 10.0.0.1\nt=0 0\nm=audio 4000 RTP/AVP 0\nm =video 3227 RTP/AVP 31\n",
            "o=- 1 1 IN IP4 10.0.0.1\nv=0\n",
            "v=1\no=- 1 1 IN IP4 10.0.0.1\n",
            "v=0\no=- 1 IN IP4 10.0.0.1\n",
            "v=0\no=- x 1 IN IP4 10.0.0.1\n",
            "v=0\no=- 1 1 IN IP4 10.0.0.1\nc=IN IP4\n",
            "v=0\no=- 1 1 IN IP4 10.0.0.1\nm=audio 70000 RTP/AVP 0\n",
            "v=0\no=- 1 1 IN IP4 10.0.0.1\nm=audio 4000 RTP/AVP\n",
            "v=0\no=- 1 1 IN IP4 10.0.0.1\nm=audio -1 RTP/AVP 0\n",
            "v=0\ns=-\n",
            "",
    })
    void rejectsGarbage(String text) {
        assertThatThrownBy(() -> SessionDescription.parse(text)).isInstanceOf(SdpException.class);
    }

    @Test
    void namesTheLineThatIsWrong() {
        String text = "v=0\no=- 1 1 IN IP4 10.0.0.1\ns=-\nc=IN IP4 10.0.0.1\nt=0 0\n"
                + "m=audio 4000 RTP/AVP 0\nm =video 3227 RTP/AVP 31\n";
        assertThatThrownBy(() -> SessionDescription.parse(text))
                .hasMessageContaining("line 7").hasMessageContaining("m =video");
    }

    @Test
    void encodesWithCrlfInRfc4566Order() throws SdpException {
        String encoded = SessionDescription.parse(SIPP_OFFER + "a=recvonly\n").encode();
        assertThat(encoded).isEqualTo("""
                v=0\r
                o=user1 53655765 2353687637 IN IP4 127.0.0.1\r
                s=-\r
                c=IN IP4 127.0.0.1\r
                t=0 0\r
                m=audio 6000 RTP/AVP 0\r
                a=rtpmap:0 PCMU/8000\r
                a=recvonly\r
                """);
    }

    @ParameterizedTest
    @ValueSource(strings = {"baresip", "sipp", "torture", "multi"})
    void roundTripsThroughEncode(String which) throws SdpException {
        String text = switch (which) {
            case "baresip" -> BARESIP_OFFER;
            case "sipp" -> SIPP_OFFER;
            case "torture" -> "v=0\r\no=mhandley 29739 7272939 IN IP4 192.0.2.5\r\ns=-\r\nc=IN IP4 192.0.2.5\r\n"
                    + "t=0 0\r\nm=audio 49217 RTP/AVP 0 12\r\nm=video 3227 RTP/AVP 31\r\na=rtpmap:31 LPC\r\n";
            default -> "v=0\no=- 7 9 IN IP6 ::1\ns=call\nb=CT:64\nt=0 0\na=group:BUNDLE 0\n"
                    + "m=audio 0 RTP/SAVP 0 8\nc=IN IP6 ::1\na=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:abc\n"
                    + "m=audio 5004 RTP/AVP 0 0 101\nc=IN IP4 0.0.0.0\na=rtpmap:101 telephone-event/8000\n"
                    + "a=fmtp:101 0-16\na=sendonly\nm=application 9 TCP/BFCP *\n";
        };
        SessionDescription once = SessionDescription.parse(text);
        SessionDescription twice = SessionDescription.parse(once.encode());
        assertThat(twice).isEqualTo(once);
        assertThat(twice.encode()).isEqualTo(once.encode());
    }

    @Test
    void modelBuiltInCodeRoundTrips() throws SdpException {
        MediaDescription audio = MediaDescription.audio(4000,
                List.of(CodecSpec.PCMA, new CodecSpec("opus", 111, 48000, 2), CodecSpec.TELEPHONE_EVENT),
                Map.of(101, "0-16"), MediaDirection.RECVONLY).withPtime(20, 0);
        SessionDescription sdp = new SessionDescription(Origin.of("tandem", 42, 7, Connection.ip4("10.1.2.3")),
                "tandem", Connection.ip4("10.1.2.3"), List.of(audio));
        assertThat(SessionDescription.parse(sdp.encode())).isEqualTo(sdp);
    }

    @ParameterizedTest
    @ValueSource(strings = {"00000", "08"})
    void aPayloadTypeWithLeadingZerosIsAFormatTokenNotACodec(String format) throws SdpException {
        // Found by ./tandem bench fuzz: "m=video 3227 RTP/AVP 00000" threw IllegalArgumentException out of parse.
        SessionDescription sdp = SessionDescription.parse("v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\n"
                + "c=IN IP4 192.0.2.1\r\nt=0 0\r\nm=audio 49170 RTP/AVP " + format + " 0\r\n"
                + "a=rtpmap:" + format + " PCMA/8000\r\n");
        assertThat(sdp.media().get(0).formats()).containsExactly(format, "0");
        assertThat(sdp.media().get(0).codecs()).containsExactly(CodecSpec.PCMU);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\u001c", "\u001f", "\u007f"})
    void anOriginUsernameWithAControlCharacterIsAMalformedLine(String control) {
        // Found by ./tandem bench fuzz: "o=mha\x1fndley ..." threw IllegalArgumentException out of Origin.
        String text = "v=0\r\no=mha" + control + "ndley 29739 7272939 IN IP4 192.0.2.1\r\ns=-\r\n"
                + "c=IN IP4 192.0.2.1\r\nt=0 0\r\nm=audio 49217 RTP/AVP 0\r\n";
        assertThatThrownBy(() -> SessionDescription.parse(text)).isInstanceOf(SdpException.class)
                .hasMessageContaining("o= username holds a control character");
    }
}
