package io.tandem.agent.settings;

import io.tandem.agent.engine.SipSecurity;

/**
 * What the softphone remembers between runs. The password is not among them: it is typed at every login and kept
 * only in memory (a char array wiped after use), never written to disk.
 *
 * @param backendUrl node HTTP URL last logged in to
 * @param tenant     tenant last used (empty: the node's default)
 * @param agentId    agent id last used
 * @param microphone capture device name (empty: system default)
 * @param speaker    playback device name (empty: system default)
 * @param autoAnswer answer offers at once
 * @param ringtone   play a ringtone on offers
 * @param security   SIP transport, trusted certificates, SRTP; applies from the next sign-in
 */
public record PhoneSettings(String backendUrl, String tenant, String agentId, String microphone, String speaker,
                            boolean autoAnswer, boolean ringtone, SipSecurity security) {

    public PhoneSettings {
        security = security == null ? SipSecurity.plain() : security;
    }

    public static PhoneSettings defaults() {
        return new PhoneSettings("http://127.0.0.1:8080", "demo", "", "", "", false, true, SipSecurity.plain());
    }

    public PhoneSettings withLogin(String url, String newTenant, String agent) {
        return new PhoneSettings(url, newTenant, agent, microphone, speaker, autoAnswer, ringtone, security);
    }

    public PhoneSettings withAudio(String newMicrophone, String newSpeaker, boolean newAutoAnswer, boolean newRingtone) {
        return new PhoneSettings(backendUrl, tenant, agentId, newMicrophone, newSpeaker, newAutoAnswer, newRingtone,
                security);
    }

    public PhoneSettings withSecurity(SipSecurity newSecurity) {
        return new PhoneSettings(backendUrl, tenant, agentId, microphone, speaker, autoAnswer, ringtone, newSecurity);
    }
}
