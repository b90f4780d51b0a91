package io.tandem.telephony.sip;

import gov.nist.javax.sip.header.CSeq;
import gov.nist.javax.sip.header.CallID;
import gov.nist.javax.sip.header.ContentLength;
import gov.nist.javax.sip.header.From;
import gov.nist.javax.sip.header.RequestLine;
import gov.nist.javax.sip.header.StatusLine;
import gov.nist.javax.sip.header.To;
import gov.nist.javax.sip.header.Via;
import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import gov.nist.javax.sip.parser.ParseExceptionListener;
import io.tandem.telephony.sip.framing.FramingCheckingParserFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every RFC 4475 torture message (sip-torture/README.md) through the path a UDP datagram takes into our endpoint:
 * {@link FramingCheckingParserFactory}'s parser (stock JAIN-SIP parser behind our framing check), the stack's
 * mandatory-header gate, then {@link RequestValidator}. Each file must end in the verdict the README gives it;
 * nothing may escape as an unexpected exception (a parse failure is a verdict, not a crash).
 */
class SipTortureTest {

    /** What happens to a message, from the sender's point of view. */
    enum Kind {
        /** reaches the features, which answer it (e.g. 200, 405/501 for an unknown method, 401 from the registrar) */
        PROCESSED,
        /** RequestValidator refuses it with {@link Verdict#status} */
        REJECTED,
        /** the parser (ours or JAIN-SIP's) refuses it: the stack answers 400 where it can form a response, else drops */
        MALFORMED,
        /** parsed, but lacks a header the stack needs to even answer: dropped by the stack */
        DROPPED,
        /** a well-formed response: handed to the transaction layer, dropped as it matches no transaction */
        RESPONSE,
        /** an unparseable response: dropped */
        RESPONSE_MALFORMED
    }

    record Verdict(Kind kind, int status) {
        static Verdict of(Kind kind) {
            return new Verdict(kind, 0);
        }

        static Verdict rejected(int status) {
            return new Verdict(Kind.REJECTED, status);
        }
    }

    /** The README's table, file by file. */
    static final Map<String, Verdict> EXPECTED = new TreeMap<>(Map.ofEntries(
            // RFC 4475 §3.1.1 valid syntax: parse and process normally
            Map.entry("wsinv.dat", Verdict.of(Kind.PROCESSED)),
            Map.entry("intmeth.dat", Verdict.of(Kind.PROCESSED)),
            Map.entry("esc01.dat", Verdict.of(Kind.PROCESSED)),
            Map.entry("escnull.dat", Verdict.of(Kind.PROCESSED)),
            Map.entry("esc02.dat", Verdict.of(Kind.PROCESSED)),
            Map.entry("lwsdisp.dat", Verdict.of(Kind.PROCESSED)),
            Map.entry("longreq.dat", Verdict.of(Kind.PROCESSED)),
            Map.entry("dblreq.dat", Verdict.of(Kind.PROCESSED)),
            Map.entry("semiuri.dat", Verdict.of(Kind.PROCESSED)),
            Map.entry("transports.dat", Verdict.of(Kind.PROCESSED)),
            Map.entry("mpart01.dat", Verdict.of(Kind.PROCESSED)),
            Map.entry("unreason.dat", Verdict.of(Kind.RESPONSE)),
            Map.entry("noreason.dat", Verdict.of(Kind.RESPONSE)),
            // §3.1.2 invalid syntax: 400 (505 for the version) where a response can be formed, else drop
            Map.entry("badinv01.dat", Verdict.of(Kind.MALFORMED)),
            Map.entry("clerr.dat", Verdict.of(Kind.MALFORMED)),
            Map.entry("ncl.dat", Verdict.of(Kind.MALFORMED)),
            Map.entry("scalar02.dat", Verdict.of(Kind.MALFORMED)),
            Map.entry("scalarlg.dat", Verdict.of(Kind.RESPONSE_MALFORMED)),
            Map.entry("quotbal.dat", Verdict.of(Kind.MALFORMED)),
            Map.entry("ltgtruri.dat", Verdict.of(Kind.MALFORMED)),
            Map.entry("lwsruri.dat", Verdict.of(Kind.MALFORMED)),
            Map.entry("lwsstart.dat", Verdict.of(Kind.MALFORMED)),
            Map.entry("trws.dat", Verdict.of(Kind.MALFORMED)),
            Map.entry("regbadct.dat", Verdict.of(Kind.MALFORMED)),
            Map.entry("badaspec.dat", Verdict.of(Kind.MALFORMED)),
            Map.entry("baddn.dat", Verdict.of(Kind.MALFORMED)),
            Map.entry("badvers.dat", Verdict.rejected(505)),
            Map.entry("mismatch01.dat", Verdict.rejected(400)),
            Map.entry("mismatch02.dat", Verdict.rejected(400)),
            Map.entry("bigcode.dat", Verdict.of(Kind.RESPONSE_MALFORMED)),
            Map.entry("multi01.dat", Verdict.of(Kind.MALFORMED)),
            // §3.2 transaction layer: an RFC 3261 branch that is only the magic cookie, handled without a crash
            Map.entry("badbranch.dat", Verdict.of(Kind.PROCESSED)),
            // §3.3 application semantics
            Map.entry("insuf.dat", Verdict.of(Kind.DROPPED)),
            Map.entry("unkscm.dat", Verdict.rejected(416)),
            Map.entry("novelsc.dat", Verdict.rejected(416)),
            Map.entry("unksm2.dat", Verdict.rejected(400)),
            Map.entry("bext01.dat", Verdict.rejected(420)),
            Map.entry("invut.dat", Verdict.rejected(415)),
            Map.entry("regescrt.dat", Verdict.of(Kind.PROCESSED)),
            Map.entry("mcl01.dat", Verdict.of(Kind.MALFORMED)),
            Map.entry("bcast.dat", Verdict.of(Kind.RESPONSE)),
            Map.entry("zeromf.dat", Verdict.of(Kind.PROCESSED)),
            Map.entry("cparam01.dat", Verdict.of(Kind.PROCESSED)),
            Map.entry("cparam02.dat", Verdict.of(Kind.PROCESSED)),
            Map.entry("regaut01.dat", Verdict.of(Kind.PROCESSED)),
            Map.entry("sdp01.dat", Verdict.rejected(406)),
            // §3.4 backward compatibility
            Map.entry("inv2543.dat", Verdict.of(Kind.PROCESSED)),
            // variants kept by another Java SIP server
            Map.entry("badRequestUri.dat", Verdict.of(Kind.MALFORMED)),
            Map.entry("test.dat", Verdict.of(Kind.MALFORMED)),
            Map.entry("wsinv2.dat", Verdict.of(Kind.PROCESSED)),
            Map.entry("wsinv3.dat", Verdict.of(Kind.DROPPED))));

    private final RequestValidator validator = new RequestValidator();

    static Stream<String> files() {
        return EXPECTED.keySet().stream();
    }

    @Test
    void theTableCoversEveryFileInTheCorpus() throws IOException {
        List<String> listed = Torture.listing();
        assertThat(listed).as("corpus files").containsExactlyInAnyOrderElementsOf(EXPECTED.keySet());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void eachFileEndsInTheReadmeVerdict(String file) throws IOException {
        Outcome outcome = run(Torture.read(file));
        assertThat(outcome.verdict()).as(file + " (" + outcome.detail() + ")").isEqualTo(EXPECTED.get(file));
    }

    @Test
    void rejectionsCarryAPreciseReason() throws IOException {
        assertThat(run(Torture.read("mismatch01.dat")).detail()).isEqualTo("CSeq method does not match the request method");
        assertThat(run(Torture.read("unkscm.dat")).detail()).isEqualTo("Unsupported URI Scheme");
        assertThat(run(Torture.read("multi01.dat")).detail()).isEqualTo("Duplicate CSeq header");
        assertThat(run(Torture.read("mcl01.dat")).detail()).isEqualTo("Duplicate Content-Length header");
        assertThat(run(Torture.read("lwsstart.dat")).detail()).isEqualTo("Malformed Request-Line");
        assertThat(run(Torture.read("unksm2.dat")).detail()).isEqualTo("To of a REGISTER must be a SIP or SIPS URI");
    }

    @Test
    void parseErrorsBecomeOneLineReasonsFitForTheStacksAutomatic400() throws IOException {
        // gov.nist UDPMessageChannel answers "400 Bad Request (<exception message>)"; a newline there breaks the reply.
        for (String file : List.of("badinv01.dat", "badRequestUri.dat", "scalar02.dat")) {
            String detail = run(Torture.read(file)).detail();
            assertThat(detail).as(file).startsWith("Malformed message").doesNotContain("\n", "\r", "[C@");
            assertThat(detail.chars().allMatch(c -> c >= 0x20 && c < 0x7f)).as(file).isTrue();
        }
        assertThat(run(Torture.read("badRequestUri.dat")).detail()).isEqualTo("Malformed message: Error parsing port");
    }

    @Test
    void badExtensionListsTheUnsupportedOptionTagsButIgnoresProxyRequire() throws IOException {
        SIPRequest options = parse(Torture.read("bext01.dat"));
        Optional<Rejection> r = validator.validate(options);
        assertThat(r).isPresent();
        assertThat(r.get().status()).isEqualTo(420);
        assertThat(r.get().unsupported()).containsExactly("nothingSupportsThis", "nothingSupportsThisEither");
        assertThat(new RequestValidator(Set.of("nothingsupportsthis", "NothingSupportsThisEither"), false)
                .validate(options)).isEmpty();
    }

    @Test
    void requestsTheStackWouldDropStillGetAnAnswerFromTheValidator() throws IOException {
        // Defence in depth: should a stack pass a request without From/To/Call-ID, the validator still refuses it.
        assertThat(validator.validate(parse(Torture.read("insuf.dat"))))
                .contains(new Rejection(400, "Missing From header"));
        assertThat(validator.validate(parse(Torture.read("wsinv3.dat"))))
                .contains(new Rejection(400, "Missing From header"));
    }

    @Test
    void anEndpointAnswersMaxForwardsZeroButARelayRefusesToForwardIt() throws IOException {
        RequestValidator relay = new RequestValidator(Set.of(), true);
        SIPRequest options = parse(Torture.read("zeromf.dat"));
        assertThat(validator.validate(options)).isEmpty();
        assertThat(relay.validate(options)).as("OPTIONS is answered by the element itself (RFC 3261 §11)").isEmpty();

        String invite = new String(Torture.read("zeromf.dat"), StandardCharsets.ISO_8859_1)
                .replace("OPTIONS", "INVITE");
        SIPRequest zeroHopInvite = parse(invite.getBytes(StandardCharsets.ISO_8859_1));
        assertThat(validator.validate(zeroHopInvite)).isEmpty();
        assertThat(relay.validate(zeroHopInvite)).contains(new Rejection(483, "Too Many Hops"));
    }

    @Test
    void aHugeContentLengthIsRefusedFromItsDigitsNotByAllocatingIt() throws IOException {
        String clerr = new String(Torture.read("clerr.dat"), StandardCharsets.ISO_8859_1);
        for (String length : List.of("2147483647", "99999999999999999999", "999999999")) {
            byte[] raw = clerr.replace("Content-Length: 9999", "Content-Length: " + length)
                    .getBytes(StandardCharsets.ISO_8859_1);
            Outcome outcome = run(raw);
            assertThat(outcome.verdict()).as(length).isEqualTo(Verdict.of(Kind.MALFORMED));
        }
    }

    // ------------------------------------------------------------------ the pipeline under test

    record Outcome(Verdict verdict, String detail) {
    }

    /** The path of a UDP datagram: our parser (framing check + JAIN-SIP), the stack's header gate, the validator. */
    private Outcome run(byte[] raw) {
        SIPMessage message;
        try {
            message = new FramingCheckingParserFactory().createMessageParser(null)
                    .parseSIPMessage(raw, true, false, STACK_LIKE_LISTENER);
        } catch (ParseException e) {
            boolean response = new String(raw, 0, Math.min(raw.length, 4), StandardCharsets.ISO_8859_1)
                    .equals("SIP/");
            return new Outcome(Verdict.of(response ? Kind.RESPONSE_MALFORMED : Kind.MALFORMED), e.getMessage());
        }
        if (message == null) {
            return new Outcome(Verdict.of(Kind.MALFORMED), "empty");
        }
        if (message instanceof SIPResponse response) {
            return new Outcome(Verdict.of(Kind.RESPONSE), Integer.toString(response.getStatusCode()));
        }
        SIPRequest request = (SIPRequest) message;
        // gov.nist UDPMessageChannel drops, without an answer, a request lacking any of these.
        if (request.getFrom() == null || request.getTo() == null || request.getCallId() == null
                || request.getCSeq() == null || request.getViaHeaders() == null) {
            return new Outcome(Verdict.of(Kind.DROPPED), "missing mandatory header");
        }
        Optional<Rejection> rejection = validator.validate(request);
        return rejection.map(r -> new Outcome(Verdict.rejected(r.status()), r.reason()))
                .orElseGet(() -> new Outcome(Verdict.of(Kind.PROCESSED), request.getMethod()));
    }

    private static SIPRequest parse(byte[] raw) {
        try {
            return (SIPRequest) new gov.nist.javax.sip.parser.StringMsgParser()
                    .parseSIPMessage(raw, true, false, STACK_LIKE_LISTENER);
        } catch (ParseException e) {
            throw new AssertionError("expected to parse", e);
        }
    }

    /** What gov.nist UDPMessageChannel.handleException does: fatal for the framing headers, else keep as unparsed. */
    private static final Set<Class<?>> FATAL = Set.of(From.class, To.class, CSeq.class, Via.class, CallID.class,
            ContentLength.class, RequestLine.class, StatusLine.class);
    private static final ParseExceptionListener STACK_LIKE_LISTENER = (ex, message, headerClass, header, text) -> {
        if (headerClass != null && FATAL.contains(headerClass)) {
            throw ex;
        }
        message.addUnparsed(header);
    };

    /** Reads corpus files from the test classpath as bytes (they hold CRLF and raw octets). */
    static final class Torture {
        static byte[] read(String file) throws IOException {
            try (InputStream in = SipTortureTest.class.getResourceAsStream("/sip-torture/" + file)) {
                if (in == null) {
                    throw new IOException("missing test resource sip-torture/" + file);
                }
                return in.readAllBytes();
            }
        }

        static List<String> listing() throws IOException {
            try (InputStream in = SipTortureTest.class.getResourceAsStream("/sip-torture/README.md")) {
                if (in == null) {
                    throw new IOException("missing sip-torture/README.md");
                }
            }
            java.net.URL dir = SipTortureTest.class.getResource("/sip-torture/");
            try (Stream<java.nio.file.Path> files = java.nio.file.Files.list(java.nio.file.Path.of(dir.getPath()))) {
                return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".dat")).sorted().toList();
            }
        }
    }
}
