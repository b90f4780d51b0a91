package io.tandem.telephony.sip;

import io.tandem.telephony.sip.TortureCorpus.Kind;
import io.tandem.telephony.sip.TortureCorpus.Verdict;

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
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every RFC 4475 torture message (sip-torture/README.md) through the path a UDP datagram takes into our endpoint:
 * {@link FramingCheckingParserFactory}'s parser (stock JAIN-SIP parser behind our framing check), the stack's
 * mandatory-header gate, then {@link RequestValidator}. Each file must end in the verdict the README gives it;
 * nothing may escape as an unexpected exception (a parse failure is a verdict, not a crash).
 */
class SipTortureTest {

    /** The README's table, file by file (kept in {@link TortureCorpus} so node tests assert the same verdicts). */
    static final Map<String, Verdict> EXPECTED = TortureCorpus.EXPECTED;

    private final RequestValidator validator = new RequestValidator();

    static Stream<String> files() {
        return EXPECTED.keySet().stream();
    }

    @Test
    void theTableCoversEveryFileInTheCorpus() throws IOException {
        List<String> listed = TortureCorpus.listing();
        assertThat(listed).as("corpus files").containsExactlyInAnyOrderElementsOf(EXPECTED.keySet());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void eachFileEndsInTheReadmeVerdict(String file) throws IOException {
        Outcome outcome = run(TortureCorpus.read(file));
        assertThat(outcome.verdict()).as(file + " (" + outcome.detail() + ")").isEqualTo(EXPECTED.get(file));
    }

    @Test
    void rejectionsCarryAPreciseReason() throws IOException {
        assertThat(run(TortureCorpus.read("mismatch01.dat")).detail()).isEqualTo("CSeq method does not match the request method");
        assertThat(run(TortureCorpus.read("unkscm.dat")).detail()).isEqualTo("Unsupported URI Scheme");
        assertThat(run(TortureCorpus.read("multi01.dat")).detail()).isEqualTo("Duplicate CSeq header");
        assertThat(run(TortureCorpus.read("mcl01.dat")).detail()).isEqualTo("Duplicate Content-Length header");
        assertThat(run(TortureCorpus.read("lwsstart.dat")).detail()).isEqualTo("Malformed Request-Line");
        assertThat(run(TortureCorpus.read("unksm2.dat")).detail()).isEqualTo("To of a REGISTER must be a SIP or SIPS URI");
    }

    @Test
    void parseErrorsBecomeOneLineReasonsFitForTheStacksAutomatic400() throws IOException {
        // gov.nist UDPMessageChannel answers "400 Bad Request (<exception message>)"; a newline there breaks the reply.
        for (String file : List.of("badinv01.dat", "badRequestUri.dat", "scalar02.dat")) {
            String detail = run(TortureCorpus.read(file)).detail();
            assertThat(detail).as(file).startsWith("Malformed message").doesNotContain("\n", "\r", "[C@");
            assertThat(detail.chars().allMatch(c -> c >= 0x20 && c < 0x7f)).as(file).isTrue();
        }
        assertThat(run(TortureCorpus.read("badRequestUri.dat")).detail()).isEqualTo("Malformed message: Error parsing port");
    }

    @Test
    void badExtensionListsTheUnsupportedOptionTagsButIgnoresProxyRequire() throws IOException {
        SIPRequest options = parse(TortureCorpus.read("bext01.dat"));
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
        assertThat(validator.validate(parse(TortureCorpus.read("insuf.dat"))))
                .contains(new Rejection(400, "Missing From header"));
        assertThat(validator.validate(parse(TortureCorpus.read("wsinv3.dat"))))
                .contains(new Rejection(400, "Missing From header"));
    }

    @Test
    void anEndpointAnswersMaxForwardsZeroButARelayRefusesToForwardIt() throws IOException {
        RequestValidator relay = new RequestValidator(Set.of(), true);
        SIPRequest options = parse(TortureCorpus.read("zeromf.dat"));
        assertThat(validator.validate(options)).isEmpty();
        assertThat(relay.validate(options)).as("OPTIONS is answered by the element itself (RFC 3261 §11)").isEmpty();

        String invite = new String(TortureCorpus.read("zeromf.dat"), StandardCharsets.ISO_8859_1)
                .replace("OPTIONS", "INVITE");
        SIPRequest zeroHopInvite = parse(invite.getBytes(StandardCharsets.ISO_8859_1));
        assertThat(validator.validate(zeroHopInvite)).isEmpty();
        assertThat(relay.validate(zeroHopInvite)).contains(new Rejection(483, "Too Many Hops"));
    }

    @Test
    void aHugeContentLengthIsRefusedFromItsDigitsNotByAllocatingIt() throws IOException {
        String clerr = new String(TortureCorpus.read("clerr.dat"), StandardCharsets.ISO_8859_1);
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
}
