package io.tandem.telephony.ua;

import io.tandem.telephony.codec.CodecSpec;
import io.tandem.telephony.media.MediaDirection;
import io.tandem.telephony.media.MediaSink;
import io.tandem.telephony.media.MediaSource;
import io.tandem.telephony.rtp.MediaStream;
import io.tandem.telephony.rtp.RtpStatistics;
import io.tandem.telephony.sdp.NegotiatedMedia;
import io.tandem.telephony.sdp.SdpNegotiator;

import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.ServerTransaction;
import javax.sip.message.Request;

/**
 * One call of a {@link UserAgent}, incoming or outgoing. Every action is queued onto the user
 * agent's signalling thread, so methods return at once and may be called from any thread;
 * results arrive as {@link UserAgentListener} events.
 */
public final class Call {
    final UserAgent ua;
    final String callId;
    final boolean incoming;
    final String remoteUri;
    final InviteSession session;

    private volatile CallState state;
    private volatile int endStatus;
    private volatile MediaSource source;
    private volatile MediaSink sink;
    private volatile NegotiatedMedia media;
    private volatile MediaDirection direction = MediaDirection.SENDRECV;
    private volatile boolean localHold;

    // Guarded by the signalling thread.
    Dialog dialog;
    ClientTransaction inviteTx;
    ServerTransaction inviteSt;
    Request invite;
    SdpNegotiator negotiator;
    MediaStream stream;
    boolean mediaStarted;

    Call(UserAgent ua, String callId, boolean incoming, String remoteUri) {
        this.ua = ua;
        this.callId = callId;
        this.incoming = incoming;
        this.remoteUri = remoteUri;
        this.state = incoming ? CallState.RINGING : CallState.CALLING;
        this.session = new InviteSession(this);
    }

    /** The SIP Call-ID. */
    public String id() {
        return callId;
    }

    public boolean isIncoming() {
        return incoming;
    }

    /** The far end's URI (From of an incoming call, the target of an outgoing one). */
    public String remoteUri() {
        return remoteUri;
    }

    /**
     * A header of the INVITE that started this call (for an incoming call: what the caller's side said, such as a
     * queue offer's {@code X-Tandem-Offer} or {@code P-Asserted-Identity}); null when absent.
     */
    public String inviteHeader(String name) {
        javax.sip.message.Request request = invite;
        javax.sip.header.Header header = request == null ? null : request.getHeader(name);
        if (header == null) {
            return null;
        }
        String text = header.toString().trim();
        int colon = text.indexOf(':');
        return colon < 0 ? text : text.substring(colon + 1).trim();
    }

    public CallState state() {
        return state;
    }

    /** SIP status that ended the call (e.g. 486, 487, 200 for a normal hang-up), 0 while it runs. */
    public int endStatus() {
        return endStatus;
    }

    /** The codec the offer/answer chose, or null before it. */
    /** True when the last offer/answer agreed SRTP with SDES keys (RFC 4568). */
    public boolean srtp() {
        NegotiatedMedia m = media;
        return m != null && m.srtp() != null;
    }

    public CodecSpec codec() {
        NegotiatedMedia m = media;
        return m == null ? null : m.codec();
    }

    /** What this side currently does with media (RFC 3264 §8.4): SENDRECV, or a held direction. */
    public MediaDirection mediaDirection() {
        return direction;
    }

    public boolean isOnHold() {
        return localHold;
    }

    /** RTP counters of this call, or null before media exists. */
    public RtpStatistics statistics() {
        MediaStream s = stream;
        return s == null ? null : s.statistics();
    }

    /** Audio to send to the far end (microphone, tone, WAV); null sends silence. */
    public void setSource(MediaSource newSource) {
        this.source = newSource;
        MediaStream s = stream;
        if (s != null) {
            s.setSource(newSource);
        }
    }

    /** Where the far end's audio goes (speaker, recorder); null discards it. */
    public void setSink(MediaSink newSink) {
        this.sink = newSink;
        MediaStream s = stream;
        if (s != null) {
            s.setSink(newSink);
        }
    }

    MediaSource source() {
        return source;
    }

    MediaSink sink() {
        return sink;
    }

    /** Answers a ringing incoming call with 200 OK and our SDP answer. */
    public void answer() {
        ua.onSignalling(this, session::answer);
    }

    /** Refuses a ringing incoming call, e.g. 486 Busy Here, 603 Decline. */
    public void reject(int status) {
        if (status < 300 || status > 699) {
            throw new IllegalArgumentException("a rejection is a final error status (300-699): " + status);
        }
        ua.onSignalling(this, () -> session.reject(status));
    }

    /** Ends the call whatever its state: CANCEL before an answer, BYE after, 603 for a ringing incoming call. */
    public void hangup() {
        ua.onSignalling(this, session::hangup);
    }

    /** Puts the far end on hold: re-INVITE with {@code a=sendonly} (RFC 3264 §8.4). */
    public void hold() {
        ua.onSignalling(this, () -> session.reinvite.send(true));
    }

    /** Resumes a held call: re-INVITE with {@code a=sendrecv}. */
    public void unhold() {
        ua.onSignalling(this, () -> session.reinvite.send(false));
    }

    /**
     * Sends one DTMF digit: RFC 4733 telephone-event when the far end accepted it, else SIP INFO
     * with {@code application/dtmf-relay}.
     */
    public void sendDtmf(char digit) {
        if (!DtmfBodies.isDigit(digit)) {
            throw new IllegalArgumentException("not a DTMF digit: " + digit);
        }
        ua.onSignalling(this, () -> session.dtmf.sendDtmf(digit));
    }

    /** Blind transfer (RFC 3515): asks the far end to call {@code target}; we hang up once it succeeds. */
    public void transfer(String target) {
        ua.onSignalling(this, () -> session.transfer.transfer(target));
    }

    /**
     * Attended transfer (RFC 5589 §7, REFER with Replaces): asks the far end to take {@code consultation}'s place in
     * our call with its party; we hang up this call once it succeeds, the consultation is ended by the far side.
     */
    public void transfer(Call consultation) {
        ua.onSignalling(this, () -> session.transfer.transfer(consultation));
    }

    /**
     * This call's dialog as the far end names it in a Replaces header (RFC 3891 §6.1: its own tag is the to-tag), for
     * a call another device of ours takes over; null before the dialog has both tags.
     */
    public String replacesValue() {
        Dialog d = dialog;
        if (d == null || d.getLocalTag() == null || d.getRemoteTag() == null) {
            return null;
        }
        return callId + ";to-tag=" + d.getRemoteTag() + ";from-tag=" + d.getLocalTag();
    }

    /** Stops refreshing the session (RFC 4028): this phone behaves as one that vanished. */
    public void stopSessionRefresh() {
        ua.onSignalling(this, session.refresh::stop);
    }

    /** Session refreshes (UPDATE) the far end sent us so far. */
    public int sessionRefreshesReceived() {
        return session.refresh.received();
    }

    // --- state changes, signalling thread only ---

    void setState(CallState newState) {
        if (state == newState || state == CallState.ENDED) {
            return;
        }
        state = newState;
        ua.events().post(l -> l.onCallState(this, newState));
        ua.onCallStateChanged(this, newState);
    }

    void end(int status) {
        if (state == CallState.ENDED) {
            return;
        }
        endStatus = status;
        if (stream != null) {
            stream.close();
        }
        setState(CallState.ENDED);
        ua.forget(this);
    }

    void media(NegotiatedMedia negotiated, boolean hold) {
        this.media = negotiated;
        this.direction = negotiated.direction();
        this.localHold = hold;
    }

    @Override
    public String toString() {
        return "Call[" + callId + (incoming ? " from " : " to ") + remoteUri + " " + state + "]";
    }
}
