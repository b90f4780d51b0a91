package io.tandem.callback.push.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WebSocketPushProviderTest {

    @Test
    void theSoftphoneDialsJoinAndItsTokenAtTheRoomsNode() {
        assertThat(WebSocketPushProvider.joinUri("sip:127.0.0.1:5062", "abc.def"))
                .isEqualTo("sip:join*abc.def@127.0.0.1:5062");
        assertThat(WebSocketPushProvider.joinUri("sip:[::1]:5060", "t.s")).isEqualTo("sip:join*t.s@[::1]:5060");
    }
}
