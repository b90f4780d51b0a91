package io.tandem.callback.push.apns;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ApnsTopicTest {

    @Test
    void theVoipTopicIsTheBundleIdWithVoip() {
        // RFC 8599 §9.2's example: pn-param=DEF123GHIJ.com.example.yourexampleapp.voip
        assertThat(ApnsTopic.ofVoip("DEF123GHIJ.com.example.yourexampleapp.voip"))
                .contains("com.example.yourexampleapp.voip");
    }

    @Test
    void aParamThatIsNotForVoipOrHasNoTeamOrBundleIsRejected() {
        assertThat(ApnsTopic.ofVoip("DEF123GHIJ.com.example.app.apns")).isEmpty();
        assertThat(ApnsTopic.ofVoip("com")).isEmpty();
        assertThat(ApnsTopic.ofVoip(".com.example.voip")).isEmpty();
        assertThat(ApnsTopic.ofVoip("DEF123GHIJ.voip")).isEmpty();
        assertThat(ApnsTopic.ofVoip("")).isEmpty();
    }
}
