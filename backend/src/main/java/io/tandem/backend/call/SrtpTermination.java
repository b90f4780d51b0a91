package io.tandem.backend.call;

import io.tandem.backend.node.SipProperties;
import io.tandem.telephony.sdp.Attribute;
import io.tandem.telephony.sdp.MediaDescription;
import io.tandem.telephony.sdp.SessionDescription;
import io.tandem.telephony.srtp.Sdes;
import io.tandem.telephony.srtp.SdesException;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * SRTP ends at the node: a caller's SDES-keyed {@code RTP/SAVP} audio stream (RFC 4568) is answered with the node's
 * own key and relayed as plain RTP to the other party, so a TLS+SRTP phone talks to a plain one. The rest of the
 * B2BUA only ever sees the plain form of the offer; {@link SdpRewriter} turns the relayed stream back into
 * {@code RTP/SAVP} with the node's key in whatever it sends on a leg that has {@link Leg#srtp}.
 */
public final class SrtpTermination {
    static final String SAVP = "RTP/SAVP";
    private static final String AVP = "RTP/AVP";
    private static final String CRYPTO = "crypto";

    /**
     * An offer as the B2BUA relays it.
     *
     * @param offer the offer with its SRTP audio stream turned into plain RTP (or unchanged)
     * @param keys  the keys of the caller's leg, null when it stays plain
     */
    record Terminated(SessionDescription offer, Sdes.Keys keys) {
    }

    private final SipProperties.Srtp policy;
    private final boolean tlsRequiresSrtp;
    /** Thread-safe; keys for every call of the node. */
    static final SecureRandom RANDOM = new SecureRandom();

    /** The node's policy: {@code tandem.sip.srtp} and {@code tandem.sip.tls-require-srtp}. */
    public SrtpTermination(SipProperties sip) {
        this(sip.srtp(), sip.tlsRequireSrtp());
    }

    SrtpTermination(SipProperties.Srtp policy, boolean tlsRequiresSrtp) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.tlsRequiresSrtp = tlsRequiresSrtp;
    }

    /**
     * The SRTP the node offers a phone it calls over {@code transport} ({@link CalleeSrtp}); empty for plain RTP.
     * Offered over TLS only, whatever the policy: over UDP or TCP the key would travel in clear (RFC 4568 §8.3), and
     * most phones there do not take SRTP, so every call would pay a refusal first. Never with {@code srtp=off}.
     */
    public Optional<CalleeSrtp> offerTo(String transport) {
        if (policy == SipProperties.Srtp.OFF || !"tls".equalsIgnoreCase(transport)) {
            return Optional.empty();
        }
        return Optional.of(new CalleeSrtp(tlsRequiresSrtp));
    }

    /**
     * SRTP with a new key of the node's for a party that speaks SRTP already and moves to another relay leg (an
     * attended transfer's target): the re-offer that moves it changes the node's key (RFC 4568 §7.1.4 lets a re-offer
     * do so), so the new leg's crypto contexts start afresh on both sides; its answer is read as a first answer is.
     */
    CalleeSrtp renewed() {
        return new CalleeSrtp(tlsRequiresSrtp);
    }

    /**
     * A caller's first offer, received over {@code transport}.
     *
     * @throws SdesException the offer must be refused with 488: unusable keys, or plain RTP over TLS when
     *                       {@code tandem.sip.tls-require-srtp} is on
     */
    Terminated terminate(SessionDescription offer, String transport) throws SdesException {
        boolean overTls = "tls".equalsIgnoreCase(transport);
        Optional<Integer> index = firstSdesAudio(offer);
        boolean accepted = policy == SipProperties.Srtp.ANY || policy == SipProperties.Srtp.TLS && overTls;
        if (index.isEmpty() || !accepted) {
            if (overTls && tlsRequiresSrtp) {
                throw new SdesException("SRTP is required over TLS: offer RTP/SAVP with a=crypto (RFC 4568)");
            }
            return new Terminated(offer, null);
        }
        MediaDescription m = offer.media().get(index.get());
        Sdes.Keys keys = Sdes.answer(m.attributes(CRYPTO), RANDOM);
        return new Terminated(withPlain(offer, index.get()), keys);
    }

    /**
     * A re-offer from a caller whose leg is SRTP ({@code current} not null): its plain form, and the keys, new only
     * when the caller changed its own (RFC 4568 §7.1.4: a re-offer may keep or change the key).
     */
    static Terminated reoffer(SessionDescription offer, Sdes.Keys current) throws SdesException {
        Optional<Integer> index = firstSdesAudio(offer);
        if (index.isEmpty()) {
            throw new SdesException("the call is SRTP: a re-offer must keep RTP/SAVP with a=crypto");
        }
        MediaDescription m = offer.media().get(index.get());
        Sdes.Keys keys = Sdes.answer(m.attributes(CRYPTO), RANDOM);
        if (keys.remote().equals(current.remote())) {
            keys = current;
        }
        return new Terminated(withPlain(offer, index.get()), keys);
    }

    /**
     * The answer of an SRTP party to a re-offer of ours (sent with our key, {@code current.local()}): the keys, new
     * only when the party changed its own (RFC 4568 §7.1.4).
     *
     * @throws SdesException the answer is not SRTP, or chose a crypto line we did not offer
     */
    static Sdes.Keys reanswer(SessionDescription answer, Sdes.Keys current) throws SdesException {
        Optional<Integer> index = firstSdesAudio(answer);
        if (index.isEmpty()) {
            throw new SdesException("the call is SRTP: the answer must keep RTP/SAVP with a=crypto");
        }
        Sdes.Keys keys = Sdes.accept(List.of(current.local()), answer.media().get(index.get()).attributes(CRYPTO));
        return keys.remote().equals(current.remote()) ? current : keys;
    }

    /** The relayed stream as the node sends it on an SRTP leg: {@code RTP/SAVP}, the node's one key. */
    static MediaDescription secured(MediaDescription m, Sdes.Keys keys) {
        List<Attribute> attributes = withoutCrypto(m);
        attributes.add(new Attribute(CRYPTO, keys.local().format()));
        return m.withProtocol(SAVP).withAttributes(attributes);
    }

    /** The relayed stream as the node sends it on a plain leg: what an SRTP party put in it stays on its side. */
    static MediaDescription plain(MediaDescription m) {
        if (!m.protocol().equalsIgnoreCase(SAVP) && m.attributes(CRYPTO).isEmpty()) {
            return m;
        }
        return m.withProtocol(AVP).withAttributes(withoutCrypto(m));
    }

    private static List<Attribute> withoutCrypto(MediaDescription m) {
        List<Attribute> attributes = new ArrayList<>();
        for (Attribute a : m.attributes()) {
            if (!a.name().equalsIgnoreCase(CRYPTO)) {
                attributes.add(a);
            }
        }
        return attributes;
    }

    /** The first audio stream in use, if it is SDES SRTP: what the node relays, as for plain RTP. */
    private static Optional<Integer> firstSdesAudio(SessionDescription offer) {
        for (int i = 0; i < offer.media().size(); i++) {
            MediaDescription m = offer.media().get(i);
            if (m.isAudio() && m.port() != 0) {
                return m.isSdesSrtp() ? Optional.of(i) : Optional.empty();
            }
        }
        return Optional.empty();
    }

    private static SessionDescription withPlain(SessionDescription offer, int index) {
        List<MediaDescription> media = new ArrayList<>(offer.media());
        media.set(index, plain(offer.media().get(index)));
        return offer.withMedia(media);
    }
}
