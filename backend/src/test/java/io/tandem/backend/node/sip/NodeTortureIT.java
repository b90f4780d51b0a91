package io.tandem.backend.node.sip;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tandem.backend.TestNode;
import io.tandem.backend.registrar.Bindings;
import io.tandem.telephony.testing.Await;
import io.tandem.telephony.peers.SippProcess;
import io.tandem.telephony.peers.SippResult;
import io.tandem.telephony.sip.RawSip;
import io.tandem.telephony.sip.SipEndpoint;
import io.tandem.telephony.sip.TortureCorpus;
import io.tandem.telephony.sip.TortureCorpus.Kind;
import io.tandem.telephony.sip.TortureCorpus.Verdict;
import io.tandem.telephony.testing.RedisServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The RFC 4475 torture corpus ({@link TortureCorpus}: ../shared/testdata/sip-torture and the verdicts of its README)
 * sent byte-exact to one running node — every file over UDP, then every file over TCP — and then the same node still
 * registers 20 users with digest (SIPp). Over TCP the answer comes back on the connection and its status is checked;
 * over UDP answers follow the message's own Via (hosts that are not us), so the node's counters say what it did.
 * Throughout, no request makes the node fail: its SIP handler never throws, a feature's answer is never 500/503,
 * and a well-formed OPTIONS is still answered after every file.
 *
 * <p>Several corpus files share a Via branch (RFC 4475 reuses {@code z9hG4bKkdjuw}) or, without one, a Call-ID: sent
 * to one node within a transaction's lifetime (Timer J, 32 s over UDP), the later one is taken for a retransmission
 * of the earlier one (RFC 3261 §17.2.3; the RI matches UDP requests by branch whatever their method) and is absorbed,
 * not judged. So a request whose transaction key the current node has seen goes to a fresh node. Over TCP a
 * non-INVITE transaction ends with its final answer (Timer J is 0 on reliable transports, §17.2.2), so there the
 * key includes the method.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NodeTortureIT {

    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    private static final Duration ANSWER = Duration.ofSeconds(30);
    private static final Duration SILENCE = Duration.ofMillis(1500);
    private static final int USERS = 20;

    private static final Pattern BRANCH = Pattern.compile(
            "(?im)^(?:via|v)[ \\t]*:[^\\r\\n]*?branch[ \\t]*=[ \\t]*([^ \\t;,\\r\\n]+)");
    private static final Pattern CALL_ID = Pattern.compile("(?im)^(?:call-id|i)[ \\t]*:[ \\t]*([^\\r\\n]+)");

    private static TestNode node;
    private static SipEndpoint endpoint;
    private static MeterRegistry meters;
    /** Method + transaction key of every request sent to the current node. */
    private static final Set<String> sentToNode = new HashSet<>();
    private static int nodes;

    @BeforeAll
    static void startNode() {
        freshNode();
    }

    @AfterAll
    static void stopNode() {
        if (node != null) {
            node.close();
        }
    }

    private static void freshNode() {
        if (node != null) {
            node.close();
        }
        node = TestNode.start("tandem.redis.uri=" + redis.uri(), "tandem.node.id=torture-it-" + (++nodes));
        endpoint = node.bean(SipEndpoint.class);
        meters = node.bean(MeterRegistry.class);
        sentToNode.clear();
    }

    /**
     * Moves to a fresh node when the current one would take {@code message} for a retransmission. Messages the
     * parser refuses, or responses, never reach the transaction layer and need no fresh node.
     */
    private static void nodeFor(byte[] message, boolean tcp, Verdict expected) {
        if (expected.kind() != Kind.PROCESSED && expected.kind() != Kind.REJECTED) {
            return;
        }
        String text = new String(message, StandardCharsets.ISO_8859_1);
        String method = tcp ? text.split("[ \\r\\n]", 2)[0] + " " : "";
        Matcher branch = BRANCH.matcher(text);
        Matcher callId = CALL_ID.matcher(text);
        String key = method + (branch.find() ? branch.group(1) : callId.find() ? callId.group(1).trim() : "");
        if (!sentToNode.add(key)) {
            freshNode();
            sentToNode.add(key);
        }
    }

    static List<String> files() {
        return List.copyOf(TortureCorpus.EXPECTED.keySet());
    }

    @ParameterizedTest(name = "{0} over UDP")
    @MethodSource("files")
    @Order(1)
    void overUdpTheNodeDoesWhatTheReadmeSays(String file) throws Exception {
        Verdict expected = TortureCorpus.EXPECTED.get(file);
        nodeFor(TortureCorpus.read(file), false, expected);
        long answered = responses();
        long rejected = endpoint.rejected();
        long malformed = endpoint.droppedMalformed();
        RawSip.udp(node.sipPort(), TortureCorpus.read(file), Duration.ZERO);
        switch (expected.kind()) {
            // A feature answered it (its answer goes to the Via, which is not us).
            case PROCESSED -> Await.until(file + " is answered by the node", ANSWER, () -> responses() > answered);
            // CSeq/method mismatch is refused by the RI itself (400) before our validator sees it.
            case REJECTED -> Await.until(file + " is rejected", ANSWER,
                    () -> endpoint.rejected() + endpoint.droppedMalformed() > rejected + malformed);
            case MALFORMED, DROPPED, RESPONSE_MALFORMED -> Await.until(file + " is counted as malformed", ANSWER,
                    () -> endpoint.droppedMalformed() > malformed);
            case RESPONSE -> {
                // a stray response matches no transaction: nothing to observe but survival
            }
            default -> throw new AssertionError("unknown verdict " + expected);
        }
        assertSurvived(file);
    }

    @ParameterizedTest(name = "{0} over TCP")
    @MethodSource("files")
    @Order(2)
    void overTcpTheAnswerIsTheExpectedOne(String file) throws Exception {
        Verdict expected = TortureCorpus.EXPECTED.get(file);
        byte[] message = TortureCorpus.overTcp(TortureCorpus.read(file));
        nodeFor(message, true, expected);
        long refused = endpoint.rejected() + endpoint.droppedMalformed();
        boolean silent = expected.kind() != Kind.PROCESSED && expected.kind() != Kind.REJECTED;
        List<String> answers = RawSip.tcp(node.sipPort(), message, silent ? SILENCE : ANSWER);
        String last = answers.isEmpty() ? "" : answers.get(answers.size() - 1);
        int status = answers.isEmpty() ? 0 : RawSip.status(last);
        switch (expected.kind()) {
            case PROCESSED -> {
                // What a feature answers depends on the method and the node's routes (200 OPTIONS, 401/404
                // REGISTER, 480 INVITE while no route, 501 unknown method): a final answer, never a failure of ours.
                assertThat(status).as(file + " " + answers).isBetween(200, 699).isNotIn(500, 503);
                assertThat(RawSip.reason(last)).as(file + " reason phrase").isNotBlank();
            }
            case REJECTED -> {
                assertThat(status).as(file + " " + answers).isEqualTo(expected.status());
                assertThat(RawSip.reason(last)).isNotBlank();
                // refused before any feature: by our validator, or by the RI itself (CSeq/method mismatch)
                assertThat(endpoint.rejected() + endpoint.droppedMalformed()).as(file + " refused by the endpoint")
                        .isGreaterThan(refused);
            }
            // The stack answers 400 where it can form a response; where framing is broken (a Content-Length
            // beyond the bytes sent) it waits for the rest and answers nothing.
            case MALFORMED -> assertThat(status).as(file + " " + answers).isIn(0, 400);
            case DROPPED, RESPONSE, RESPONSE_MALFORMED -> assertThat(answers).as(file).isEmpty();
            default -> throw new AssertionError("unknown verdict " + expected);
        }
        assertSurvived(file);
    }

    @Test
    @Order(3)
    void aNodeThatGotTheWholeCorpusStillRegistersUsersWithDigest() throws Exception {
        freshNode();
        for (String file : files()) {
            byte[] message = TortureCorpus.read(file);
            RawSip.udp(node.sipPort(), message, Duration.ZERO);
            RawSip.tcp(node.sipPort(), TortureCorpus.overTcp(message), Duration.ofMillis(200));
        }
        assertSurvived("the whole corpus");
        StringBuilder csv = new StringBuilder("SEQUENTIAL\n");
        for (int i = 0; i < USERS; i++) {
            String extension = Integer.toString(1001 + i);
            csv.append(extension).append(";[authentication username=").append(extension).append(" password=")
                    .append(TestNode.PASSWORD).append("]\n");
        }
        try (SippProcess sipp = SippProcess.scenario("register-digest-uac.xml")
                .remote(new InetSocketAddress("127.0.0.1", node.sipPort()))
                .injection(csv.toString()).calls(USERS).rate(20).maxConcurrent(10)
                .traceMessages(false).timeout(Duration.ofSeconds(60)).start()) {
            SippResult result = sipp.awaitExit(Duration.ofSeconds(90));
            assertThat(result.allCallsSucceeded()).as(result.describe()).isTrue();
            assertThat(result.successfulCalls()).isEqualTo(USERS);
        }
        assertThat(node.bean(Bindings.class).all("demo")).hasSize(USERS);
        assertThat(endpoint.handlerFailures()).isZero();
    }

    /**
     * No handler failure, and the node still answers a well-formed OPTIONS over TCP. The node counts an answer just
     * after sending it, so the count is awaited too: the next file starts from a settled count.
     */
    private static void assertSurvived(String file) throws IOException {
        long answered = responses();
        assertThat(endpoint.handlerFailures()).as(file + ": handler failures").isZero();
        String options = "OPTIONS sip:probe@127.0.0.1:" + node.sipPort() + " SIP/2.0\r\n"
                + "Via: SIP/2.0/TCP 127.0.0.1:9;branch=z9hG4bKprobe" + System.nanoTime() + "\r\n"
                + "Max-Forwards: 70\r\nFrom: <sip:t@127.0.0.1>;tag=t\r\nTo: <sip:probe@127.0.0.1>\r\n"
                + "Call-ID: probe-" + System.nanoTime() + "\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n";
        List<String> answers = RawSip.tcp(node.sipPort(), options.getBytes(StandardCharsets.US_ASCII), ANSWER);
        assertThat(answers).as(file + ": node still answers OPTIONS").anyMatch(s -> RawSip.status(s) == 200);
        Await.until("the OPTIONS answer is counted", ANSWER, () -> responses() > answered);
    }

    /** Responses the node's features sent ({@code tandem.sip.responses}, every class). */
    private static long responses() {
        return (long) meters.find("tandem.sip.responses").counters().stream().mapToDouble(Counter::count).sum();
    }
}
