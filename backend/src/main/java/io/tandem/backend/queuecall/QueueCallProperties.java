package io.tandem.backend.queuecall;

import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Queue calls answered on this node ({@code tandem.queuecall.*}).
 *
 * @param musicDirectory  music-on-hold classes: WAV files (8 kHz mono 16-bit) of this directory play in a loop for
 *                        the class {@code default}, those of a sub-directory for the class of that name (Debian
 *                        asterisk-moh-opsound-wav)
 * @param promptDirectory position and estimated-wait prompts ({@code queue-thereare.wav}, {@code digits/5.wav},
 *                        ...; Debian asterisk-core-sounds-en-wav; there is no {@code en} link on a fresh machine)
 * @param placerThreads   threads that ring agents for the offers this node places (off the dispatcher's thread)
 * @param trustedProxies  CIDR blocks (Kamailio, an IVR) whose X-Tandem-Priority/-Skills/-Data headers on a queue
 *                        call are believed; signed inter-node requests are always believed; empty = none
 * @param callbackPrompt  prompts (in {@code promptDirectory}) a caller leaving for a callback hears before the BYE
 * @param sorryPrompt     prompts a caller hears when its overflow extension cannot be reached (and no callback)
 * @param parkPrompt      prompts a caller parked in a room for the callback service hears before its music
 *                        (then its position among the queue's parked callers and wait, on the queue's times)
 * @param joinRefusedPrompt prompts a device dialling a room's join number hears as early media before its 603
 * @param callerSilence a waiting caller from whom no RTP has come for this long is asked with an in-dialog OPTIONS
 *                      whether its phone is still there (RFC 3261 §11); 0s = never asked
 * @param probeTimeout  that OPTIONS unanswered for this long, and still no RTP (or a 481), and the caller has vanished:
 *                      BYE, out of the queue (VANISHED in the queue log, not ABANDON), CDR cause {@code vanished}. With
 *                      the defaults a vanished caller is gone within 20 s + 5 s + 10 s
 * @param safeHarbourPrompt prompts a campaign's answered customer hears when no agent takes the call in time, before
 *                      the BYE (the call counts as abandoned)
 */
@Validated
@ConfigurationProperties("tandem.queuecall")
public record QueueCallProperties(
        @DefaultValue("/usr/share/asterisk/moh") @NotNull Path musicDirectory,
        @DefaultValue("/usr/share/asterisk/sounds/en_US_f_Allison") @NotNull Path promptDirectory,
        @DefaultValue("2") int placerThreads,
        @DefaultValue("") List<String> trustedProxies,
        @DefaultValue({"queue-thankyou", "vm-goodbye"}) List<String> callbackPrompt,
        @DefaultValue({"please-try-call-later", "vm-goodbye"}) List<String> sorryPrompt,
        @DefaultValue({"pls-hold-while-try"}) List<String> parkPrompt,
        @DefaultValue({"im-sorry", "goodbye"}) List<String> joinRefusedPrompt,
        @DefaultValue("20s") @NotNull Duration callerSilence,
        @DefaultValue("10s") @NotNull Duration probeTimeout,
        @DefaultValue({"please-try-call-later", "vm-goodbye"}) List<String> safeHarbourPrompt) {

    public QueueCallProperties {
        if (placerThreads < 1 || placerThreads > 64) {
            throw new IllegalArgumentException("tandem.queuecall.placer-threads must be 1-64");
        }
        if (callerSilence != null && callerSilence.isNegative()) {
            throw new IllegalArgumentException("tandem.queuecall.caller-silence must be 0s or more");
        }
        if (probeTimeout != null && (probeTimeout.isNegative() || probeTimeout.isZero())) {
            throw new IllegalArgumentException("tandem.queuecall.probe-timeout must be positive");
        }
        trustedProxies = trustedProxies == null ? List.of() : List.copyOf(trustedProxies);
        callbackPrompt = callbackPrompt == null ? List.of() : List.copyOf(callbackPrompt);
        sorryPrompt = sorryPrompt == null ? List.of() : List.copyOf(sorryPrompt);
        parkPrompt = parkPrompt == null ? List.of() : List.copyOf(parkPrompt);
        joinRefusedPrompt = joinRefusedPrompt == null ? List.of() : List.copyOf(joinRefusedPrompt);
        safeHarbourPrompt = safeHarbourPrompt == null ? List.of() : List.copyOf(safeHarbourPrompt);
        try {
            TrustedProxies.parse(trustedProxies);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("tandem.queuecall.trusted-proxies: " + e.getMessage());
        }
    }

    /** When a waiting caller's phone is asked whether it is still there, and how long it has to answer. */
    CallerLiveness.Settings liveness() {
        return new CallerLiveness.Settings(callerSilence, probeTimeout);
    }
}
