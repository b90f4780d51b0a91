package io.tandem.backend.call;

import io.tandem.telephony.sdp.MediaDescription;
import io.tandem.telephony.sdp.SessionDescription;
import io.tandem.telephony.srtp.CryptoAttribute;
import io.tandem.telephony.srtp.Sdes;
import io.tandem.telephony.srtp.SdesException;
import io.tandem.telephony.srtp.SrtpSuite;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sip.message.Response;

/**
 * SRTP the node offers a phone it calls over TLS ({@link SrtpTermination#offerTo}): the INVITE's offer is
 * {@code RTP/SAVP} with one {@code a=crypto} line, the node's key for AES_CM_128_HMAC_SHA1_80 (RFC 4568 §6.2.1, the
 * suite every SDES endpoint supports), and the phone's answer is read back to its plain form and the keys its relay
 * leg or stream speaks, as for a caller's SRTP ({@link CallerSrtp}). The node's side of the call stays plain.
 * <p>
 * A phone that does not take SRTP refuses the offer with 488 (RFC 3261 §21.4.26; RFC 3264 §6: an answerer rejects a
 * stream it cannot use). With {@code tandem.sip.tls-require-srtp} that ends the branch; otherwise the INVITE is sent
 * once more with a plain {@code RTP/AVP} offer, same Call-ID and From tag with the next CSeq (as RFC 3261 §8.1.3.5
 * retries a request whose 4xx says what to change), so a TLS phone without SRTP is still reached, as one whose own
 * INVITE offers plain RTP is. Only once: the plain offer is the last. (RFC 5939 capability negotiation would offer
 * both in one INVITE, but few phones speak it.) A phone that answers {@code RTP/AVP}
 * to our {@code RTP/SAVP} has not answered the offer we made (RFC 3264 §6: the answer's stream is the offer's); the
 * node takes it as a plain answer unless SRTP is required, when it is unusable. Not thread-safe: guarded by the lock
 * of the call that owns the branch.
 */
public final class CalleeSrtp {

    /**
     * A phone's answer as the node relays it.
     *
     * @param plain the answer with its audio stream in plain form
     * @param keys  the leg's keys (ours, the phone's); null when the leg stays plain
     */
    public record Answer(SessionDescription plain, Sdes.Keys keys) {
    }

    private final CryptoAttribute key;
    private final boolean required;
    /** The phone refused SRTP and was offered plain RTP: this leg is plain from now on. */
    private boolean plainOffered;
    /** The keys agreed by the answer (then by re-offers, RFC 4568 §7.1.4); null before it and for a plain leg. */
    private Sdes.Keys keys;

    CalleeSrtp(boolean required) {
        this.key = CryptoAttribute.generate(1, SrtpSuite.AES_CM_128_HMAC_SHA1_80, SrtpTermination.RANDOM);
        this.required = required;
    }

    /** True until the phone refused SRTP and the plain offer went instead. */
    public boolean offering() {
        return !plainOffered;
    }

    /** The keys the leg speaks now; null before the answer and when it stays plain. */
    public Sdes.Keys keys() {
        return keys;
    }

    /** The phone re-keyed in a re-offer of its own (RFC 4568 §7.1.4). */
    public void rekeyed(Sdes.Keys newKeys) {
        this.keys = newKeys;
    }

    /** What {@link SdpRewriter} secures the offer with: our key; the phone's comes with its answer. */
    Sdes.Keys offered() {
        return new Sdes.Keys(key, null);
    }

    /** {@code plain} (the node's offer) as this leg sends it: its audio stream in use {@code RTP/SAVP} with our key. */
    public SessionDescription secure(SessionDescription plain) {
        if (plainOffered) {
            return plain;
        }
        List<MediaDescription> media = new ArrayList<>(plain.media());
        audioInUse(plain).ifPresent(i -> media.set(i, SrtpTermination.secured(media.get(i), offered())));
        return plain.withMedia(media);
    }

    /**
     * The phone refused the INVITE with {@code status}: true when the plain offer is to be sent instead, once (488
     * to our SRTP offer, SRTP not required); the reason otherwise is the refusal's own.
     */
    public boolean plainAfter(int status) {
        if (status != Response.NOT_ACCEPTABLE_HERE || plainOffered || required) {
            return false;
        }
        plainOffered = true;
        return true;
    }

    /** Why a refused SRTP offer ends the branch, for the log; null when it was not about SRTP. */
    public String refusal(int status) {
        return status == Response.NOT_ACCEPTABLE_HERE && required && !plainOffered
                ? "the phone refused SRTP over TLS, which tandem.sip.tls-require-srtp requires" : null;
    }

    /**
     * Reads the phone's answer to this leg's offer (RFC 4568 §7.1.2: one {@code a=crypto}, with the tag and suite we
     * offered).
     *
     * @throws SdesException an unusable answer: a crypto line we did not offer, or plain RTP where SRTP is required
     */
    public Answer accept(SessionDescription answer) throws SdesException {
        Optional<Integer> index = audioInUse(answer);
        if (index.isEmpty()) {
            return new Answer(answer, null); // no audio: the caller finds it unusable as for any answer
        }
        MediaDescription m = answer.media().get(index.get());
        if (plainOffered) {
            if (m.isSdesSrtp()) {
                throw new SdesException("the phone answered RTP/SAVP to a plain RTP/AVP offer");
            }
            return new Answer(answer, null);
        }
        if (!m.isSdesSrtp()) {
            if (required) {
                throw new SdesException("the phone answered plain " + m.protocol() + " to the node's SRTP offer, "
                        + "which tandem.sip.tls-require-srtp refuses");
            }
            return new Answer(answer, null);
        }
        keys = Sdes.accept(List.of(key), m.attributes("crypto"));
        List<MediaDescription> media = new ArrayList<>(answer.media());
        media.set(index.get(), SrtpTermination.plain(m));
        return new Answer(answer.withMedia(media), keys);
    }

    private static Optional<Integer> audioInUse(SessionDescription sdp) {
        for (int i = 0; i < sdp.media().size(); i++) {
            MediaDescription m = sdp.media().get(i);
            if (m.isAudio() && m.port() != 0) {
                return Optional.of(i);
            }
        }
        return Optional.empty();
    }
}
