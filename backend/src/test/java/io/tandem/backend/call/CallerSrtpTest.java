package io.tandem.backend.call;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.backend.node.SipProperties;
import io.tandem.telephony.sdp.MediaDescription;
import io.tandem.telephony.sdp.SessionDescription;
import org.junit.jupiter.api.Test;

class CallerSrtpTest {

    private static final String KEY = "WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz";
    private static final String SRTP_OFFER = "v=0\r\no=alice 42 7 IN IP4 192.0.2.10\r\ns=-\r\nc=IN IP4 192.0.2.10\r\n"
            + "t=0 0\r\nm=video 0 RTP/SAVP 96\r\nm=audio 4000 RTP/SAVP 0 101\r\na=rtpmap:0 PCMU/8000\r\n"
            + "a=rtpmap:101 telephone-event/8000\r\na=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" + KEY + "\r\n";
    /** A feature's answer to the plain form: the refused video stream first, then the audio it speaks. */
    private static final String PLAIN_ANSWER = "v=0\r\no=tandem 1 1 IN IP4 198.51.100.1\r\ns=-\r\n"
            + "c=IN IP4 198.51.100.1\r\nt=0 0\r\nm=video 0 RTP/AVP 96\r\nm=audio 30000 RTP/AVP 0 101\r\n"
            + "a=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\n";

    @Test
    void aFeaturesAnswerGoesBackAsSrtpWithTheNodesKeyOnTheAudioStreamInUse() throws Exception {
        SrtpTermination.Terminated t = new SrtpTermination(SipProperties.Srtp.TLS, false)
                .terminate(SessionDescription.parse(SRTP_OFFER), "tls");
        CallerSrtp srtp = new CallerSrtp(t.offer(), t.keys());
        assertThat(srtp.offer().media().get(1).protocol()).as("the feature negotiates plain RTP").isEqualTo("RTP/AVP");

        SessionDescription answer = srtp.secure(SessionDescription.parse(PLAIN_ANSWER));
        MediaDescription audio = answer.media().get(1);
        assertThat(audio.protocol()).isEqualTo("RTP/SAVP");
        assertThat(audio.attributes("crypto")).containsExactly(t.keys().local().format());
        assertThat(answer.media().get(0).protocol()).as("a refused stream is left alone").isEqualTo("RTP/AVP");
        assertThat(answer.media().get(0).attributes("crypto")).isEmpty();
    }
}
