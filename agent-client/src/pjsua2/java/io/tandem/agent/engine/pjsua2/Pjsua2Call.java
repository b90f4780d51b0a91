package io.tandem.agent.engine.pjsua2;

import io.tandem.agent.engine.CallPhase;
import io.tandem.agent.engine.PhoneCall;
import io.tandem.agent.engine.SipTargets;
import java.time.Instant;
import org.pjsip.pjsua2.AudioMedia;
import org.pjsip.pjsua2.CallInfo;
import org.pjsip.pjsua2.CallMediaInfo;
import org.pjsip.pjsua2.CallOpParam;
import org.pjsip.pjsua2.CallSendDtmfParam;
import org.pjsip.pjsua2.pjmedia_type;
import org.pjsip.pjsua2.pjsip_inv_state;
import org.pjsip.pjsua2.pjsip_status_code;
import org.pjsip.pjsua2.pjsua_call_flag;
import org.pjsip.pjsua2.pjsua_call_media_status;
import org.pjsip.pjsua2.pjsua_dtmf_method;

/**
 * A {@link PhoneCall} on a pjsua2 call. Actions return at once: they run on the engine's PJSIP thread. What PJSIP
 * reports (on its threads, through {@link CallHandle}) updates the fields below and reaches the listener on the
 * engine's thread.
 */
final class Pjsua2Call implements PhoneCall {
    private final Pjsua2PhoneEngine engine;
    private final CallHandle handle;
    private final boolean incoming;
    private final String offerId;
    private final String remoteNumber;
    private final String remoteName;
    private final CallAudio audio;
    private volatile String id = "";
    private volatile CallPhase phase;
    private volatile Instant connectedAt;
    private volatile boolean held;
    private volatile boolean heldByUs;
    private volatile boolean muted;
    private volatile boolean transferReported;
    /** Index of the call's audio in its SDP, -1 before media is up; PJSIP threads only. */
    private volatile int audioIndex = -1;

    Pjsua2Call(Pjsua2PhoneEngine engine, CallHandle handle, boolean incoming, String offerId, String remoteUri,
               CallAudio audio) {
        this.engine = engine;
        this.handle = handle;
        this.incoming = incoming;
        this.offerId = offerId;
        this.remoteNumber = SipTargets.userPart(uriOf(remoteUri));
        this.remoteName = displayName(remoteUri);
        this.audio = audio;
        this.phase = incoming ? CallPhase.RINGING : CallPhase.DIALLING;
        handle.owner(this);
    }

    CallHandle handle() {
        return handle;
    }

    CallAudio audio() {
        return audio;
    }

    void id(String callId) {
        id = callId;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String offerId() {
        return offerId;
    }

    @Override
    public boolean incoming() {
        return incoming;
    }

    @Override
    public String remoteNumber() {
        return remoteNumber;
    }

    @Override
    public String remoteName() {
        return remoteName;
    }

    @Override
    public CallPhase phase() {
        return phase;
    }

    @Override
    public Instant connectedAt() {
        return connectedAt;
    }

    @Override
    public boolean onHold() {
        return held;
    }

    @Override
    public boolean muted() {
        return muted;
    }

    @Override
    public void answer() {
        act("answer", () -> withParam(p -> {
            p.setStatusCode(pjsip_status_code.PJSIP_SC_OK);
            handle.answer(p);
        }));
    }

    @Override
    public void decline() {
        act("decline", () -> withParam(p -> {
            p.setStatusCode(pjsip_status_code.PJSIP_SC_DECLINE);
            handle.hangup(p);
        }));
    }

    @Override
    public void hangUp() {
        act("hang up", () -> withParam(handle::hangup));
    }

    @Override
    public void hold() {
        heldByUs = true;
        act("hold", () -> {
            applyLevel();
            withParam(handle::setHold);
        });
    }

    @Override
    public void resume() {
        heldByUs = false;
        act("resume", () -> withParam(p -> {
            // RFC 3264 §8.4: a new offer with sendrecv takes the call off hold.
            p.getOpt().setFlag(pjsua_call_flag.PJSUA_CALL_UNHOLD);
            handle.reinvite(p);
            applyLevel();
        }));
    }

    @Override
    public void setMuted(boolean newMuted) {
        muted = newMuted;
        act("mute", this::applyLevel);
    }

    @Override
    public void sendDtmf(char digit) {
        act("DTMF " + digit, () -> {
            CallSendDtmfParam p = new CallSendDtmfParam();
            try {
                p.setDigits(String.valueOf(digit));
                p.setMethod(pjsua_dtmf_method.PJSUA_DTMF_METHOD_RFC2833); // RFC 4733 telephone-event
                handle.sendDtmf(p);
            } finally {
                p.delete();
            }
        });
    }

    @Override
    public void transfer(String target) {
        String uri = SipTargets.uri(target, engine.registrar());
        transferReported = false;
        act("transfer to " + uri, () -> withParam(p -> handle.xfer(uri, p)));
    }

    private void act(String what, PjsipThread.PjsipTask task) {
        engine.thread().post(what + " " + this, () -> {
            // After the end or the engine's close the SWIG call is deleted: nothing may touch it.
            if (phase != CallPhase.ENDED && engine.live(this)) {
                task.run();
            }
        });
    }

    private static void withParam(ParamUse use) throws Exception {
        CallOpParam p = new CallOpParam(true);
        try {
            use.accept(p);
        } finally {
            p.delete();
        }
    }

    /** The agent's voice reaches the call unless muted or held by us (the far end's SDP may still let it through). */
    private void applyLevel() throws Exception {
        int index = audioIndex;
        if (index < 0) {
            return;
        }
        AudioMedia media = handle.getAudioMedia(index);
        try {
            media.adjustRxLevel(muted || heldByUs ? 0f : 1f);
        } finally {
            media.delete();
        }
    }

    // --- PJSIP's callbacks (PJSIP threads): read, update, hand off --------------------------------------------------

    void stateChanged() {
        CallPhase next;
        CallInfo info;
        try {
            info = handle.getInfo();
        } catch (Exception e) {
            engine.countCallbackFailure("call state of " + this, e);
            return;
        }
        try {
            if (id.isEmpty()) {
                id = info.getCallIdString();
            }
            next = phaseOf(info.getState(), phase);
        } finally {
            info.delete();
        }
        if (next == phase) {
            return;
        }
        if (next == CallPhase.CONNECTED && connectedAt == null) {
            connectedAt = engine.now();
        }
        phase = next;
        engine.phaseChanged(this, next);
    }

    private static CallPhase phaseOf(int state, CallPhase current) {
        if (state == pjsip_inv_state.PJSIP_INV_STATE_CONFIRMED) {
            return CallPhase.CONNECTED;
        }
        if (state == pjsip_inv_state.PJSIP_INV_STATE_DISCONNECTED) {
            return CallPhase.ENDED;
        }
        return current; // calling, early, connecting: still dialling or ringing
    }

    void mediaChanged() {
        try {
            CallInfo info = handle.getInfo();
            boolean nowHeld = false;
            try {
                for (CallMediaInfo media : info.getMedia()) {
                    if (media.getType() != pjmedia_type.PJMEDIA_TYPE_AUDIO) {
                        continue;
                    }
                    int status = media.getStatus();
                    if (status == pjsua_call_media_status.PJSUA_CALL_MEDIA_LOCAL_HOLD
                            || status == pjsua_call_media_status.PJSUA_CALL_MEDIA_REMOTE_HOLD) {
                        nowHeld = true;
                    }
                    if (status == pjsua_call_media_status.PJSUA_CALL_MEDIA_ACTIVE || nowHeld) {
                        audioIndex = (int) media.getIndex();
                        AudioMedia audioMedia = handle.getAudioMedia(audioIndex);
                        try {
                            audio.connect(audioMedia);
                            audioMedia.adjustRxLevel(muted || heldByUs ? 0f : 1f);
                        } finally {
                            audioMedia.delete();
                        }
                    }
                }
            } finally {
                info.delete();
            }
            if (nowHeld != held) {
                held = nowHeld;
                engine.holdChanged(this, nowHeld);
            }
        } catch (Exception e) {
            engine.countCallbackFailure("media of " + this, e);
        }
    }

    void dtmfReceived(char digit) {
        engine.dtmfReceived(this, digit);
    }

    void transferProgress(int status) {
        if (status < 200 || transferReported) {
            return;
        }
        transferReported = true;
        engine.transferResult(this, status);
        if (status < 300) {
            // The target has the caller: the agent's leg is done (RFC 5589 §6.1, the transferor hangs up).
            hangUp();
        }
    }

    /** {@code "Name" <sip:1001@host>} → {@code sip:1001@host}; a bare URI as it is. */
    static String uriOf(String nameAddr) {
        if (nameAddr == null) {
            return "";
        }
        int open = nameAddr.indexOf('<');
        int close = nameAddr.indexOf('>', open + 1);
        return open >= 0 && close > open ? nameAddr.substring(open + 1, close) : nameAddr.strip();
    }

    /** The display name of {@code "Name" <sip:...>}, unquoted, or empty. */
    static String displayName(String nameAddr) {
        if (nameAddr == null) {
            return "";
        }
        int open = nameAddr.indexOf('<');
        if (open <= 0) {
            return "";
        }
        String name = nameAddr.substring(0, open).strip();
        if (name.length() >= 2 && name.startsWith("\"") && name.endsWith("\"")) {
            name = name.substring(1, name.length() - 1);
        }
        return name;
    }

    @FunctionalInterface
    private interface ParamUse {
        void accept(CallOpParam p) throws Exception;
    }

    @Override
    public String toString() {
        return "call " + id + (incoming ? " from " : " to ") + remoteNumber;
    }
}
