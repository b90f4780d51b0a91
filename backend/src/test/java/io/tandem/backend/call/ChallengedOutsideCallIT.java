package io.tandem.backend.call;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.sync.RedisCommands;
import io.tandem.backend.TestNode;
import io.tandem.backend.redis.Keys;
import io.tandem.backend.redis.Redis;
import io.tandem.telephony.peers.SippProcess;
import io.tandem.telephony.peers.SippResult;
import io.tandem.telephony.sip.auth.DigestAlgorithm;
import io.tandem.telephony.sip.auth.DigestResponse;
import io.tandem.telephony.sip.auth.DigestVerifier;
import io.tandem.telephony.testing.Await;
import io.tandem.telephony.testing.RedisServer;
import io.tandem.telephony.ua.Call;
import io.tandem.telephony.ua.CallState;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Outside calls through a registration trunk whose carrier (SIPp) challenges the INVITE with 407 (RFC 3261 §22.2):
 * the node answers once with the trunk's digest credentials — same Call-ID and From tag, the next CSeq — and the call
 * connects with audio both ways; a carrier that challenges the answer again with the same nonce gets no third INVITE,
 * and the call fails with a cause that says so in its record.
 */
class ChallengedOutsideCallIT {

    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    private static final String TRUNKS = "/api/v1/tenants/demo/trunks/";
    private static final String LONDON = "000442071234567";
    private static final Pattern INVITE = Pattern.compile("^INVITE sip:", Pattern.MULTILINE);
    private static final Pattern PROXY_AUTHORIZATION = Pattern.compile("^Proxy-Authorization:(.*)$",
            Pattern.MULTILINE);
    private static final Pattern CSEQ = Pattern.compile("^CSeq: (\\d+) INVITE", Pattern.MULTILINE);

    private static TestNode node;

    @BeforeAll
    static void start() {
        node = Cluster.node(redis, "challenged", "tandem.call.ring-timeout=10s",
                "tandem.trunks.registration-check=1s");
        put("/api/v1/tenants/demo/dial-plan", "{\"countryCode\":\"49\",\"areaCode\":\"30\",\"nationalPrefix\":\"0\","
                + "\"internationalPrefix\":\"00\",\"outsidePrefix\":\"0\"}");
        put("/api/v1/tenants/demo/dial-permissions/1001", "{\"permission\":\"international\"}");
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    /** Each test has its own carrier: no trunk of another test is left to hunt. */
    @BeforeEach
    void noTrunks() {
        for (String id : List.of("reg", "wrong")) {
            node.api().delete(TRUNKS + id, TestNode.ADMIN, TestNode.PASSWORD);
        }
    }

    @Test
    void aChallengedInviteIsSentAgainWithTheTrunksCredentialsAndTheCallConnects() throws Exception {
        try (SippProcess carrier = SippProcess.scenario("uas-invite-407.xml").key("realm", "carrier.test").pcmuTone(440, Duration.ofSeconds(2)).calls(2).traceMessages(true)
                .timeout(Duration.ofSeconds(60)).start();
             Phone caller = Phone.registered(node, "1001", 1000, 440)) {
            trunk("reg", carrier.port());
            Call call = caller.dial(node, LONDON);
            caller.awaitState(call, CallState.CONNECTED);
            Await.until("the caller hears the carrier's 440 Hz", Duration.ofSeconds(20),
                    () -> caller.ear.toneFrames() > 25);
            call.hangup();
            caller.awaitState(call, CallState.ENDED);
            Await.until("the call's record", Duration.ofSeconds(30), () -> !cdr(call.id()).isEmpty());
            assertThat(cdr(call.id())).containsEntry("trunk", "reg").containsEntry("endCause", "normal");
            SippResult verdict = carrier.awaitExit(Duration.ofSeconds(30));
            assertThat(verdict.allCallsSucceeded()).as("the call and the REGISTER went as the carrier expects: "
                    + verdict.describe()).isTrue();
            String messages = carrier.messages();
            assertThat(INVITE.matcher(messages).results().count()).as("the challenged INVITE, then one with "
                    + "credentials").isEqualTo(2);
            Matcher credentials = PROXY_AUTHORIZATION.matcher(messages);
            assertThat(credentials.find()).as("Proxy-Authorization in the second INVITE").isTrue();
            DigestResponse digest = DigestResponse.parse(credentials.group(1).strip());
            assertThat(digest.username()).isEqualTo("acme");
            assertThat(new DigestVerifier().verify(digest, "INVITE",
                    DigestAlgorithm.MD5.ha1("acme", "carrier.test", "s3cret-pass")))
                    .as("the digest is the trunk's password's: " + digest).isTrue();
            assertThat(CSEQ.matcher(messages).results().map(m -> m.group(1)).distinct())
                    .as("CSeq + 1 for the INVITE with credentials").containsExactly("1", "2");
            Await.until("the channel is given back", Duration.ofSeconds(30),
                    () -> redisCommands().hlen(Keys.trunkChannels("demo", "reg")) == 0);
        }
    }

    @Test
    void aSecondChallengeWithTheSameNonceFailsTheCallWithoutAThirdInvite() throws Exception {
        try (SippProcess carrier = SippProcess.scenario("uas-invite-407-twice.xml")
                .key("realm", "carrier.test").calls(2).traceMessages(true).timeout(Duration.ofSeconds(60)).start();
             Phone caller = Phone.registered(node, "1001", 1000, 440)) {
            trunk("wrong", carrier.port());
            Call call = caller.dial(node, LONDON);
            caller.awaitState(call, CallState.ENDED);
            assertThat(call.endStatus()).isEqualTo(503);
            Await.until("the call's record", Duration.ofSeconds(30), () -> !cdr(call.id()).isEmpty());
            assertThat(cdr(call.id())).containsEntry("trunk", "wrong").containsEntry("endCause",
                    "carrier-auth-failed");
            // The carrier waits 3 s for a third INVITE (a loop), which would fail its call; the other is the REGISTER.
            SippResult verdict = carrier.awaitExit(Duration.ofSeconds(30));
            assertThat(verdict.allCallsSucceeded()).as(verdict.describe()).isTrue();
            assertThat(INVITE.matcher(carrier.messages()).results().count()).as("no loop of challenges").isEqualTo(2);
            Await.until("the channel is given back", Duration.ofSeconds(30),
                    () -> redisCommands().hlen(Keys.trunkChannels("demo", "wrong")) == 0);
        }
    }

    private static void trunk(String id, int port) {
        HttpResponse<String> response = node.api().put(TRUNKS + id, TestNode.ADMIN, TestNode.PASSWORD,
                "{\"host\":\"127.0.0.1\",\"port\":" + port + ",\"authentication\":\"registration\","
                        + "\"username\":\"acme\",\"password\":\"s3cret-pass\",\"addresses\":[\"127.0.0.1\"],"
                        + "\"codecs\":[\"PCMU\"],\"callerId\":{\"mode\":\"presented\",\"number\":\"+4930555000\"}}");
        assertThat(response.statusCode()).as(response.body()).isBetween(200, 201);
    }

    private static void put(String path, String json) {
        HttpResponse<String> response = node.api().put(path, TestNode.ADMIN, TestNode.PASSWORD, json);
        assertThat(response.statusCode()).as(response.body()).isBetween(200, 201);
    }

    private static RedisCommands<String, String> redisCommands() {
        return node.bean(Redis.class).commands();
    }

    private static Map<String, String> cdr(String callId) {
        return redisCommands().xrange(Keys.cdr("demo"), Range.create("-", "+")).stream().map(StreamMessage::getBody)
                .filter(b -> callId.equals(b.get("callId"))).findFirst().orElse(Map.of());
    }
}
