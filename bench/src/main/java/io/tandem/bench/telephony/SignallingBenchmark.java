package io.tandem.bench.telephony;

import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.parser.MessageParser;
import io.tandem.bench.BenchSection;
import io.tandem.bench.JmhSection;
import io.tandem.telephony.codec.CodecSpec;
import io.tandem.telephony.media.MediaDirection;
import io.tandem.telephony.sdp.SdpAnswer;
import io.tandem.telephony.sdp.SdpException;
import io.tandem.telephony.sdp.SdpNegotiationException;
import io.tandem.telephony.sdp.SdpNegotiator;
import io.tandem.telephony.sdp.SessionDescription;
import io.tandem.telephony.sip.RequestValidator;
import io.tandem.telephony.sip.auth.DigestAlgorithm;
import io.tandem.telephony.sip.auth.DigestChallenge;
import io.tandem.telephony.sip.auth.DigestClient;
import io.tandem.telephony.sip.auth.DigestResponse;
import io.tandem.telephony.sip.auth.DigestVerifier;
import io.tandem.telephony.sip.auth.HmacNonces;
import io.tandem.telephony.sip.auth.NonceCheck;
import io.tandem.telephony.sip.framing.FramingCheckingParserFactory;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.results.RunResult;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The CPU a node spends on the signalling of one call set-up and one registration, outside the SIP stack's
 * transaction machinery: parse and validate the INVITE, parse and answer its SDP offer, check a Digest REGISTER
 * (nonce + response, MD5 and SHA-256).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SignallingBenchmark {
    static final String OFFER = "v=0\r\no=- 1795462151 1408325742 IN IP4 192.168.1.23\r\ns=-\r\n"
            + "c=IN IP4 192.168.1.23\r\nt=0 0\r\nm=audio 10432 RTP/AVP 96 0 8 101\r\nb=AS:128\r\n"
            + "a=rtpmap:96 opus/48000/2\r\na=fmtp:96 stereo=1;sprop-stereo=1\r\na=rtpmap:0 PCMU/8000\r\n"
            + "a=rtpmap:8 PCMA/8000\r\na=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-15\r\na=ptime:20\r\n"
            + "a=sendrecv\r\n";
    static final byte[] INVITE = ("INVITE sip:1002@tandem.example SIP/2.0\r\n"
            + "Via: SIP/2.0/UDP 192.168.1.23:5060;branch=z9hG4bK776asdhds;rport\r\n"
            + "Max-Forwards: 70\r\n"
            + "To: <sip:1002@tandem.example>\r\n"
            + "From: \"Alice\" <sip:1001@tandem.example>;tag=1928301774\r\n"
            + "Call-ID: a84b4c76e66710@192.168.1.23\r\n"
            + "CSeq: 314159 INVITE\r\n"
            + "Contact: <sip:1001@192.168.1.23:5060>\r\n"
            + "Allow: INVITE, ACK, CANCEL, BYE, OPTIONS, REFER, NOTIFY, INFO\r\n"
            + "User-Agent: baresip v3.10.1\r\n"
            + "Content-Type: application/sdp\r\n"
            + "Content-Length: " + OFFER.length() + "\r\n\r\n" + OFFER).getBytes(StandardCharsets.US_ASCII);

    private static final InetSocketAddress LOCAL = new InetSocketAddress(InetAddress.getLoopbackAddress(), 40000);
    private final RequestValidator validator = new RequestValidator();
    private final DigestVerifier verifier = new DigestVerifier();
    private MessageParser parser;
    private HmacNonces nonces;
    private DigestResponse md5;
    private DigestResponse sha256;
    private String md5Ha1;
    private String sha256Ha1;

    @Setup(Level.Trial)
    public void setUp() {
        parser = new FramingCheckingParserFactory().createMessageParser(null);
        nonces = new HmacNonces("bench-cluster-secret-0123456789".getBytes(StandardCharsets.UTF_8),
                Clock.systemUTC(), Duration.ofMinutes(5));
        DigestClient client = new DigestClient();
        String nonce = nonces.issue("tandem.example");
        md5 = client.respond(new DigestChallenge("tandem.example", nonce, null, DigestAlgorithm.MD5, true, false),
                "REGISTER", "sip:tandem.example", "1001", "s3cret");
        sha256 = client.respond(new DigestChallenge("tandem.example", nonce, null, DigestAlgorithm.SHA_256, true,
                false), "REGISTER", "sip:tandem.example", "1001", "s3cret");
        md5Ha1 = DigestAlgorithm.MD5.ha1("1001", "tandem.example", "s3cret");
        sha256Ha1 = DigestAlgorithm.SHA_256.ha1("1001", "tandem.example", "s3cret");
    }

    /** Framing check + JAIN-SIP parse + RequestValidator of a baresip-style INVITE with SDP. */
    @Benchmark
    public boolean parseAndValidateInvite() throws ParseException {
        SIPRequest request = (SIPRequest) parser.parseSIPMessage(INVITE, true, false, null);
        return validator.validate(request).isEmpty();
    }

    /** Parse the offer, answer it (one leg's negotiator) and encode the answer. */
    @Benchmark
    public String answerSdpOffer() throws SdpException, SdpNegotiationException {
        SdpNegotiator negotiator = new SdpNegotiator(List.of(CodecSpec.PCMA, CodecSpec.PCMU), true);
        SdpAnswer answer = negotiator.answer(SessionDescription.parse(OFFER), LOCAL, MediaDirection.SENDRECV);
        return answer.description().encode();
    }

    /** A registrar's check of an MD5 Digest REGISTER: stateless nonce, then the response. */
    @Benchmark
    public boolean verifyDigestMd5() {
        return nonces.check(md5.nonce(), md5.realm()) == NonceCheck.VALID && verifier.verify(md5, "REGISTER", md5Ha1);
    }

    /** The same with SHA-256 (RFC 7616 / RFC 8760). */
    @Benchmark
    public boolean verifyDigestSha256() {
        return nonces.check(sha256.nonce(), sha256.realm()) == NonceCheck.VALID
                && verifier.verify(sha256, "REGISTER", sha256Ha1);
    }

    /** The report section. */
    public static BenchSection section() {
        return new JmhSection("Signalling cost per call set-up and registration", SignallingBenchmark.class,
                SignallingBenchmark::verdict);
    }

    static String verdict(Collection<RunResult> results) {
        double invite = score(results, "parseAndValidateInvite");
        double sdp = score(results, "answerSdpOffer");
        double md5 = score(results, "verifyDigestMd5");
        double sha = score(results, "verifyDigestSha256");
        return String.format(Locale.ROOT, "Parsing, validating and answering an INVITE's offer costs about %.0f µs; "
                        + "one core could do that for about %,d call set-ups per second, and check about %,d MD5 "
                        + "or %,d SHA-256 Digest REGISTERs per second, before the SIP stack's own transaction "
                        + "work. Signalling CPU is small next to media (see the codec section).",
                (invite + sdp) / 1000, perSecond(invite + sdp), perSecond(md5), perSecond(sha));
    }

    private static double score(Collection<RunResult> results, String method) {
        return results.stream().filter(r -> r.getParams().getBenchmark().endsWith("." + method))
                .mapToDouble(r -> r.getPrimaryResult().getScore()).findFirst().orElse(Double.NaN);
    }

    private static long perSecond(double nanos) {
        return nanos > 0 ? (long) (1e9 / nanos) : 0;
    }
}
