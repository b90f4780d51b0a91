package io.tandem.telephony.sdp;

import io.tandem.telephony.codec.CodecSpec;
import io.tandem.telephony.media.MediaDirection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

import static io.tandem.telephony.media.MediaDirection.INACTIVE;
import static io.tandem.telephony.media.MediaDirection.RECVONLY;
import static io.tandem.telephony.media.MediaDirection.SENDONLY;
import static io.tandem.telephony.media.MediaDirection.SENDRECV;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SdpNegotiatorTest {
    static final CodecSpec G729 = new CodecSpec("G729", 18, 8000, 1);
    static final InetSocketAddress LOCAL = new InetSocketAddress(InetAddress.getLoopbackAddress(), 40000);

    private final SdpNegotiator g711 = new SdpNegotiator(List.of(CodecSpec.PCMA, CodecSpec.PCMU), true);

    private static SessionDescription offer(String media) throws SdpException {
        return SessionDescription.parse("v=0\r\no=peer 100 200 IN IP4 192.0.2.10\r\ns=-\r\n"
                + "c=IN IP4 192.0.2.10\r\nt=0 0\r\n" + media);
    }

    @Test
    void picksTheFirstCodecInTheOffersOrderAndAnswersTelephoneEventWithTheOffersPayloadType() throws Exception {
        SdpAnswer a = g711.answer(offer("m=audio 5000 RTP/AVP 0 8 96\r\na=rtpmap:96 telephone-event/8000\r\n"
                + "a=fmtp:96 0-15\r\n"), LOCAL, SENDRECV);

        assertThat(a.media().codec()).isEqualTo(CodecSpec.PCMU);
        assertThat(a.media().telephoneEventPayloadType()).isEqualTo(96);
        assertThat(a.media().remoteRtp()).isEqualTo(new InetSocketAddress("192.0.2.10", 5000));
        assertThat(a.media().direction()).isEqualTo(SENDRECV);

        MediaDescription answered = a.description().media().get(0);
        assertThat(answered.port()).isEqualTo(40000);
        assertThat(answered.payloadTypes()).containsExactly(0, 96);
        assertThat(answered.fmtp(96)).contains("0-16");
        assertThat(answered.ptime()).isEqualTo(20);
        assertThat(a.description().connection()).isEqualTo(Connection.ip4("127.0.0.1"));
    }

    @Test
    void mapsDynamicPayloadTypesAndReadsRtpmapNamesWithoutCase() throws Exception {
        SdpNegotiator opusFirst = new SdpNegotiator(List.of(CodecSpec.OPUS, CodecSpec.PCMU), true);
        SdpAnswer a = opusFirst.answer(offer("m=audio 5000 RTP/AVP 109 0 110 101\r\n"
                + "a=rtpmap:109 OPUS/48000/2\r\na=rtpmap:0 pcmu/8000\r\n"
                + "a=rtpmap:110 Telephone-Event/48000\r\na=rtpmap:101 telephone-event/8000\r\n"), LOCAL, SENDRECV);

        assertThat(a.media().codec()).isEqualTo(new CodecSpec("opus", 109, 48000, 2));
        assertThat(a.media().telephoneEventPayloadType())
                .as("RFC 4733 §2.1: events use the audio codec's clock").isEqualTo(110);
        assertThat(a.description().media().get(0).payloadTypes()).containsExactly(109, 110);
    }

    @Test
    void offersOurCodecsInPreferenceOrderWithTelephoneEvent() {
        SessionDescription o = g711.createOffer(LOCAL, SENDRECV);
        MediaDescription audio = o.media().get(0);
        assertThat(audio.codecs()).containsExactly(CodecSpec.PCMA, CodecSpec.PCMU, CodecSpec.TELEPHONE_EVENT);
        assertThat(audio.fmtp(101)).contains("0-16");
        assertThat(audio.direction()).isEqualTo(SENDRECV);
        assertThat(o.connection()).isEqualTo(Connection.ip4("127.0.0.1"));

        SdpNegotiator plain = new SdpNegotiator(List.of(CodecSpec.PCMU), false);
        assertThat(plain.createOffer(LOCAL, SENDRECV).media().get(0).codecs()).containsExactly(CodecSpec.PCMU);
    }

    @Test
    void opusCallsGetDtmfAtTheOpusClock() throws Exception {
        SdpNegotiator caller = new SdpNegotiator(List.of(CodecSpec.OPUS, CodecSpec.PCMU), true);
        SdpNegotiator callee = new SdpNegotiator(List.of(CodecSpec.OPUS, CodecSpec.PCMU), true);
        SessionDescription offer = caller.createOffer(LOCAL, SENDRECV);
        assertThat(offer.media().get(0).codecs()).containsExactly(CodecSpec.OPUS, CodecSpec.PCMU,
                new CodecSpec("telephone-event", 101, 8000, 1), new CodecSpec("telephone-event", 102, 48000, 1));
        assertThat(offer.media().get(0).fmtp(102)).contains("0-16");

        SdpAnswer answer = callee.answer(offer, LOCAL, SENDRECV);
        assertThat(answer.media().codec()).isEqualTo(CodecSpec.OPUS);
        assertThat(answer.media().telephoneEventPayloadType()).isEqualTo(102);
        assertThat(caller.accept(answer.description()).telephoneEventPayloadType()).isEqualTo(102);

        SdpAnswer g711Answer = new SdpNegotiator(List.of(CodecSpec.PCMU), true).answer(offer, LOCAL, SENDRECV);
        assertThat(g711Answer.media().telephoneEventPayloadType()).isEqualTo(101);
        assertThat(caller.accept(g711Answer.description()).telephoneEventPayloadType()).isEqualTo(101);
    }

    @Test
    void telephoneEventMovesWhenALocalCodecHoldsPayloadType101() {
        SdpNegotiator n = new SdpNegotiator(List.of(CodecSpec.PCMU, new CodecSpec("speex", 101, 8000, 1)), true);
        assertThat(n.createOffer(LOCAL, SENDRECV).media().get(0).codecs())
                .contains(new CodecSpec("telephone-event", 102, 8000, 1));
    }

    @Test
    void withoutTelephoneEventWeIgnoreTheOffersDtmf() throws Exception {
        SdpNegotiator noDtmf = new SdpNegotiator(List.of(CodecSpec.PCMU), false);
        SdpAnswer a = noDtmf.answer(offer("m=audio 5000 RTP/AVP 0 101\r\na=rtpmap:101 telephone-event/8000\r\n"),
                LOCAL, SENDRECV);
        assertThat(a.media().telephoneEventPayloadType()).isEqualTo(-1);
        assertThat(a.description().media().get(0).payloadTypes()).containsExactly(0);
    }

    @Test
    void negotiatesOnlyTheFirstAudioStreamAndRefusesTheRestInPlace() throws Exception {
        SdpAnswer a = g711.answer(offer("m=video 3227 RTP/AVP 31\r\nm=audio 5000 RTP/AVP 8\r\n"
                + "m=audio 5002 RTP/AVP 0\r\nm=application 5004 UDP/BFCP *\r\n"), LOCAL, SENDRECV);

        List<MediaDescription> media = a.description().media();
        assertThat(media).extracting(MediaDescription::media).containsExactly("video", "audio", "audio",
                "application");
        assertThat(media).extracting(MediaDescription::port).containsExactly(0, 40000, 0, 0);
        assertThat(media.get(0).formats()).containsExactly("31");
        assertThat(media.get(3).protocol()).isEqualTo("UDP/BFCP");
        assertThat(a.media().codec()).isEqualTo(CodecSpec.PCMA);
        assertThat(a.media().remoteRtp().getPort()).isEqualTo(5000);
    }

    @Test
    void takesThePlainRtpLineOfABestEffortSrtpOffer() throws Exception {
        SdpAnswer a = g711.answer(offer("m=audio 5000 RTP/SAVP 0\r\na=crypto:1 AES_CM_128_HMAC_SHA1_80 "
                + "inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz\r\nm=audio 5002 RTP/AVP 0\r\n"), LOCAL, SENDRECV);
        assertThat(a.description().media()).extracting(MediaDescription::port).containsExactly(0, 40000);
        assertThat(a.media().remoteRtp().getPort()).isEqualTo(5002);
    }

    @Test
    void mediaLevelConnectionAndIpv6() throws Exception {
        SdpAnswer a = g711.answer(offer("m=audio 5000 RTP/AVP 0\r\nc=IN IP6 2001:db8::7\r\n"), LOCAL, SENDRECV);
        assertThat(a.media().remoteRtp()).isEqualTo(new InetSocketAddress(InetAddress.getByName("2001:db8::7"), 5000));

        InetSocketAddress local6 = new InetSocketAddress(InetAddress.getByName("::1"), 40002);
        SessionDescription answer = g711.answer(offer("m=audio 5000 RTP/AVP 0\r\n"), local6, SENDRECV).description();
        assertThat(answer.connection()).isEqualTo(Connection.ip6("0:0:0:0:0:0:0:1"));
    }

    @Test
    void aHostNameInCIsLeftUnresolvedNeverLookedUpOnTheSignallingThread() throws Exception {
        SessionDescription o = SessionDescription.parse("v=0\r\no=- 1 1 IN IP4 pbx.example.com\r\ns=-\r\n"
                + "c=IN IP4 media.example.com\r\nt=0 0\r\nm=audio 5000 RTP/AVP 0\r\n");
        InetSocketAddress remote = g711.answer(o, LOCAL, SENDRECV).media().remoteRtp();
        assertThat(remote.isUnresolved()).isTrue();
        assertThat(remote.getHostString()).isEqualTo("media.example.com");
    }

    @Test
    void connectionZeroIsAnOldStyleHoldSoWeDoNotSend() throws Exception {
        SdpAnswer a = g711.answer(SessionDescription.parse("v=0\r\no=peer 1 2 IN IP4 192.0.2.10\r\ns=-\r\n"
                + "c=IN IP4 0.0.0.0\r\nt=0 0\r\nm=audio 5000 RTP/AVP 0\r\n"), LOCAL, SENDRECV);
        assertThat(a.media().direction()).isEqualTo(RECVONLY);
        assertThat(a.media().remoteRtp().getAddress().isAnyLocalAddress()).isTrue();
        assertThat(a.description().connection()).as("RFC 3264 §8.4: the answer carries our real address")
                .isEqualTo(Connection.ip4("127.0.0.1"));
    }

    @ParameterizedTest(name = "offer {0}, we want {1} -> we {2}")
    @CsvSource({
            "SENDRECV, SENDRECV, SENDRECV",
            "SENDONLY, SENDRECV, RECVONLY",
            "RECVONLY, SENDRECV, SENDONLY",
            "INACTIVE, SENDRECV, INACTIVE",
            "SENDRECV, SENDONLY, SENDONLY",
            "SENDRECV, RECVONLY, RECVONLY",
            "SENDONLY, SENDONLY, INACTIVE",
            "RECVONLY, RECVONLY, INACTIVE",
            "SENDRECV, INACTIVE, INACTIVE",
    })
    void directionIsWhatBothSidesAllow(MediaDirection offered, MediaDirection wanted, MediaDirection expected)
            throws Exception {
        SdpAnswer a = g711.answer(offer("m=audio 5000 RTP/AVP 0\r\na=" + offered.attribute() + "\r\n"), LOCAL,
                wanted);
        assertThat(a.media().direction()).isEqualTo(expected);
        assertThat(a.description().media().get(0).direction()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "video only         | m=video 3227 RTP/AVP 31\\r\\n                        | no audio stream",
            "audio disabled     | m=audio 0 RTP/AVP 0\\r\\n                            | port 0",
            "no common codec    | m=audio 5000 RTP/AVP 18 97\\r\\na=rtpmap:97 iLBC/8000\\r\\n | no common codec",
            "SRTP only          | m=audio 5000 RTP/SAVP 0\\r\\n                        | no SRTP",
            "DTLS-SRTP only     | m=audio 5000 UDP/TLS/RTP/SAVPF 0\\r\\n               | no SRTP",
            "only DTMF offered  | m=audio 5000 RTP/AVP 101\\r\\na=rtpmap:101 telephone-event/8000\\r\\n | no common codec",
    })
    void refusesWhatWeCannotCarryWithAReason(String name, String media, String reason) throws Exception {
        SessionDescription o = offer(media.replace("\\r\\n", "\r\n"));
        assertThatThrownBy(() -> g711.answer(o, LOCAL, SENDRECV))
                .isInstanceOf(SdpNegotiationException.class).hasMessageContaining(reason);
    }

    @Test
    void refusesAnAudioStreamWithoutAnAddress() throws Exception {
        SessionDescription o = SessionDescription.parse(
                "v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nt=0 0\r\nm=audio 5000 RTP/AVP 0\r\n");
        assertThatThrownBy(() -> g711.answer(o, LOCAL, SENDRECV)).isInstanceOf(SdpNegotiationException.class)
                .hasMessageContaining("c=");
    }

    @Test
    void twoNegotiatorsAgreeEndToEnd() throws Exception {
        SdpNegotiator caller = new SdpNegotiator(List.of(CodecSpec.PCMA, CodecSpec.PCMU), true);
        SdpNegotiator callee = new SdpNegotiator(List.of(CodecSpec.PCMU, CodecSpec.PCMA), true);
        InetSocketAddress callerRtp = new InetSocketAddress(InetAddress.getLoopbackAddress(), 41000);
        InetSocketAddress calleeRtp = new InetSocketAddress(InetAddress.getLoopbackAddress(), 42000);

        SessionDescription offer = caller.createOffer(callerRtp, SENDRECV);
        SdpAnswer answer = callee.answer(SessionDescription.parse(offer.encode()), calleeRtp, SENDRECV);
        NegotiatedMedia callerSide = caller.accept(SessionDescription.parse(answer.description().encode()));

        assertThat(answer.media().codec()).as("the offerer's preference wins").isEqualTo(CodecSpec.PCMA);
        assertThat(callerSide.codec()).isEqualTo(CodecSpec.PCMA);
        assertThat(callerSide.telephoneEventPayloadType()).isEqualTo(answer.media().telephoneEventPayloadType())
                .isEqualTo(101);
        assertThat(callerSide.remoteRtp()).isEqualTo(calleeRtp);
        assertThat(answer.media().remoteRtp()).isEqualTo(callerRtp);
        assertThat(callerSide.direction()).isEqualTo(SENDRECV);
    }

    @Test
    void holdAndResumeThroughOfferAndAnswer() throws Exception {
        SdpNegotiator a = new SdpNegotiator(List.of(CodecSpec.PCMU), true);
        SdpNegotiator b = new SdpNegotiator(List.of(CodecSpec.PCMU), true);
        InetSocketAddress bRtp = new InetSocketAddress(InetAddress.getLoopbackAddress(), 42000);

        SdpAnswer held = b.answer(a.createOffer(LOCAL, SENDONLY), bRtp, SENDRECV);
        assertThat(held.media().direction()).isEqualTo(RECVONLY);
        assertThat(a.accept(held.description()).direction()).isEqualTo(SENDONLY);

        SdpAnswer resumed = b.answer(a.createOffer(LOCAL, SENDRECV), bRtp, SENDRECV);
        assertThat(a.accept(resumed.description()).direction()).isEqualTo(SENDRECV);
    }

    @Test
    void keepsTheSessionIdAndBumpsTheVersionOnEveryDescription() throws Exception {
        SessionDescription first = g711.createOffer(LOCAL, SENDRECV);
        SessionDescription second = g711.createOffer(LOCAL, SENDONLY);
        SessionDescription third = g711.answer(offer("m=audio 5000 RTP/AVP 0\r\n"), LOCAL, SENDRECV).description();

        assertThat(List.of(second.origin().sessionId(), third.origin().sessionId()))
                .containsOnly(first.origin().sessionId());
        long v1 = Long.parseLong(first.origin().sessionVersion());
        assertThat(Long.parseLong(second.origin().sessionVersion())).isEqualTo(v1 + 1);
        assertThat(Long.parseLong(third.origin().sessionVersion())).isEqualTo(v1 + 2);
    }

    @Test
    void acceptSendsWithTheAnswersPayloadTypes() throws Exception {
        g711.createOffer(LOCAL, SENDRECV);
        NegotiatedMedia m = g711.accept(SessionDescription.parse("v=0\r\no=b 1 1 IN IP4 192.0.2.20\r\ns=-\r\n"
                + "c=IN IP4 192.0.2.20\r\nt=0 0\r\nm=audio 6000 RTP/AVP 8 100\r\na=rtpmap:8 pcma/8000\r\n"
                + "a=rtpmap:100 telephone-event/8000\r\na=sendonly\r\n"));
        assertThat(m.codec()).isEqualTo(CodecSpec.PCMA);
        assertThat(m.telephoneEventPayloadType()).isEqualTo(100);
        assertThat(m.direction()).isEqualTo(RECVONLY);
        assertThat(m.remoteRtp()).isEqualTo(new InetSocketAddress("192.0.2.20", 6000));
    }

    @Test
    void acceptRefusesBadAnswers() throws Exception {
        SdpNegotiator fresh = new SdpNegotiator(List.of(CodecSpec.PCMU), true);
        SessionDescription ok = offer("m=audio 5000 RTP/AVP 0\r\n");
        assertThatThrownBy(() -> fresh.accept(ok)).hasMessageContaining("no offer");

        fresh.createOffer(LOCAL, SENDRECV);
        assertThatThrownBy(() -> fresh.accept(offer("m=audio 0 RTP/AVP 0\r\n"))).hasMessageContaining("port 0");
        assertThatThrownBy(() -> fresh.accept(offer("m=audio 5000 RTP/AVP 8\r\n")))
                .hasMessageContaining("none of the codecs");
        assertThatThrownBy(() -> fresh.accept(offer("m=video 5000 RTP/AVP 31\r\n"))).hasMessageContaining("video");
        assertThatThrownBy(() -> fresh.accept(offer("m=audio 5000 RTP/SAVP 0\r\n")))
                .hasMessageContaining("RTP/SAVP");
        assertThat(fresh.accept(ok).codec()).isEqualTo(CodecSpec.PCMU);
    }

    @Test
    void answersInactiveWhenAskedTo() throws Exception {
        SdpAnswer a = g711.answer(offer("m=audio 5000 RTP/AVP 0\r\n"), LOCAL, INACTIVE);
        assertThat(a.description().media().get(0).direction()).isEqualTo(INACTIVE);
    }

    @Test
    void refusesAnEmptyOrDtmfOnlyCodecList() {
        assertThatThrownBy(() -> new SdpNegotiator(List.of(), true)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SdpNegotiator(List.of(CodecSpec.TELEPHONE_EVENT), true))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SdpNegotiator(List.of(CodecSpec.PCMU, new CodecSpec("x", 0, 8000, 1)), true))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void offersG729OnlyWhenWeHaveIt() throws Exception {
        SdpNegotiator withG729 = new SdpNegotiator(List.of(G729, CodecSpec.PCMU), false);
        assertThat(withG729.answer(offer("m=audio 5000 RTP/AVP 18 0\r\n"), LOCAL, SENDRECV).media().codec())
                .isEqualTo(G729);
    }
    @Test
    void anSrtpNegotiatorOffersSdesKeysAndReadsTheAnswersKey() throws Exception {
        SdpNegotiator caller = new SdpNegotiator(List.of(CodecSpec.PCMU), true, true);
        SdpNegotiator callee = new SdpNegotiator(List.of(CodecSpec.PCMU), true, true);
        SessionDescription offer = caller.createOffer(LOCAL, SENDRECV);
        MediaDescription m = offer.media().get(0);
        assertThat(m.protocol()).isEqualTo("RTP/SAVP");
        assertThat(m.attributes("crypto")).hasSize(2).first().asString().startsWith("1 AES_CM_128_HMAC_SHA1_80 inline:");

        SdpAnswer answer = callee.answer(SessionDescription.parse(offer.encode()), LOCAL, SENDRECV);
        MediaDescription answered = answer.description().media().get(0);
        assertThat(answered.protocol()).isEqualTo("RTP/SAVP");
        assertThat(answered.attributes("crypto")).hasSize(1).first().asString().startsWith("1 ");
        NegotiatedMedia atCaller = caller.accept(SessionDescription.parse(answer.description().encode()));
        assertThat(atCaller.srtp().local()).isEqualTo(answer.media().srtp().remote());
        assertThat(atCaller.srtp().remote()).isEqualTo(answer.media().srtp().local());

        // a re-offer keeps the keys, so a re-INVITE does not restart the crypto contexts
        assertThat(caller.createOffer(LOCAL, SENDRECV).media().get(0).attributes("crypto"))
                .isEqualTo(m.attributes("crypto"));
    }

    @Test
    void thePeersReOfferWithTheKeyItAnsweredWithKeepsOurKeyAndANewKeyOfItsGetsANewOneOfOurs() throws Exception {
        SdpNegotiator node = new SdpNegotiator(List.of(CodecSpec.PCMU), true, true);
        SdpNegotiator phone = new SdpNegotiator(List.of(CodecSpec.PCMU), true, true);
        SessionDescription offer = node.createOffer(LOCAL, SENDRECV);
        SdpAnswer answer = phone.answer(SessionDescription.parse(offer.encode()), LOCAL, SENDRECV);
        NegotiatedMedia first = node.accept(SessionDescription.parse(answer.description().encode()));
        String phoneKey = answer.description().media().get(0).attributes("crypto").get(0);

        // RFC 4568 §7.1.4: the phone's hold re-offers the key it answered with; the node answers with its own of
        // the first exchange, so neither side's crypto contexts restart.
        NegotiatedMedia held = node.answer(offer("m=audio 5000 RTP/SAVP 0\r\na=crypto:" + phoneKey + "\r\n"),
                LOCAL, SENDRECV).media();
        assertThat(held.srtp()).isEqualTo(first.srtp());

        NegotiatedMedia rekeyed = node.answer(offer("m=audio 5000 RTP/SAVP 0\r\na=crypto:1 AES_CM_128_HMAC_SHA1_80 "
                + "inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz\r\n"), LOCAL, SENDRECV).media();
        assertThat(rekeyed.srtp().remote()).isNotEqualTo(first.srtp().remote());
        assertThat(rekeyed.srtp().local()).isNotEqualTo(first.srtp().local());
    }

    @Test
    void anSrtpOfferWithABadKeyIsRefusedForA488AndAPlainAnswerToOurSrtpOfferIsRefused() throws Exception {
        SdpNegotiator srtp = new SdpNegotiator(List.of(CodecSpec.PCMU), true, true);
        assertThatThrownBy(() -> srtp.answer(offer("m=audio 5000 RTP/SAVP 0\r\na=crypto:1 AES_CM_128_HMAC_SHA1_80 "
                + "inline:AAAA\r\n"), LOCAL, SENDRECV))
                .isInstanceOf(SdpNegotiationException.class).hasMessageContaining("30 bytes");
        srtp.createOffer(LOCAL, SENDRECV);
        assertThatThrownBy(() -> srtp.accept(offer("m=audio 5000 RTP/AVP 0\r\n")))
                .isInstanceOf(SdpNegotiationException.class).hasMessageContaining("without keys");
        // plain RTP offered to an SRTP-capable answerer stays plain
        assertThat(srtp.answer(offer("m=audio 5000 RTP/AVP 0\r\n"), LOCAL, SENDRECV).media().srtp()).isNull();
    }
}
