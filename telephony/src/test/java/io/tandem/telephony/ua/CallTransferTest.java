package io.tandem.telephony.ua;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CallTransferTest {

    @Test
    void readsTheStatusOfASipfrag() {
        assertThat(CallTransfer.sipfragStatus("SIP/2.0 100 Trying\r\n")).isEqualTo(100);
        assertThat(CallTransfer.sipfragStatus("SIP/2.0 200 OK\r\nContact: <sip:x@y>\r\n")).isEqualTo(200);
        assertThat(CallTransfer.sipfragStatus("  SIP/2.0 486 Busy Here")).isEqualTo(486);
    }

    @Test
    void garbageIsNoStatus() {
        assertThat(CallTransfer.sipfragStatus("")).isEqualTo(-1);
        assertThat(CallTransfer.sipfragStatus("INVITE sip:x SIP/2.0")).isEqualTo(-1);
        assertThat(CallTransfer.sipfragStatus("SIP/2.0 abc OK")).isEqualTo(-1);
    }
}
