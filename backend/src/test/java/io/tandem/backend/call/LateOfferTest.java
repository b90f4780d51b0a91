package io.tandem.backend.call;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.telephony.media.MediaDirection;
import io.tandem.telephony.sdp.MediaDescription;
import io.tandem.telephony.sdp.SessionDescription;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LateOfferTest {

    /** A callee's answer to the node's late offer that kept two codecs (RFC 3264 §6.1 allows it). */
    private static final String CALLEE_ANSWER = "v=0\r\no=bob 1 1 IN IP4 192.0.2.20\r\ns=-\r\nc=IN IP4 192.0.2.20\r\n"
            + "t=0 0\r\nm=audio 5000 RTP/AVP 8 0 101\r\na=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-16\r\n"
            + "a=recvonly\r\n";

    private static SessionDescription sdp(String text) throws Exception {
        return SessionDescription.parse(text);
    }

    @Test
    void theNodesOfferToTheCalleeIsPlainRtpG711AudioWithEvents() throws Exception {
        SessionDescription offer = sdp(LateOffer.calleeOffer("198.51.100.1").encode());
        assertThat(SdpRewriter.relayable(offer)).isTrue();
        assertThat(offer.media()).singleElement().extracting(MediaDescription::payloadTypes)
                .isEqualTo(List.of(0, 8, 101));
    }

    @Test
    void theCallersOfferIsTheCalleesAnswerNarrowedToTheAgreedCodec() throws Exception {
        SessionDescription answer = sdp(CALLEE_ANSWER);
        SdpRewriter.Agreed agreed = SdpRewriter.agreed(answer).orElseThrow();
        SessionDescription offer = LateOffer.callerOffer(answer, agreed);
        MediaDescription audio = offer.media().get(0);
        assertThat(audio.payloadTypes()).containsExactly(8, 101);
        assertThat(audio.fmtp(101)).contains("0-16");
        assertThat(audio.direction()).as("the callee only receives: so does the node towards the caller")
                .isEqualTo(MediaDirection.RECVONLY);
    }

    @Test
    void anAnswerKeepingTheCodecIsTaken() throws Exception {
        SessionDescription answer = sdp(CALLEE_ANSWER);
        SdpRewriter.Agreed agreed = SdpRewriter.agreed(answer).orElseThrow();
        SessionDescription offered = LateOffer.callerOffer(answer, agreed);
        LateOffer.Answer read = LateOffer.read(Optional.of(sdp("v=0\r\no=a 1 1 IN IP4 192.0.2.10\r\ns=-\r\n"
                + "c=IN IP4 192.0.2.10\r\nt=0 0\r\nm=audio 4000 RTP/AVP 8 101\r\n"
                + "a=rtpmap:101 telephone-event/8000\r\n")), offered, agreed);
        assertThat(read.refusal()).isNull();
        assertThat(read.agreed().codec().encodingName()).isEqualTo("PCMA");
        assertThat(SdpRewriter.remoteRtp(read.sdp())).hasValueSatisfying(a -> assertThat(a.getPort()).isEqualTo(4000));
    }

    @Test
    void noAnswerARefusedStreamOrAnotherCodecEndTheCall() throws Exception {
        SessionDescription answer = sdp(CALLEE_ANSWER);
        SdpRewriter.Agreed agreed = SdpRewriter.agreed(answer).orElseThrow();
        SessionDescription offered = LateOffer.callerOffer(answer, agreed);
        String caller = "v=0\r\no=a 1 1 IN IP4 192.0.2.10\r\ns=-\r\nc=IN IP4 192.0.2.10\r\nt=0 0\r\n";
        assertThat(LateOffer.read(Optional.empty(), offered, agreed).refusal())
                .isEqualTo(LateOffer.Refusal.ACK_WITHOUT_SDP);
        assertThat(LateOffer.read(Optional.of(sdp(caller + "m=audio 0 RTP/AVP 8\r\n")), offered, agreed).refusal())
                .isEqualTo(LateOffer.Refusal.UNACCEPTABLE_ANSWER);
        assertThat(LateOffer.read(Optional.of(sdp(caller + "m=audio 4000 RTP/AVP 0\r\n")), offered, agreed)
                .refusal()).as("PCMU was not offered").isEqualTo(LateOffer.Refusal.UNACCEPTABLE_ANSWER);
        assertThat(LateOffer.read(Optional.of(sdp(caller + "m=audio 4000 RTP/AVP 8\r\nm=video 4002 RTP/AVP 96\r\n")),
                offered, agreed).refusal()).as("a stream the offer did not have")
                .isEqualTo(LateOffer.Refusal.UNACCEPTABLE_ANSWER);
    }
}
