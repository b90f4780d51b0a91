package io.tandem.backend.call;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.telephony.media.MediaDirection;
import io.tandem.telephony.sdp.MediaDescription;
import io.tandem.telephony.sdp.SessionDescription;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class SdpRewriterTest {

    private static final String OFFER = "v=0\r\no=alice 42 7 IN IP4 192.0.2.10\r\ns=-\r\nc=IN IP4 192.0.2.10\r\n"
            + "t=0 0\r\nm=audio 4000 RTP/AVP 8 0 101\r\na=rtpmap:8 PCMA/8000\r\na=rtpmap:0 PCMU/8000\r\n"
            + "a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-16\r\na=ptime:20\r\na=sendonly\r\n"
            + "m=video 4002 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\n";

    private final Leg leg = new Leg(null, Leg.Side.CALLEE, "x@y", "1002");

    @Test
    void theNodeAddressAndRelayPortReplaceThePartysAndEverythingElseIsKept() throws Exception {
        SessionDescription rewritten = SessionDescription.parse(
                SdpRewriter.rewrite(SessionDescription.parse(OFFER), "198.51.100.1", 30000, leg));
        assertThat(rewritten.connection().host()).isEqualTo("198.51.100.1");
        assertThat(rewritten.origin().address().host()).isEqualTo("198.51.100.1");
        assertThat(rewritten.origin().sessionVersion()).isEqualTo("1");
        var audio = rewritten.media().get(0);
        assertThat(audio.port()).isEqualTo(30000);
        assertThat(audio.payloadTypes()).containsExactly(8, 0, 101);
        assertThat(audio.direction()).isEqualTo(MediaDirection.SENDONLY);
        assertThat(audio.ptime()).isEqualTo(20);
        assertThat(rewritten.media().get(1).port()).as("video is not relayed: refused with port 0").isZero();
        assertThat(SessionDescription.parse(SdpRewriter.rewrite(SessionDescription.parse(OFFER), "198.51.100.1",
                30000, leg)).origin().sessionVersion()).isEqualTo("2");
    }

    @Test
    void holdByZeroAddressSurvivesTheRewrite() throws Exception {
        String hold = OFFER.replace("c=IN IP4 192.0.2.10", "c=IN IP4 0.0.0.0");
        SessionDescription rewritten = SessionDescription.parse(
                SdpRewriter.rewrite(SessionDescription.parse(hold), "198.51.100.1", 30000, leg));
        assertThat(rewritten.connectionFor(rewritten.media().get(0)).orElseThrow().isHold()).isTrue();
        assertThat(SdpRewriter.remoteRtp(SessionDescription.parse(hold))).isEmpty();
    }

    @Test
    void theAgreedCodecIsTheAnswersFirstAndTheRemoteIsItsAddress() throws Exception {
        SessionDescription answer = SessionDescription.parse(OFFER);
        SdpRewriter.Agreed agreed = SdpRewriter.agreed(answer).orElseThrow();
        assertThat(agreed.codec().encodingName()).isEqualTo("PCMA");
        assertThat(agreed.telephoneEventPayloadType()).isEqualTo(101);
        assertThat(SdpRewriter.remoteRtp(answer)).contains(new InetSocketAddress("192.0.2.10", 4000));
        assertThat(SdpRewriter.relayable(answer)).isTrue();
    }

    private static final String MANY_STREAMS = "v=0\r\no=alice 42 7 IN IP4 192.0.2.10\r\ns=-\r\nc=IN IP4 192.0.2.10\r\n"
            + "t=0 0\r\nm=video 4010 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\na=fmtp:96 profile-level-id=42e01f\r\n"
            + "m=audio 4020 RTP/SAVP 0\r\na=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:abc\r\n"
            + "m=audio 4000 RTP/AVP 0 101\r\na=rtpmap:101 telephone-event/8000\r\n"
            + "m=audio 4030 RTP/AVP 8\r\nc=IN IP4 192.0.2.11\r\n";

    @Test
    void onlyTheFirstUsableAudioStreamIsRelayedAndEveryOtherIsRefusedInItsPlace() throws Exception {
        SessionDescription offer = SessionDescription.parse(MANY_STREAMS);
        assertThat(SdpRewriter.relayedIndex(offer)).as("SRTP audio is skipped, not fatal").hasValue(2);
        SessionDescription rewritten = SessionDescription.parse(SdpRewriter.rewrite(offer, "198.51.100.1", 30000, leg));
        assertThat(rewritten.media()).extracting(MediaDescription::media)
                .containsExactly("video", "audio", "audio", "audio");
        assertThat(rewritten.media()).extracting(MediaDescription::port).containsExactly(0, 0, 30000, 0);
        assertThat(rewritten.media()).extracting(MediaDescription::formats).containsExactly(List.of("96"),
                List.of("0"), List.of("0", "101"), List.of("8"));
        assertThat(rewritten.media().get(1).protocol()).isEqualTo("RTP/SAVP");
        assertThat(rewritten.media().get(1).attribute("crypto")).as("a refused stream's keys stay here").isEmpty();
        assertThat(rewritten.media().get(3).connection()).as("no party's address passes the node").isNull();
        assertThat(SdpRewriter.remoteRtp(offer)).contains(new InetSocketAddress("192.0.2.10", 4000));
    }

    @Test
    void theAnswerPassedBackHasTheOffersStreamsInTheOffersOrderWhateverTheAnswererSent() throws Exception {
        SessionDescription offer = SessionDescription.parse(MANY_STREAMS);
        // The answerer dropped every stream but the audio it was offered (wrongly: RFC 3264 §6 keeps them all).
        SessionDescription answer = SessionDescription.parse("v=0\r\no=bob 1 1 IN IP4 192.0.2.20\r\ns=-\r\n"
                + "c=IN IP4 192.0.2.20\r\nt=0 0\r\nm=video 5010 RTP/AVP 96\r\n"
                + "m=audio 0 RTP/SAVP 0\r\nm=audio 5000 RTP/AVP 0 101\r\na=rtpmap:101 telephone-event/8000\r\n");
        SessionDescription passedBack = SessionDescription.parse(
                SdpRewriter.rewrite(offer, answer, "198.51.100.1", 31000, leg));
        assertThat(passedBack.media()).extracting(MediaDescription::media)
                .containsExactly("video", "audio", "audio", "audio");
        assertThat(passedBack.media()).as("the video the answerer took was never offered to it open")
                .extracting(MediaDescription::port).containsExactly(0, 0, 31000, 0);
        assertThat(passedBack.media().get(3).formats()).containsExactly("8");
        assertThat(SdpRewriter.agreed(answer).orElseThrow().codec().encodingName()).isEqualTo("PCMU");
    }

    @Test
    void anOfferWithoutPlainRtpAudioIsNotRelayable() throws Exception {
        String srtpOnly = MANY_STREAMS.substring(0, MANY_STREAMS.indexOf("m=audio 4000"));
        assertThat(SdpRewriter.relayable(SessionDescription.parse(srtpOnly))).isFalse();
    }

    /** A carrier trunk's codecs narrow the offer it gets, in the trunk's order, with telephone-event kept. */
    @Test
    void anOfferIsNarrowedToATrunksCodecs() throws Exception {
        SessionDescription offer = SessionDescription.parse("v=0\r\no=alice 42 7 IN IP4 192.0.2.10\r\ns=-\r\n"
                + "c=IN IP4 192.0.2.10\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0 8 9 101\r\na=rtpmap:0 PCMU/8000\r\n"
                + "a=rtpmap:8 PCMA/8000\r\na=rtpmap:9 G722/8000\r\na=rtpmap:101 telephone-event/8000\r\n"
                + "a=fmtp:101 0-15\r\n");
        SessionDescription narrowed = SdpRewriter.restricted(offer, List.of("PCMA", "PCMU"));
        assertThat(narrowed.media().get(0).formats()).containsExactly("8", "0", "101");
        assertThat(narrowed.media().get(0).fmtp(101)).contains("0-15");
        assertThat(SdpRewriter.restricted(offer, List.of("opus"))).as("nothing in common: unchanged")
                .isEqualTo(offer);
    }
}
