package io.tandem.backend.node.sip;

import io.tandem.telephony.sip.SipEndpoint;
import io.tandem.telephony.sip.SipMessages;
import java.util.function.Supplier;
import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.InvalidArgumentException;
import javax.sip.SipException;
import javax.sip.header.MaxForwardsHeader;
import javax.sip.message.Request;

/** {@link BranchSender} on the node's JAIN-SIP endpoint. */
final class JainBranchSender implements BranchSender {

    private final Supplier<SipEndpoint> endpoint;

    JainBranchSender(Supplier<SipEndpoint> endpoint) {
        this.endpoint = endpoint;
    }

    @Override
    public Sent invite(Request invite) throws SipException {
        SipEndpoint ep = endpoint.get();
        ClientTransaction tx = ep.provider().getNewClientTransaction(invite);
        Dialog dialog = ep.provider().getNewDialog(tx);
        tx.sendRequest();
        return new Sent(tx, dialog);
    }

    @Override
    public Request ack(Dialog dialog, long cseq) throws SipException {
        try {
            Request ack = dialog.createAck(cseq);
            dialog.sendAck(ack);
            return ack;
        } catch (InvalidArgumentException e) {
            throw new SipException("bad CSeq " + cseq + " for the ACK", e);
        }
    }

    @Override
    public void resendAck(Dialog dialog, Request ack) throws SipException {
        dialog.sendAck(ack);
    }

    @Override
    public void cancel(ClientTransaction invite) throws SipException {
        Request cancel = invite.createCancel();
        endpoint.get().provider().getNewClientTransaction(cancel).sendRequest();
    }

    @Override
    public void bye(Dialog dialog) throws SipException {
        Request bye = dialog.createRequest(Request.BYE);
        if (bye.getHeader(MaxForwardsHeader.NAME) == null) {
            try {
                bye.setHeader(endpoint.get().messages().headers().createMaxForwardsHeader(SipMessages.MAX_FORWARDS));
            } catch (InvalidArgumentException e) {
                throw new SipException("bad Max-Forwards", e);
            }
        }
        ClientTransaction tx = endpoint.get().provider().getNewClientTransaction(bye);
        dialog.sendRequest(tx);
    }
}
