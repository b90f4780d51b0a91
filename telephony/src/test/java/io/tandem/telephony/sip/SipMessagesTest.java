package io.tandem.telephony.sip;

import org.junit.jupiter.api.Test;

import javax.sip.SipFactory;
import javax.sip.address.Address;
import javax.sip.address.SipURI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.MaxForwardsHeader;
import javax.sip.header.ToHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import java.net.InetAddress;

import static org.assertj.core.api.Assertions.assertThat;

/** Message building without any socket: factories only. */
class SipMessagesTest {
    private final SipMessages messages;

    SipMessagesTest() throws Exception {
        SipFactory f = SipFactory.getInstance();
        f.setPathName("gov.nist");
        messages = new SipMessages(f.createHeaderFactory(), f.createAddressFactory(), f.createMessageFactory(),
                InetAddress.getLoopbackAddress(), 5070, "Tandem-test");
    }

    private Request options() throws Exception {
        SipURI target = messages.addresses().createSipURI("bob", "example.com");
        Address from = messages.addresses().createAddress(messages.addresses().createSipURI("alice", "example.com"));
        return messages.outOfDialog(Request.OPTIONS, target, from, "fromtag", messages.addresses().createAddress(target),
                null, 7, "tcp", "alice");
    }

    @Test
    void outOfDialogRequestCarriesEveryMandatoryHeader() throws Exception {
        Request r = options();
        assertThat(((ViaHeader) r.getHeader(ViaHeader.NAME)).getBranch()).startsWith("z9hG4bK");
        assertThat(((ViaHeader) r.getHeader(ViaHeader.NAME)).getTransport()).isEqualToIgnoringCase("tcp");
        assertThat(((MaxForwardsHeader) r.getHeader(MaxForwardsHeader.NAME)).getMaxForwards()).isEqualTo(70);
        assertThat(((FromHeader) r.getHeader(FromHeader.NAME)).getTag()).isEqualTo("fromtag");
        assertThat(((ToHeader) r.getHeader(ToHeader.NAME)).getTag()).isNull();
        assertThat(((CSeqHeader) r.getHeader(CSeqHeader.NAME)).getSeqNumber()).isEqualTo(7);
        assertThat(((CSeqHeader) r.getHeader(CSeqHeader.NAME)).getMethod()).isEqualTo(Request.OPTIONS);
        assertThat(((CallIdHeader) r.getHeader(CallIdHeader.NAME)).getCallId()).isNotBlank();
        assertThat(r.getHeader("Contact").toString()).contains("sip:alice@127.0.0.1:5070;transport=tcp");
        assertThat(r.getHeader("User-Agent").toString()).contains("Tandem-test");
    }

    @Test
    void responseCopiesTheRequestAndAddsAToTagOnlyAbove100() throws Exception {
        Request r = options();
        Response trying = messages.responseTo(r, 100);
        assertThat(((ToHeader) trying.getHeader(ToHeader.NAME)).getTag()).isNull();

        Response busy = messages.responseTo(r, 486);
        assertThat(busy.getReasonPhrase()).isNotBlank();
        assertThat(((ToHeader) busy.getHeader(ToHeader.NAME)).getTag()).isNotBlank();
        assertThat(busy.getHeader(CallIdHeader.NAME)).isEqualTo(r.getHeader(CallIdHeader.NAME));
        assertThat(busy.getHeader(CSeqHeader.NAME)).isEqualTo(r.getHeader(CSeqHeader.NAME));
        assertThat(busy.getHeader(ViaHeader.NAME)).isEqualTo(r.getHeader(ViaHeader.NAME));
    }

    @Test
    void everyResponseOfADialogCanShareOneToTagAndCarryAPreciseReason() throws Exception {
        Request r = options();
        Response ringing = messages.responseTo(r, 180, null, "dialogtag");
        Response ok = messages.responseTo(r, 200, null, "dialogtag");
        Response refused = messages.responseTo(r, 488, "No common codec", "dialogtag");
        assertThat(((ToHeader) ringing.getHeader(ToHeader.NAME)).getTag()).isEqualTo("dialogtag");
        assertThat(((ToHeader) ok.getHeader(ToHeader.NAME)).getTag()).isEqualTo("dialogtag");
        assertThat(refused.getReasonPhrase()).isEqualTo("No common codec");
    }

    @Test
    void tokensAreFreshAndBranchesCarryTheMagicCookie() {
        assertThat(SipMessages.newToken()).isNotEqualTo(SipMessages.newToken()).hasSize(16);
        assertThat(SipMessages.newBranch()).startsWith("z9hG4bK");
    }
}
