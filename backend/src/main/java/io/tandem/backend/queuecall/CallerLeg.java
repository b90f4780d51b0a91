package io.tandem.backend.queuecall;

import io.tandem.backend.acd.dispatch.Callers;
import io.tandem.backend.acd.queues.QueueDefinition;
import io.tandem.backend.call.CallerSrtp;
import io.tandem.backend.call.SessionTimer;
import io.tandem.backend.node.sip.NodeSignalling;
import io.tandem.telephony.codec.Codecs;
import io.tandem.telephony.media.MediaDirection;
import io.tandem.telephony.media.MediaSource;
import io.tandem.telephony.rtp.RtpMediaStream;
import io.tandem.telephony.sdp.NegotiatedMedia;
import io.tandem.telephony.sdp.SdpAnswer;
import io.tandem.telephony.sdp.SdpException;
import io.tandem.telephony.sdp.SdpNegotiationException;
import io.tandem.telephony.sdp.SdpNegotiator;
import io.tandem.telephony.sdp.SessionDescription;
import io.tandem.telephony.sip.SipMessages;
import io.tandem.telephony.srtp.Sdes;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.SipException;
import javax.sip.ServerTransaction;
import javax.sip.header.Header;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The caller's side of a queue call on this node: the INVITE's server transaction, the dialog our 200 OK makes and
 * the caller's RTP stream, which speaks G.711. Does what the call decides (refuse or answer the INVITE, what the
 * caller hears, the BYE) and answers the requests of the caller's dialog. Guarded by the call's lock.
 */
final class CallerLeg {

    private static final Logger log = LoggerFactory.getLogger(CallerLeg.class);

    private final String callId;
    private final NodeSignalling signalling;
    private final Reinvites reinvites;
    private final QueueMedia media;
    private final RtpMediaStream stream;
    private final SdpNegotiator negotiator = new SdpNegotiator(QueueMedia.G711, true);
    /** The caller came over the signed trunk: our answers tell it this node's id. */
    private final boolean trunk;
    /** The caller's music, resumed after each announcement. */
    private MediaSource music;
    private ServerTransaction invite;
    private Dialog dialog;
    private String toTag;
    /** The last OPTIONS sent to learn whether the caller's phone is still there. */
    private ClientTransaction probe;
    /** The caller ACKed our 200 (RFC 3261 §13.2.2.4): its phone holds the dialog and may be asked in it. */
    private boolean acked;
    /** Our offer, when the INVITE had none (RFC 3261 §13.2.1): the 200 carries it, the caller's ACK the answer. */
    private SessionDescription lateOffer;
    /** A late offer's 200 went out; the caller's ACK owes the answer. */
    private boolean awaitingAnswer;
    /** The caller's SRTP the B2BUA ended, null for plain RTP: our answers carry the node's key (RFC 4568). */
    private CallerSrtp srtp;
    /** Where the caller's RFC 4733 digits go once its stream runs. */
    private Consumer<Character> digits;
    /** The leg's RFC 4028 session timer; null when none was negotiated. */
    private SessionTimer timer;

    CallerLeg(String callId, NodeSignalling signalling, Reinvites reinvites, QueueMedia media, RtpMediaStream stream,
            boolean trunk) {
        this.callId = callId;
        this.signalling = signalling;
        this.reinvites = reinvites;
        this.media = media;
        this.stream = stream;
        this.trunk = trunk;
    }

    /** RFC 3264 §6: the answer to the INVITE's offer from the caller's stream; no common codec throws. */
    SdpAnswer negotiate(ServerTransaction st, SessionDescription offered) throws SdpNegotiationException {
        invite = st;
        SdpAnswer answer = negotiator.answer(offered, media.localRtp(stream), MediaDirection.SENDRECV);
        if (srtp == null) {
            return answer;
        }
        return new SdpAnswer(srtp.secure(answer.description()), answer.media());
    }

    /**
     * The caller's media is SRTP, ended here: the stream decrypts what the caller sends and encrypts what it hears
     * (RFC 3711), and {@link #negotiate} answers {@code RTP/SAVP} with the node's key.
     */
    void secure(CallerSrtp srtp) {
        this.srtp = srtp;
        stream.secure(srtp.keys());
    }

    /**
     * A late offer (RFC 3261 §13.2.1, RFC 3264 §4): the INVITE had no SDP, so our 200 will offer the caller's stream
     * (G.711 and telephone-event) and the caller's ACK answers ({@link #acked}).
     */
    void offer(ServerTransaction st) {
        invite = st;
        lateOffer = negotiator.createOffer(media.localRtp(stream), MediaDirection.SENDRECV);
        awaitingAnswer = true;
    }

    /** The dialog our 2xx will establish (RFC 3261 §12.1.1) and its To tag; false when the stack cannot make it. */
    boolean openDialog() {
        try {
            dialog = signalling.endpoint().provider().getNewDialog(invite);
        } catch (Exception e) {
            return false;
        }
        toTag = SipMessages.newToken();
        return true;
    }

    /** The door's refusal of the caller's join, as SIP says it. */
    void refuse(Callers.Refused refused, String queueNumber) {
        switch (refused) {
            case QUEUE_FULL -> refuse(Response.BUSY_HERE, "Queue full", queueNumber);
            case QUEUE_EMPTY -> refuse(Response.TEMPORARILY_UNAVAILABLE, "No agent logged in to the queue",
                    queueNumber);
            case ALREADY_WAITING -> refuse(Response.LOOP_DETECTED, "This call already waits in the queue",
                    queueNumber);
            default -> refuse(Response.NOT_FOUND, "No such queue", queueNumber);
        }
    }

    /** 183 Session Progress with our SDP answer: what the caller hears next is early media (RFC 3261 §13.3.1.1). */
    void early(SdpAnswer answer, String contactUser) {
        signalling.respond(invite, Response.SESSION_PROGRESS, null, toTag, contactUser, answer.description().encode(),
                trunk);
    }

    /** A final refusal whose reason the phone can show: the reason phrase and RFC 3326's Reason header. */
    void decline(int status, String reason) {
        Response response = signalling.endpoint().messages().responseTo(invite.getRequest(), status, reason, toTag);
        response.addHeader(signalling.header("Reason", "SIP ;cause=" + status + " ;text=\"" + reason + "\""));
        signalling.send(invite, response, trunk);
    }

    /** A final non-2xx answer to the INVITE. */
    void refuse(int status, String reason, String queueNumber) {
        signalling.respond(invite, status, reason, toTag, queueNumber, null, trunk);
    }

    /**
     * The stream starts towards the caller and its RFC 4733 digits go to {@code digits} (one that fails is logged,
     * the next still arrives); then {@link #ok}. {@code media} null after a late offer: it starts once the ACK brings
     * the answer ({@link #acked}).
     */
    void start(NegotiatedMedia media, Consumer<Character> digits) {
        this.digits = digits;
        if (media != null) {
            startStream(media);
        }
    }

    private void startStream(NegotiatedMedia media) {
        stream.start(media.remoteRtp(), Codecs.create(media.codec()), media.telephoneEventPayloadType());
        listenForDigits();
    }

    private void listenForDigits() {
        stream.onDtmf(digit -> {
            try {
                digits.accept(digit);
            } catch (RuntimeException e) {
                log.warn("queue call {}: digit {} failed", callId, digit, e);
            }
        });
    }

    /**
     * The caller talks to nobody any more (its agent transferred it): what it says goes nowhere and its digits are
     * the call's again, not a {@link CallBridge}'s to relay to a closed stream; what it hears is set next.
     */
    void unbridge() {
        stream.setSink(null);
        if (digits != null) {
            listenForDigits();
        }
    }

    /** The leg's session timer (RFC 4028), negotiated on its INVITE; it starts with our 200. */
    void timed(SessionTimer sessionTimer) {
        timer = sessionTimer;
    }

    /**
     * 200 OK to the INVITE, with our SDP answer; {@code answer} null after a late offer: with our offer. With a
     * session timer, the 200 carries its interval and refresher (RFC 4028 §9) and the interval starts.
     */
    void ok(SdpAnswer answer, String queueNumber) {
        String sdp = answer != null ? answer.description().encode() : lateOffer.encode();
        signalling.respond(invite, Response.OK, null, toTag, queueNumber, sdp, trunk, sessionHeaders());
        if (timer != null) {
            timer.start();
        }
    }

    /** The session timer's headers for a 2xx to an INVITE or UPDATE of the caller (RFC 4028 §9); none without. */
    private List<Header> sessionHeaders() {
        return timer == null ? List.of() : timer.headers(signalling.endpoint().messages().headers());
    }

    /** An UPDATE without a body from the caller: a session refresh (RFC 4028 §10), answered with the terms. */
    void refreshedByUpdate(ServerTransaction st) {
        if (timer != null) {
            timer.refreshed();
        }
        signalling.respond(st, Response.OK, null, null, null, null, trunk, sessionHeaders());
    }

    /** Our refreshing UPDATE (RFC 4028 §7.4) in the caller's dialog; null when it cannot be sent. */
    ClientTransaction update(List<Header> headers) {
        if (dialog == null) {
            return null;
        }
        try {
            Request update = signalling.request(dialog, Request.UPDATE);
            headers.forEach(update::setHeader);
            return signalling.send(dialog, update);
        } catch (SipException e) {
            signalling.failed("request", "UPDATE to queue caller " + callId, e);
            return null;
        }
    }

    /** The answer to one of our requests in the caller's dialog: a session refresh's goes to the timer. */
    void answered(ClientTransaction tx, int status) {
        if (timer != null && timer.owns(tx)) {
            timer.onRefreshAnswer(status);
        }
    }

    /** One of our requests in the caller's dialog timed out: a session refresh's is the timer's (§10). */
    void timedOut(ClientTransaction tx) {
        if (timer != null && timer.owns(tx)) {
            timer.onRefreshTimeout();
        }
    }

    /** What the caller hears from the next frame on (music, an announcement, a goodbye). */
    void hear(MediaSource source) {
        stream.setSource(source);
    }

    /** The queue's music class plays, looping. */
    void playMusic(String musicClass) {
        music = media.music(musicClass);
        stream.setSource(music);
    }

    /** The queue's music class, looping, kept to resume after announcements; what the caller hears is unchanged. */
    MediaSource music(String musicClass) {
        music = media.music(musicClass);
        return music;
    }

    /** The caller is told its position and estimated wait, then its music resumes. */
    void announce(QueueDefinition.Announcements what, QueueSeat.Position at) {
        stream.setSource(media.announcement(what, at.position(), at.estimatedWait(), music));
        log.debug("queue call {}: announced position {} and wait {}", callId, at.position(), at.estimatedWait());
    }

    RtpMediaStream stream() {
        return stream;
    }

    String callId() {
        return callId;
    }

    /**
     * The caller's ACK of our 200. After a late offer it carries the answer (RFC 3264 §4): the stream starts with
     * what it agreed. Returns why the call cannot go on — {@code ack-without-sdp} or {@code unacceptable-answer}, as
     * a late-offer call between extensions says it — or empty.
     */
    Optional<String> acked(Request ack) {
        acked = true;
        if (!awaitingAnswer) {
            return Optional.empty();
        }
        awaitingAnswer = false;
        String body = SipMessages.bodyText(ack);
        if (body == null || body.isBlank()) {
            return Optional.of("ack-without-sdp");
        }
        NegotiatedMedia agreed;
        try {
            agreed = negotiator.accept(SessionDescription.parse(body));
        } catch (SdpException | SdpNegotiationException e) {
            log.info("queue call {}: the ACK's answer is unusable: {}", callId, e.getMessage());
            return Optional.of("unacceptable-answer");
        }
        startStream(agreed);
        return Optional.empty();
    }

    /** The caller and {@code other} (started) hear each other through a {@link FramePipe} each way. */
    void bridgeTo(RtpMediaStream other) {
        FramePipe toOther = new FramePipe();
        FramePipe toCaller = new FramePipe();
        stream.setSink(toOther);
        other.setSource(toOther);
        other.setSink(toCaller);
        stream.setSource(toCaller);
    }

    boolean owns(Dialog other) {
        return other == dialog;
    }

    void bye() {
        signalling.bye(dialog);
    }

    /**
     * An OPTIONS in the caller's dialog (RFC 3261 §11), to learn whether its phone still holds the call; false before
     * the caller's ACK (Timer H watches a missing one, RFC 3261 §13.3.1.4) or when the request cannot be sent.
     */
    boolean probe() {
        if (dialog == null || !acked) {
            return false;
        }
        try {
            probe = signalling.send(dialog, signalling.request(dialog, Request.OPTIONS));
        } catch (SipException e) {
            signalling.failed("request", "OPTIONS to queue caller " + callId, e);
            probe = null;
        }
        return probe != null;
    }

    /** {@code tx} is the last probe sent to the caller. */
    boolean ownsProbe(ClientTransaction tx) {
        return tx != null && tx == probe;
    }

    /** Answers a request of the caller's dialog without a body. */
    void respond(ServerTransaction st, int status) {
        signalling.respond(st, status, null, null, null, null, trunk);
    }

    /** A re-INVITE of the caller's (hold, session refresh, RFC 4028 §10): answered from the same stream. */
    void reanswer(ServerTransaction st, String queueNumber) {
        if (timer != null) {
            timer.refreshed();
        }
        Sdes.Keys keys = reinvites.answer(st, stream, negotiator, queueNumber, trunk,
                srtp == null ? null : srtp.keys(), sessionHeaders());
        if (srtp != null && keys != srtp.keys()) {
            srtp = new CallerSrtp(srtp.offer(), keys); // RFC 4568 §7.1.4: the caller re-keyed, so did we
        }
    }

    void close() {
        if (timer != null) {
            timer.stop();
        }
        stream.close();
    }
}
