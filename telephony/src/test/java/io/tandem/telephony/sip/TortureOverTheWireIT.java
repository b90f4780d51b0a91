package io.tandem.telephony.sip;

import io.tandem.telephony.testing.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import javax.sip.RequestEvent;
import javax.sip.message.Request;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every RFC 4475 torture message sent byte-exact to a running {@link SipEndpoint}, over UDP and
 * over TCP, ends as {@link TortureCorpus#EXPECTED} says. Over TCP the answer comes back on the
 * connection, so the status line is checked; over UDP answers go to the message's own Via (hosts
 * that are not us), so the endpoint's counters say what happened. Each file gets a fresh endpoint
 * because several files share a branch and would otherwise be absorbed as retransmissions.
 */
class TortureOverTheWireIT {
    private static final Duration ANSWER = Duration.ofSeconds(30);
    private static final Duration SILENCE = Duration.ofMillis(1500);
    /** How our test application answers what reaches it. */
    private static final Set<String> KNOWN = Set.of(Request.INVITE, Request.OPTIONS, Request.REGISTER, Request.BYE,
            Request.CANCEL, Request.INFO, Request.MESSAGE, Request.NOTIFY, Request.SUBSCRIBE, Request.REFER);

    private final AtomicLong processed = new AtomicLong();
    private SipEndpoint endpoint;

    @AfterEach
    void close() {
        if (endpoint != null) {
            endpoint.close();
        }
    }

    static List<String> files() throws IOException {
        return TortureCorpus.listing();
    }

    private void start() throws IOException {
        endpoint = SipEndpoint.open(InetAddress.getLoopbackAddress(), 0, "torture", this::answer);
    }

    private void answer(RequestEvent event) {
        processed.incrementAndGet();
        Request request = event.getRequest();
        if (Request.ACK.equals(request.getMethod())) {
            return;
        }
        // INVITE is answered busy (a full answer without media); unknown methods 405 (RFC 3261 §8.2.1).
        int status = Request.INVITE.equals(request.getMethod()) ? 486 : KNOWN.contains(request.getMethod()) ? 200 : 405;
        endpoint.respond(event, endpoint.messages().responseTo(request, status));
    }

    @ParameterizedTest(name = "{0} over TCP")
    @MethodSource("files")
    void overTcpTheAnswerIsTheExpectedOne(String file) throws Exception {
        start();
        TortureCorpus.Verdict expected = TortureCorpus.EXPECTED.get(file);
        boolean silent = expected.kind() == TortureCorpus.Kind.RESPONSE
                || expected.kind() == TortureCorpus.Kind.RESPONSE_MALFORMED
                || expected.kind() == TortureCorpus.Kind.DROPPED
                || expected.kind() == TortureCorpus.Kind.MALFORMED; // a 400, if any, comes at once
        List<String> answers = RawSip.tcp(endpoint.port(), overTcp(TortureCorpus.read(file)),
                silent ? SILENCE : ANSWER);
        int last = answers.isEmpty() ? 0 : RawSip.status(answers.get(answers.size() - 1));
        switch (expected.kind()) {
            case PROCESSED -> {
                assertThat(last).as(file + " " + answers).isIn(200, 405, 486);
                // dblreq.dat holds two messages back to back: on a TCP stream both are requests.
                assertThat(processed.get()).isBetween(1L, "dblreq.dat".equals(file) ? 2L : 1L);
            }
            case REJECTED -> {
                assertThat(last).as(file + " " + answers).isEqualTo(expected.status());
                assertThat(RawSip.reason(answers.get(answers.size() - 1))).isNotBlank();
                assertThat(processed.get()).isZero();
            }
            // The stack answers 400 where it can form a response; where framing is broken
            // (a Content-Length beyond the bytes sent) it waits for the rest and answers nothing.
            case MALFORMED -> {
                assertThat(last).as(file + " " + answers).isIn(0, 400);
                if ("clerr.dat".equals(file)) {
                    // The RI waits for the 9999 body bytes; when our client closes the connection it may still
                    // hand the truncated request up (seen once on a loaded machine), too late for any answer to
                    // reach the client. What matters is that nothing was answered while the connection was open.
                    assertThat(answers).as(file).isEmpty();
                } else {
                    assertThat(processed.get()).isZero();
                }
            }
            case DROPPED, RESPONSE, RESPONSE_MALFORMED -> {
                assertThat(answers).as(file).isEmpty();
                assertThat(processed.get()).isZero();
            }
            default -> throw new AssertionError("unknown verdict " + expected);
        }
        assertThat(endpoint.handlerFailures()).isZero();
        assertStillAnswersOptions();
    }

    @ParameterizedTest(name = "{0} over UDP")
    @MethodSource("files")
    void overUdpTheEndpointCountsWhatItDid(String file) throws Exception {
        start();
        TortureCorpus.Verdict expected = TortureCorpus.EXPECTED.get(file);
        RawSip.udp(endpoint.port(), TortureCorpus.read(file), Duration.ZERO);
        switch (expected.kind()) {
            case PROCESSED -> Await.until(file + " reaches the application", ANSWER, () -> processed.get() == 1);
            // CSeq/method mismatch is refused by the RI itself (400) before our validator sees it.
            case REJECTED -> Await.until(file + " is rejected", ANSWER,
                    () -> endpoint.rejected() + endpoint.droppedMalformed() == 1);
            case MALFORMED, DROPPED, RESPONSE_MALFORMED -> Await.until(file + " is counted as malformed", ANSWER,
                    () -> endpoint.droppedMalformed() == 1);
            case RESPONSE -> {
                // a stray response matches no transaction: nothing to observe but survival
            }
            default -> throw new AssertionError("unknown verdict " + expected);
        }
        if (expected.kind() != TortureCorpus.Kind.PROCESSED) {
            assertThat(processed.get()).as(file + " must not reach the application").isZero();
        }
        assertThat(endpoint.handlerFailures()).isZero();
        assertStillAnswersOptions();
    }

    static byte[] overTcp(byte[] message) {
        return TortureCorpus.overTcp(message);
    }

    private void assertStillAnswersOptions() throws IOException {
        String options = "OPTIONS sip:probe@127.0.0.1:" + endpoint.port() + " SIP/2.0\r\n"
                + "Via: SIP/2.0/TCP 127.0.0.1:9;branch=z9hG4bKprobe" + System.nanoTime() + "\r\n"
                + "Max-Forwards: 70\r\nFrom: <sip:t@127.0.0.1>;tag=t\r\nTo: <sip:probe@127.0.0.1>\r\n"
                + "Call-ID: probe-" + System.nanoTime() + "\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n";
        List<String> answers = RawSip.tcp(endpoint.port(), options.getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                ANSWER);
        assertThat(answers).as("endpoint still answers OPTIONS").anyMatch(s -> RawSip.status(s) == 200);
    }
}
