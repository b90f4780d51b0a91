package io.tandem.agent.engine;

import io.tandem.telephony.media.MediaSink;
import io.tandem.telephony.ua.Call;
import io.tandem.telephony.ua.CallState;
import java.time.Instant;

/** A {@link PhoneCall} on a telephony {@link Call}, with its own audio (mutable microphone, playback). */
final class TelephonyCall implements PhoneCall {
    /** Set by the node on the INVITE that rings an agent for a queue offer. */
    static final String OFFER_HEADER = "X-Tandem-Offer";
    private final Call call;
    private final MutableSource microphone;
    private final MediaSink speaker;
    private final String target;
    private volatile Instant connectedAt;
    private volatile boolean held;

    TelephonyCall(Call call, MutableSource microphone, MediaSink speaker, String target) {
        this.call = call;
        this.microphone = microphone;
        this.speaker = speaker;
        this.target = target;
        call.setSource(microphone);
        call.setSink(speaker);
    }

    Call call() {
        return call;
    }

    @Override
    public String id() {
        return call.id();
    }

    @Override
    public String offerId() {
        String header = call.isIncoming() ? call.inviteHeader(OFFER_HEADER) : null;
        return header == null ? "" : header;
    }

    @Override
    public boolean incoming() {
        return call.isIncoming();
    }

    @Override
    public String remoteNumber() {
        return target != null ? target : SipTargets.userPart(call.remoteUri());
    }

    @Override
    public String remoteName() {
        return "";
    }

    @Override
    public CallPhase phase() {
        return phaseOf(call.state(), call.isIncoming());
    }

    static CallPhase phaseOf(CallState state, boolean incoming) {
        return switch (state) {
            case CALLING, EARLY_MEDIA -> CallPhase.DIALLING;
            case RINGING -> incoming ? CallPhase.RINGING : CallPhase.DIALLING;
            case CONNECTED -> CallPhase.CONNECTED;
            case ENDED -> CallPhase.ENDED;
        };
    }

    @Override
    public Instant connectedAt() {
        return connectedAt;
    }

    void connected(Instant at) {
        if (connectedAt == null) {
            connectedAt = at;
        }
    }

    @Override
    public boolean onHold() {
        return held;
    }

    void held(boolean newHeld) {
        held = newHeld;
    }

    @Override
    public boolean muted() {
        return microphone.muted();
    }

    @Override
    public void answer() {
        call.answer();
    }

    @Override
    public void decline() {
        call.reject(603);
    }

    @Override
    public void hangUp() {
        call.hangup();
    }

    @Override
    public void hold() {
        microphone.setHeld(true);
        call.hold();
    }

    @Override
    public void resume() {
        microphone.setHeld(false);
        call.unhold();
    }

    @Override
    public void setMuted(boolean muted) {
        microphone.setMuted(muted);
    }

    @Override
    public void sendDtmf(char digit) {
        call.sendDtmf(digit);
    }

    @Override
    public void transfer(String transferTarget) {
        call.transfer(transferTarget);
    }

    /** Releases the audio devices or files once the call is over. */
    void releaseAudio() {
        microphone.close();
        if (speaker != null) {
            speaker.close();
        }
    }

    @Override
    public String toString() {
        return "call " + call.id() + (incoming() ? " from " : " to ") + remoteNumber();
    }
}
