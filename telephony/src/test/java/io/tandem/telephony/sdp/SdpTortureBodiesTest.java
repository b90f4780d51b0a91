package io.tandem.telephony.sdp;

import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.parser.StringMsgParser;
import io.tandem.telephony.codec.CodecSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static io.tandem.telephony.media.MediaDirection.SENDRECV;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The SDP bodies of the RFC 4475 corpus, taken out of the parsed INVITE the way the endpoint gets them. */
class SdpTortureBodiesTest {
    private static final InetSocketAddress LOCAL = new InetSocketAddress(InetAddress.getLoopbackAddress(), 40000);

    private static byte[] raw(String file) throws IOException {
        try (InputStream in = SdpTortureBodiesTest.class.getResourceAsStream("/sip-torture/" + file)) {
            assertThat(in).as(file).isNotNull();
            return in.readAllBytes();
        }
    }

    private static String body(String file) throws Exception {
        SIPMessage message = new StringMsgParser().parseSIPMessage(raw(file), true, false, null);
        return new String(message.getRawContent(), StandardCharsets.UTF_8);
    }

    @Test
    void sdp01OfferParsesAndNegotiatesPcmuWithTheVideoRefused() throws Exception {
        // RFC 4475 §3.3.15: the offer itself is fine; the request fails on its Accept header (406, SipTortureTest).
        SessionDescription offer = SessionDescription.parse(body("sdp01.dat"));
        assertThat(offer.origin()).isEqualTo(new Origin("mhandley", "29739", "7272939", Connection.ip4("192.0.2.5")));
        assertThat(offer.media()).extracting(MediaDescription::media).containsExactly("audio", "video");
        assertThat(offer.media().get(0).codecs()).containsExactly(CodecSpec.PCMU, new CodecSpec("QCELP", 12, 8000, 1));

        SdpAnswer answer = new SdpNegotiator(List.of(CodecSpec.PCMA, CodecSpec.PCMU), true)
                .answer(offer, LOCAL, SENDRECV);
        assertThat(answer.media().codec()).isEqualTo(CodecSpec.PCMU);
        assertThat(answer.media().telephoneEventPayloadType()).isEqualTo(-1);
        assertThat(answer.media().remoteRtp()).isEqualTo(new InetSocketAddress("192.0.2.5", 49217));
        assertThat(answer.description().media()).extracting(MediaDescription::port).containsExactly(40000, 0);
        assertThat(SessionDescription.parse(answer.description().encode())).isEqualTo(answer.description());
    }

    @ParameterizedTest
    @ValueSource(strings = {"wsinv.dat", "wsinv2.dat", "esc01.dat", "longreq.dat", "lwsstart.dat", "multi01.dat",
            "unreason.dat", "bcast.dat"})
    void everyWellFramedTortureBodyNegotiates(String file) throws Exception {
        SessionDescription offer = SessionDescription.parse(body(file));
        SdpAnswer answer = new SdpNegotiator(List.of(CodecSpec.PCMU), false).answer(offer, LOCAL, SENDRECV);
        assertThat(answer.media().codec()).isEqualTo(CodecSpec.PCMU);
        assertThat(answer.description().media()).hasSameSizeAs(offer.media());
    }

    @Test
    void aBodyMissingSessionNameAndTimingIsReadLeniently() throws Exception {
        // mismatch02's body has no s= and no t=; RFC 8866 requires both, but nothing we act on depends on them.
        SessionDescription offer = SessionDescription.parse(body("mismatch02.dat"));
        assertThat(offer.sessionName()).isEqualTo("-");
        assertThat(offer.media().get(0).codecs()).contains(CodecSpec.PCMU);
    }

    @Test
    void theSecondMessageOfDblreqHasABrokenMediaLineAndSaysWhere() throws Exception {
        String all = new String(raw("dblreq.dat"), StandardCharsets.ISO_8859_1);
        String second = all.substring(all.indexOf("INVITE sip:joe@example.com"));
        String secondBody = second.substring(second.indexOf("\r\n\r\n") + 4);
        assertThatThrownBy(() -> SessionDescription.parse(secondBody)).isInstanceOf(SdpException.class)
                .hasMessageContaining("line 7").hasMessageContaining("m =video");
    }
}
