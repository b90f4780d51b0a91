package io.tandem.backend.queuecall;

import io.tandem.backend.node.sip.TrunkSignature;
import io.tandem.backend.routing.Route;
import io.tandem.telephony.sip.SipEndpoint;
import io.tandem.telephony.sip.SipMessages;
import io.tandem.telephony.codec.Codecs;
import io.tandem.telephony.media.MediaDirection;
import io.tandem.telephony.sdp.NegotiatedMedia;
import io.tandem.telephony.sdp.SdpAnswer;
import io.tandem.telephony.sdp.SessionDescription;
import javax.sip.ClientTransaction;
import javax.sip.ServerTransaction;
import javax.sip.address.Address;
import javax.sip.address.SipURI;
import javax.sip.header.ContactHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SIP messages of a supervisor leg, built like an offer's ({@link QueueSignalling}): the node's advertised
 * address in Via and Contact, signed with the trunk headers when the supervisor's phone is on another node. The
 * From names the call being monitored, so the supervisor's phone shows what it is about to join.
 */
final class MonitorSignalling {

    private static final Logger log = LoggerFactory.getLogger(MonitorSignalling.class);

    private MonitorSignalling() {
    }

    static boolean invite(QueueSignalling signalling, TrunkSignature trunk, MonitorLeg leg, Route.Target target,
            String fromUser, String display, String sdp) {
        SipEndpoint ep = signalling.endpoint();
        SipMessages messages = ep.messages();
        try {
            String transport = target.transport();
            ContactHeader contact = signalling.contact(fromUser, transport);
            Address from = messages.addresses().createAddress(messages.addresses().createSipURI(fromUser,
                    signalling.host()));
            from.setDisplayName(display);
            String extension = leg.monitor.extension();
            Address to = messages.addresses().createAddress(messages.addresses().createSipURI(extension,
                    signalling.host()));
            Request invite = messages.outOfDialog(Request.INVITE, messages.addresses().createURI(target.requestUri()),
                    from, SipMessages.newToken(), to, leg.legCallId, 1, transport, null);
            ViaHeader via = (ViaHeader) invite.getHeader(ViaHeader.NAME);
            via.setHost(signalling.host());
            via.setPort(((SipURI) contact.getAddress().getURI()).getPort());
            invite.setHeader(contact);
            if (target.viaTrunk()) {
                trunk.sign(invite, messages.headers(), signalling.nodeId(), extension, leg.tenant);
            }
            messages.setBody(invite, QueueSignalling.SDP, sdp);
            ClientTransaction tx = ep.provider().getNewClientTransaction(invite);
            leg.dialog = ep.provider().getNewDialog(tx);
            leg.inviteTx = tx;
            tx.sendRequest();
            return true;
        } catch (Exception e) {
            log.warn("cannot send the monitor INVITE to {}: {}", target.requestUri(), e.getMessage());
            return false;
        }
    }

    /** RFC 3261 §13.2.2.4: the ACK of a 2xx is the dialog's own request; kept for a retransmitted 2xx. */
    static void ack(MonitorLeg leg, long cseq) {
        try {
            Request ack = leg.dialog.createAck(cseq);
            leg.lastAck = ack;
            leg.dialog.sendAck(ack);
        } catch (Exception e) {
            log.debug("cannot ACK {}: {}", leg, e.getMessage());
        }
    }

    static void reack(MonitorLeg leg) {
        if (leg.lastAck != null && leg.dialog != null) {
            try {
                leg.dialog.sendAck(leg.lastAck);
            } catch (Exception e) {
                log.debug("cannot re-ACK {}: {}", leg, e.getMessage());
            }
        }
    }

    /** RFC 3261 §9.1: CANCEL only once a provisional response arrived; otherwise when one does. */
    static void cancel(QueueSignalling signalling, MonitorLeg leg) {
        if (leg.inviteTx == null) {
            return;
        }
        if (!leg.provisional) {
            leg.cancelPending = true;
            return;
        }
        try {
            Request cancel = leg.inviteTx.createCancel();
            signalling.endpoint().provider().getNewClientTransaction(cancel).sendRequest();
        } catch (Exception e) {
            log.debug("cannot CANCEL {}: {}", leg, e.getMessage());
        }
    }

    /** RFC 3264 §8: a new offer from the supervisor's phone (hold, refresh) is answered from the same stream. */
    static void reanswer(QueueCalls calls, MonitorLeg leg, ServerTransaction st) {
        try {
            SdpAnswer answer = leg.negotiator.answer(SessionDescription.parse(SipMessages.bodyText(st.getRequest())),
                    calls.localRtp(leg.stream), MediaDirection.SENDRECV);
            NegotiatedMedia media = answer.media();
            leg.stream.start(media.remoteRtp(), Codecs.create(media.codec()), media.telephoneEventPayloadType());
            leg.stream.setDirection(media.direction());
            calls.signalling.respond(st, Response.OK, null, null, leg.queue, answer.description().encode(), false);
        } catch (Exception e) {
            calls.signalling.respond(st, Response.NOT_ACCEPTABLE_HERE, "Unusable SDP offer", null, null, null, false);
        }
    }
}
