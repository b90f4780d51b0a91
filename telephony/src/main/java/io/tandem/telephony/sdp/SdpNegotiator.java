package io.tandem.telephony.sdp;

import io.tandem.telephony.codec.CodecSpec;
import io.tandem.telephony.media.MediaDirection;
import io.tandem.telephony.srtp.CryptoAttribute;
import io.tandem.telephony.srtp.Sdes;
import io.tandem.telephony.srtp.SdesException;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;

/**
 * RFC 3264 offer/answer for one call leg and one audio stream. Stateful: keeps the {@code o=} session id and bumps
 * the version on every description it produces (RFC 3264 §8), and remembers its last offer so that
 * {@link #accept} can read the answer against it. Thread-safe (calls may arrive on different SIP threads).
 */
public final class SdpNegotiator {
    /** DTMF events 0-9 * # A-D flash: what RFC 4733 §3.2 calls the minimum telephone-event set, and all we handle. */
    static final String TELEPHONE_EVENTS = "0-16";
    private static final String TELEPHONE_EVENT = "telephone-event";
    /** Our packetisation: 20 ms frames (AudioFrames). */
    private static final int PTIME = 20;
    private static final String USERNAME = "tandem";
    private static final String SAVP = "RTP/SAVP";
    private static final String CRYPTO = "crypto";

    private final List<CodecSpec> localCodecs;
    private final boolean telephoneEvent;
    /** One telephone-event per clock rate we may send audio at (RFC 4733 §2.1), 8000 first. */
    private final List<CodecSpec> offerTelephoneEvents;
    private final long sessionId;
    /** Offer and accept SDES-keyed SRTP (RFC 4568). */
    private final boolean srtp;
    private final SecureRandom random;
    /** Our offered keys, made once: a re-offer keeps them, so a re-INVITE does not restart the crypto contexts. */
    private List<CryptoAttribute> offeredCrypto; // guarded by this
    /** The keys of the last SRTP exchange (an answer we gave or took), kept for re-offers with the same key. */
    private Sdes.Keys answeredKeys; // guarded by this

    // guarded by this
    private long version;
    // guarded by this: our last offer and the direction we offered, for accept()
    private SessionDescription lastOffer;
    private int lastOfferAudioIndex = -1;
    private MediaDirection lastOfferDirection;

    /**
     * @param localCodecs     codecs we can run, most preferred first (telephone-event entries are ignored here)
     * @param telephoneEvent  whether we offer/accept RFC 4733 DTMF
     */
    public SdpNegotiator(List<CodecSpec> localCodecs, boolean telephoneEvent) {
        this(localCodecs, telephoneEvent, false);
    }

    /**
     * @param srtp offer {@code RTP/SAVP} with SDES keys, accept it when offered (RFC 4568), instead of plain RTP
     */
    public SdpNegotiator(List<CodecSpec> localCodecs, boolean telephoneEvent, boolean srtp) {
        this.srtp = srtp;
        this.random = srtp ? new SecureRandom() : null;
        List<CodecSpec> codecs = new ArrayList<>();
        for (CodecSpec c : Objects.requireNonNull(localCodecs, "localCodecs")) {
            if (!isTelephoneEvent(c) && codecs.stream().noneMatch(x -> x.sameCodecAs(c))) {
                codecs.add(c);
            }
        }
        if (codecs.isEmpty()) {
            throw new IllegalArgumentException("at least one local audio codec is required");
        }
        Set<Integer> used = codecs.stream().map(CodecSpec::payloadType).collect(Collectors.toSet());
        if (used.size() != codecs.size()) {
            throw new IllegalArgumentException("local codecs must have distinct payload types: " + codecs);
        }
        this.localCodecs = List.copyOf(codecs);
        this.telephoneEvent = telephoneEvent;
        this.offerTelephoneEvents = telephoneEvents(codecs, used);
        // RFC 4566 §5.2 suggests an NTP timestamp; any unique number works, and a random one leaks nothing.
        this.sessionId = ThreadLocalRandom.current().nextLong(1, 1L << 53);
        this.version = ThreadLocalRandom.current().nextLong(1, 1L << 32);
    }

    public List<CodecSpec> localCodecs() {
        return localCodecs;
    }

    /** Offer every local codec (and telephone-event) from {@code localRtp}; {@code direction} SENDONLY is hold. */
    public synchronized SessionDescription createOffer(InetSocketAddress localRtp, MediaDirection direction) {
        Objects.requireNonNull(direction, "direction");
        Connection c = connectionOf(localRtp);
        List<CodecSpec> codecs = new ArrayList<>(localCodecs);
        Map<Integer, String> fmtp = Map.of();
        if (telephoneEvent) {
            codecs.addAll(offerTelephoneEvents);
            fmtp = offerTelephoneEvents.stream()
                    .collect(Collectors.toMap(CodecSpec::payloadType, te -> TELEPHONE_EVENTS));
        }
        MediaDescription audio = MediaDescription.audio(localRtp.getPort(), codecs, fmtp, direction)
                .withPtime(PTIME, 0);
        if (srtp) {
            if (offeredCrypto == null) {
                offeredCrypto = Sdes.offer(random);
            }
            List<Attribute> attributes = new ArrayList<>(audio.attributes());
            offeredCrypto.forEach(key -> attributes.add(new Attribute(CRYPTO, key.format())));
            audio = audio.withProtocol(SAVP).withAttributes(attributes);
        }
        SessionDescription offer = new SessionDescription(nextOrigin(c), USERNAME, c, List.of(audio));
        lastOffer = offer;
        lastOfferAudioIndex = 0;
        lastOfferDirection = direction;
        return offer;
    }

    /**
     * Answers an offer (RFC 3264 §6): the first usable audio stream is negotiated, every other stream is refused
     * with port 0 in the same position. We pick the first codec in the OFFER's order that we support.
     *
     * @param wanted the direction we want; the result is {@code wanted ∩ reverse(offer)}, and a
     *               {@code c=0.0.0.0} offer (RFC 3264 §8.4 hold) means we do not send
     * @throws SdpNegotiationException no audio, audio disabled, only SRTP, no common codec, no address (SIP 488)
     */
    public synchronized SdpAnswer answer(SessionDescription offer, InetSocketAddress localRtp, MediaDirection wanted)
            throws SdpNegotiationException {
        Objects.requireNonNull(offer, "offer");
        Objects.requireNonNull(wanted, "wanted");
        Chosen chosen = choose(offer);
        MediaDescription offered = offer.media().get(chosen.index);
        Connection remote = offer.connectionFor(offered).orElseThrow();

        MediaDirection ours = Directions.intersect(wanted, offered.direction().reverse());
        if (remote.isHold()) {
            ours = Directions.withoutSending(ours);
        }
        List<CodecSpec> answerCodecs = new ArrayList<>(List.of(chosen.codec));
        Map<Integer, String> fmtp = Map.of();
        int tePt = -1;
        if (chosen.telephoneEvent != null) {
            tePt = chosen.telephoneEvent.payloadType();
            answerCodecs.add(chosen.telephoneEvent);
            fmtp = Map.of(tePt, TELEPHONE_EVENTS);
        }
        Connection local = connectionOf(localRtp);
        MediaDescription audio = MediaDescription.audio(localRtp.getPort(), answerCodecs, fmtp, ours)
                .withProtocol(offered.protocol())
                .withPtime(PTIME, 0);
        Sdes.Keys keys = null;
        if (offered.isSdesSrtp()) {
            keys = answerKeys(offered.attributes(CRYPTO));
            List<Attribute> attributes = new ArrayList<>(audio.attributes());
            attributes.add(new Attribute(CRYPTO, keys.local().format()));
            audio = audio.withAttributes(attributes);
        }
        List<MediaDescription> media = new ArrayList<>(offer.media().size());
        for (int i = 0; i < offer.media().size(); i++) {
            media.add(i == chosen.index ? audio : refused(offer.media().get(i)));
        }
        SessionDescription answer = new SessionDescription(nextOrigin(local), USERNAME, local, media);
        NegotiatedMedia negotiated = new NegotiatedMedia(socketAddress(remote, offered.port()), chosen.codec, tePt,
                ours, keys);
        return new SdpAnswer(answer, negotiated);
    }

    /** Reads the answer to our last {@link #createOffer} (RFC 3264 §6.1: we send with the answer's payload types). */
    public synchronized NegotiatedMedia accept(SessionDescription answer) throws SdpNegotiationException {
        Objects.requireNonNull(answer, "answer");
        if (lastOffer == null) {
            throw new SdpNegotiationException("no offer of ours is waiting for an answer");
        }
        if (answer.media().size() <= lastOfferAudioIndex) {
            throw new SdpNegotiationException("answer has no media section for our audio offer");
        }
        MediaDescription m = answer.media().get(lastOfferAudioIndex);
        if (!m.isAudio()) {
            throw new SdpNegotiationException("answer put '" + m.media() + "' where we offered audio");
        }
        if (m.port() == 0) {
            throw new SdpNegotiationException("peer refused the audio stream (port 0)");
        }
        Sdes.Keys keys = null;
        if (srtp) {
            if (!m.isSdesSrtp()) {
                throw new SdpNegotiationException("answer uses profile " + m.protocol() + " without keys, we offered "
                        + SAVP);
            }
            try {
                keys = Sdes.accept(offeredCrypto, m.attributes(CRYPTO));
                // The peer's later re-offer with the same key is answered with ours (RFC 4568 §7.1.4): the crypto
                // contexts go on instead of restarting.
                answeredKeys = keys;
            } catch (SdesException e) {
                throw new SdpNegotiationException(e.getMessage());
            }
        } else if (!m.isPlainRtp()) {
            throw new SdpNegotiationException("answer uses profile " + m.protocol() + ", we offered RTP/AVP");
        }
        Connection remote = answer.connectionFor(m)
                .orElseThrow(() -> new SdpNegotiationException("answer has no c= line for the audio stream"));
        CodecSpec codec = null;
        CodecSpec te = null;
        for (CodecSpec c : m.codecs()) {
            if (isTelephoneEvent(c)) {
                continue;
            }
            Optional<CodecSpec> local = localCodecs.stream().filter(l -> l.sameCodecAs(c)).findFirst();
            if (local.isPresent()) {
                codec = local.get().withPayloadType(c.payloadType());
                break;
            }
        }
        if (codec == null) {
            throw new SdpNegotiationException("answer holds none of the codecs we offered: " + describe(m.codecs()));
        }
        if (telephoneEvent) {
            te = telephoneEventFor(m, codec.clockRate());
        }
        MediaDirection ours = Directions.intersect(lastOfferDirection, m.direction().reverse());
        if (remote.isHold()) {
            ours = Directions.withoutSending(ours);
        }
        return new NegotiatedMedia(socketAddress(remote, m.port()), codec, te == null ? -1 : te.payloadType(), ours,
                keys);
    }

    /** Our keys for an SRTP offer: the same as last time while the peer's key is unchanged (a re-INVITE). */
    private Sdes.Keys answerKeys(List<String> offered) throws SdpNegotiationException {
        try {
            Sdes.Keys keys = Sdes.answer(offered, random);
            if (answeredKeys != null && answeredKeys.remote().equals(keys.remote())) {
                return answeredKeys;
            }
            answeredKeys = keys;
            return keys;
        } catch (SdesException e) {
            throw new SdpNegotiationException(e.getMessage());
        }
    }

    private record Chosen(int index, CodecSpec codec, CodecSpec telephoneEvent) {
    }

    /** The first audio stream we can take; the refusal reason of the first audio stream otherwise. */
    private Chosen choose(SessionDescription offer) throws SdpNegotiationException {
        String firstReason = null;
        List<MediaDescription> media = offer.media();
        for (int i = 0; i < media.size(); i++) {
            MediaDescription m = media.get(i);
            if (!m.isAudio()) {
                continue;
            }
            String reason = null;
            CodecSpec codec = null;
            if (m.port() == 0) {
                reason = "audio stream disabled (port 0)";
            } else if (!m.isPlainRtp() && !(srtp && m.isSdesSrtp())) {
                reason = "media profile " + m.protocol() + " not supported " + (srtp
                        ? "(SRTP only with SDES keys), RTP/AVP or " + SAVP + " with a=crypto" : "(no SRTP), RTP/AVP")
                        + " required";
            } else if (offer.connectionFor(m).isEmpty()) {
                reason = "no c= connection address for the audio stream";
            } else {
                codec = firstCommonCodec(m);
                if (codec == null) {
                    reason = "no common codec: offered " + describe(m.codecs()) + ", we support "
                            + describe(localCodecs);
                }
            }
            if (reason == null) {
                CodecSpec te = telephoneEvent ? telephoneEventFor(m, codec.clockRate()) : null;
                return new Chosen(i, codec, te);
            }
            if (firstReason == null) {
                firstReason = reason;
            }
        }
        throw new SdpNegotiationException(firstReason != null ? firstReason : "no audio stream in the offer");
    }

    /** In the offer's order (RFC 3264 §6.1 lets the answerer choose; honouring the offerer's preference is polite). */
    private CodecSpec firstCommonCodec(MediaDescription m) {
        for (CodecSpec offered : m.codecs()) {
            if (isTelephoneEvent(offered)) {
                continue;
            }
            for (CodecSpec local : localCodecs) {
                if (local.sameCodecAs(offered)) {
                    return local.withPayloadType(offered.payloadType());
                }
            }
        }
        return null;
    }

    /** RFC 4733 §2.1: the events must use the audio codec's RTP clock, so only a matching rate will do. */
    private static CodecSpec telephoneEventFor(MediaDescription m, int clockRate) {
        for (CodecSpec c : m.codecs()) {
            if (isTelephoneEvent(c) && c.clockRate() == clockRate) {
                return c;
            }
        }
        return null;
    }

    /** RFC 3264 §6: a refused stream keeps its place, media type, protocol and formats, with port 0. */
    private static MediaDescription refused(MediaDescription offered) {
        return new MediaDescription(offered.media(), 0, 1, offered.protocol(), offered.formats(), null, List.of(),
                offered.codecs(), Map.of(), MediaDirection.INACTIVE, 0, 0, List.of());
    }

    private Origin nextOrigin(Connection address) {
        version++;
        return Origin.of(USERNAME, sessionId, version, address);
    }

    private static boolean isTelephoneEvent(CodecSpec c) {
        return c.encodingName().equalsIgnoreCase(TELEPHONE_EVENT);
    }

    /** 8000 Hz first (every G.711/G.722 peer expects it at 101), then one per other codec clock (Opus: 48000). */
    private static List<CodecSpec> telephoneEvents(List<CodecSpec> codecs, Set<Integer> used) {
        Set<Integer> rates = new java.util.LinkedHashSet<>();
        rates.add(8000);
        codecs.forEach(c -> rates.add(c.clockRate()));
        Set<Integer> taken = new HashSet<>(used);
        List<CodecSpec> events = new ArrayList<>();
        for (int rate : rates) {
            int pt = freeDynamicPayloadType(taken);
            taken.add(pt);
            events.add(new CodecSpec(TELEPHONE_EVENT, pt, rate, 1));
        }
        return List.copyOf(events);
    }

    private static int freeDynamicPayloadType(Set<Integer> taken) {
        for (int pt = 101; pt <= 127; pt++) {
            if (!taken.contains(pt)) {
                return pt;
            }
        }
        for (int pt = 96; pt <= 100; pt++) {
            if (!taken.contains(pt)) {
                return pt;
            }
        }
        throw new IllegalArgumentException("no free dynamic payload type for telephone-event");
    }

    private static String describe(List<CodecSpec> codecs) {
        return codecs.isEmpty() ? "(none)"
                : codecs.stream().map(CodecSpec::rtpmap).collect(Collectors.joining(", "));
    }

    static Connection connectionOf(InetSocketAddress address) {
        Objects.requireNonNull(address, "localRtp");
        InetAddress ip = address.getAddress();
        if (ip == null) {
            return Connection.ip4(address.getHostString());
        }
        String host = ip.getHostAddress();
        int scope = host.indexOf('%');
        if (scope >= 0) {
            host = host.substring(0, scope);
        }
        return ip instanceof java.net.Inet6Address ? Connection.ip6(host) : Connection.ip4(host);
    }

    /** Never a DNS lookup on a signalling thread: IP literals are decoded, host names stay unresolved. */
    static InetSocketAddress socketAddress(Connection c, int port) {
        return Addresses.literal(c.host())
                .map(ip -> new InetSocketAddress(ip, port))
                .orElseGet(() -> InetSocketAddress.createUnresolved(c.host(), port));
    }
}
