package io.tandem.backend.call;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.sync.RedisCommands;
import io.tandem.backend.TestNode;
import io.tandem.backend.redis.Keys;
import io.tandem.backend.redis.Redis;
import io.tandem.telephony.peers.SippProcess;
import io.tandem.telephony.peers.SippResult;
import io.tandem.telephony.testing.Await;
import io.tandem.telephony.testing.RedisServer;
import io.tandem.telephony.testing.TestPhone;
import io.tandem.telephony.ua.Call;
import io.tandem.telephony.ua.CallState;
import io.tandem.telephony.ua.UserAgentConfig;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Extensions calling the public network through the tenant's carrier trunks, the carriers being our own user agent
 * (and SIPp) listening where the trunk points: the permission class is checked before anything is sent, the caller-id
 * rule is what the carrier sees, channels and calls per second are held cluster-wide, and a call fails over to the
 * next trunk only when the first refused it before alerting anyone.
 */
class OutsideCallIT {

    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TRUNKS = "/api/v1/tenants/demo/trunks/";
    /** A London number dialled the way a Berlin office does: outside 0, then international 00. */
    private static final String LONDON = "000442071234567";
    private static final String LONDON_E164 = "+442071234567";

    private static TestNode node;

    @BeforeAll
    static void start() {
        node = Cluster.node(redis, "outside", "tandem.call.ring-timeout=10s");
        put("/api/v1/tenants/demo/dial-plan", "{\"countryCode\":\"49\",\"areaCode\":\"30\",\"nationalPrefix\":\"0\","
                + "\"internationalPrefix\":\"00\",\"outsidePrefix\":\"0\"}", 200);
        permit("1001", "international");
        permit("1005", "international");
        permit("1003", "national");
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    /** Each test sets up its own trunks: none of another test's is left in service. */
    @BeforeEach
    void noTrunks() {
        for (String id : List.of("a", "b", "c")) {
            node.api().delete(TRUNKS + id, TestNode.ADMIN, TestNode.PASSWORD);
        }
    }

    @Test
    void anExtensionWithInternationalPermissionReachesTheCarrierAsTheTrunksPresentedNumber() throws Exception {
        try (TestPhone carrier = carrier(Call::answer);
             Phone caller = Phone.registered(node, "1001", 1000, 440)) {
            trunk("a", carrier.ua.sipPort(), 1, 0, 0, "[\"PCMA\"]");
            Call call = caller.dial(node, LONDON);
            Call far = nextCall(carrier);
            assertThat(far.remoteUri()).as("the carrier sees the trunk's number, not the extension")
                    .contains("+4930555000").doesNotContain("1001");
            assertThat(far.inviteHeader("To")).contains(LONDON_E164);
            caller.awaitState(call, CallState.CONNECTED);
            assertThat(far.codec().encodingName()).as("the trunk's codecs only were offered").isEqualTo("PCMA");
            Await.until("the customer hears the caller's 1 kHz", Duration.ofSeconds(20),
                    () -> carrier.ear.toneFrames() > 25);
            Await.until("the caller hears the customer's 440 Hz", Duration.ofSeconds(20),
                    () -> caller.ear.toneFrames() > 25);
            call.hangup();
            carrier.awaitState(far, CallState.ENDED);
            Await.until("the call's record", Duration.ofSeconds(30), () -> !cdr(call.id()).isEmpty());
            assertThat(cdr(call.id())).containsEntry("from", "1001").containsEntry("to", LONDON_E164)
                    .containsEntry("trunk", "a").containsEntry("endCause", "normal");
            Await.until("the channel is given back", Duration.ofSeconds(30),
                    () -> redisCommands().hlen(Keys.trunkChannels("demo", "a")) == 0);
        }
    }

    @Test
    void withoutPermissionOrAsAnAppUserTheCallIsRefusedAndTheCarrierReceivesNothing() throws Exception {
        try (TestPhone carrier = carrier(c -> c.reject(486));
             Phone national = Phone.registered(node, "1003", 1000, 440);
             Phone none = Phone.registered(node, "1004", 1000, 440);
             Phone app = Phone.registered(node, "2001", 1000, 440)) {
            trunk("a", carrier.ua.sipPort(), 1, 0, 0);
            Call international = national.dial(node, LONDON);
            national.awaitState(international, CallState.ENDED);
            assertThat(international.endStatus()).isEqualTo(403);
            Call national2 = national.dial(node, "0089123456");
            Call far = nextCall(carrier);
            assertThat(far.inviteHeader("To")).as("a national number is within 1003's class").contains("+4989123456");
            national.awaitState(national2, CallState.ENDED);
            assertThat(national2.endStatus()).isEqualTo(486);
            Call local = none.dial(node, "01234567");
            none.awaitState(local, CallState.ENDED);
            assertThat(local.endStatus()).as("no permission at all").isEqualTo(403);
            Call fromApp = app.dial(node, LONDON_E164);
            app.awaitState(fromApp, CallState.ENDED);
            assertThat(fromApp.endStatus()).as("an app user never calls out").isEqualTo(403);
            assertThat(carrier.incoming).as("only the permitted national call reached the carrier").isEmpty();
        }
    }

    @Test
    void aTrunkAtItsMaximumChannelsSendsTheNextCallToTheNextTrunk() throws Exception {
        try (TestPhone carrierA = carrier(Call::answer);
             TestPhone carrierB = carrier(Call::answer);
             Phone first = Phone.registered(node, "1001", 1000, 440);
             Phone second = Phone.registered(node, "1005", 1000, 440)) {
            trunk("a", carrierA.ua.sipPort(), 1, 1, 0);
            trunk("b", carrierB.ua.sipPort(), 2, 0, 0);
            Call one = first.dial(node, LONDON);
            first.awaitState(one, CallState.CONNECTED);
            Call two = second.dial(node, LONDON);
            second.awaitState(two, CallState.CONNECTED);
            assertThat(carrierA.incoming).as("trunk a carried only the first call").hasSize(1);
            assertThat(carrierB.incoming).as("the second went to trunk b").hasSize(1);
            one.hangup();
            two.hangup();
            first.awaitState(one, CallState.ENDED);
            second.awaitState(two, CallState.ENDED);
        }
    }

    @Test
    void noMoreInvitesReachTheCarrierInAnySecondThanItsCallsPerSecond() throws Exception {
        int caps = 2;
        int calls = 6;
        List<Instant> arrivals = new ArrayList<>();
        try (TestPhone carrier = carrier(c -> {
                synchronized (arrivals) {
                    arrivals.add(Instant.now());
                }
                c.reject(486);
            });
             Phone caller = Phone.registered(node, "1001", 1000, 440)) {
            trunk("a", carrier.ua.sipPort(), 1, 0, caps);
            List<Call> placed = new ArrayList<>();
            for (int i = 0; i < calls; i++) {
                placed.add(caller.dial(node, LONDON));
            }
            // Several calls of one phone: their states are read from the calls, not from the phone's one event queue.
            Await.until("every call ended", Duration.ofSeconds(30),
                    () -> placed.stream().allMatch(c -> c.state() == CallState.ENDED));
            long refused = placed.stream().filter(c -> c.endStatus() == 503).count();
            long busy = placed.stream().filter(c -> c.endStatus() == 486).count();
            assertThat(busy + refused).isEqualTo(calls);
            synchronized (arrivals) {
                assertThat(arrivals).hasSize((int) busy);
                for (Instant at : arrivals) {
                    long within = arrivals.stream().filter(a -> !a.isBefore(at) && a.isBefore(at.plusSeconds(1)))
                            .count();
                    assertThat(within).as("INVITEs at the carrier within 1 s of " + at).isLessThanOrEqualTo(caps);
                }
            }
        }
    }

    @Test
    void a503BeforeAnyRingingFailsOverToTheNextTrunk() throws Exception {
        try (SippProcess refusing = SippProcess.scenario("uas-refuse-503.xml").calls(1).traceMessages(false)
                .timeout(Duration.ofSeconds(60)).start();
             TestPhone carrierB = carrier(Call::answer);
             Phone caller = Phone.registered(node, "1001", 1000, 440)) {
            trunk("a", refusing.port(), 1, 0, 0);
            trunk("b", carrierB.ua.sipPort(), 2, 0, 0);
            Call call = caller.dial(node, LONDON);
            caller.awaitState(call, CallState.CONNECTED);
            assertThat(carrierB.incoming).hasSize(1);
            SippResult a = refusing.awaitExit(Duration.ofSeconds(30));
            assertThat(a.successfulCalls()).as(a.describe()).isEqualTo(1);
            call.hangup();
            caller.awaitState(call, CallState.ENDED);
            Await.until("the call's record", Duration.ofSeconds(30), () -> !cdr(call.id()).isEmpty());
            assertThat(cdr(call.id())).containsEntry("trunk", "b");
        }
    }

    @Test
    void aCarrierThatNeverAnswersTheInviteIsLeftForTheNextTrunk() throws Exception {
        try (DatagramSocket silent = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
             TestPhone carrierB = carrier(Call::answer);
             Phone caller = Phone.registered(node, "1001", 1000, 440)) {
            trunk("a", silent.getLocalPort(), 1, 0, 0);
            trunk("b", carrierB.ua.sipPort(), 2, 0, 0);
            Call call = caller.dial(node, LONDON);
            caller.awaitState(call, CallState.CONNECTED);
            assertThat(carrierB.incoming).as("after tandem.trunks.invite-timeout without 100 Trying").hasSize(1);
            Await.until("trunk a's channel given back", Duration.ofSeconds(30),
                    () -> redisCommands().hlen(Keys.trunkChannels("demo", "a")) == 0);
            call.hangup();
            caller.awaitState(call, CallState.ENDED);
        }
    }

    @Test
    void aRefusalAfterRingingNeverFailsOver() throws Exception {
        try (TestPhone carrierA = carrier(c -> c.reject(486));
             TestPhone carrierB = carrier(Call::answer);
             Phone caller = Phone.registered(node, "1001", 1000, 440)) {
            trunk("a", carrierA.ua.sipPort(), 1, 0, 0);
            trunk("b", carrierB.ua.sipPort(), 2, 0, 0);
            Call call = caller.dial(node, LONDON);
            caller.awaitState(call, CallState.ENDED);
            assertThat(call.endStatus()).as("the customer's busy comes back").isEqualTo(486);
            assertThat(carrierA.incoming).hasSize(1);
            assertThat(carrierB.incoming).as("180 then 486: the customer may have heard it ring").isEmpty();
        }
    }

    @Test
    void trunksAreValidatedAndTheirPasswordIsNeverShown() throws Exception {
        HttpResponse<String> badTransport = node.api().put(TRUNKS + "x", TestNode.ADMIN, TestNode.PASSWORD,
                "{\"host\":\"127.0.0.1\",\"transport\":\"sctp\",\"authentication\":\"address\","
                        + "\"addresses\":[\"127.0.0.1\"],\"callerId\":{\"mode\":\"presented\",\"number\":\"+4930555000\"}}");
        assertThat(badTransport.statusCode()).isEqualTo(400);
        JsonNode error = JSON.readTree(badTransport.body()).path("errors").path(0);
        assertThat(error.path("field").asText()).isEqualTo("transport");
        assertThat(error.path("allowed").toString()).isEqualTo("[\"udp\",\"tcp\"]");

        HttpResponse<String> noUser = node.api().put(TRUNKS + "x", TestNode.ADMIN, TestNode.PASSWORD,
                "{\"host\":\"sip.carrier.example\",\"authentication\":\"registration\",\"password\":\"s3cret-pass\","
                        + "\"callerId\":{\"mode\":\"presented\",\"number\":\"+4930555000\"}}");
        assertThat(noUser.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(noUser.body()).path("errors").path(0).path("field").asText()).isEqualTo("username");

        HttpResponse<String> badCodec = node.api().put(TRUNKS + "x", TestNode.ADMIN, TestNode.PASSWORD,
                "{\"host\":\"127.0.0.1\",\"authentication\":\"address\",\"addresses\":[\"127.0.0.1\"],"
                        + "\"codecs\":[\"PCMU\",\"G729\"],"
                        + "\"callerId\":{\"mode\":\"presented\",\"number\":\"+4930555000\"}}");
        assertThat(badCodec.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(badCodec.body()).path("errors").path(0).path("field").asText())
                .isEqualTo("codecs[1]");

        HttpResponse<String> registering = node.api().put(TRUNKS + "x", TestNode.ADMIN, TestNode.PASSWORD,
                "{\"host\":\"sip.carrier.example\",\"authentication\":\"registration\",\"username\":\"acme\","
                        + "\"password\":\"s3cret-pass\","
                        + "\"callerId\":{\"mode\":\"presented\",\"number\":\"+4930555000\"}}");
        assertThat(registering.statusCode()).isEqualTo(201);
        String shown = node.api().get(TRUNKS + "x", TestNode.ADMIN, TestNode.PASSWORD).body();
        assertThat(shown).doesNotContain("s3cret-pass").contains("\"passwordStored\":true");
        assertThat(node.api().get("/api/v1/tenants/demo/trunks", TestNode.ADMIN, TestNode.PASSWORD).body())
                .doesNotContain("s3cret-pass");
        assertThat(node.api().get(TRUNKS + "x", "1001", TestNode.PASSWORD).statusCode())
                .as("an agent may not see trunks").isEqualTo(403);
        HttpResponse<String> noReason = node.api().put(TRUNKS + "x/state", TestNode.ADMIN, TestNode.PASSWORD,
                "{\"state\":\"out-of-service\"}");
        assertThat(noReason.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(noReason.body()).path("errors").path(0).path("field").asText()).isEqualTo("reason");
        node.api().delete(TRUNKS + "x", TestNode.ADMIN, TestNode.PASSWORD);
    }

    /** A carrier: our user agent listening on its own port of 127.0.0.1, doing {@code action} with every call. */
    private static TestPhone carrier(Consumer<Call> action) throws Exception {
        TestPhone carrier = TestPhone.start(UserAgentConfig.of("carrier", "127.0.0.1"), 440, 1000);
        carrier.onIncoming(action);
        return carrier;
    }

    /** The carrier's next incoming call. */
    private static Call nextCall(TestPhone carrier) throws InterruptedException {
        return TestPhone.next(carrier.incoming, "a call at the carrier");
    }

    /** A trunk to our carrier at {@code port}: address authentication, the given priority and limits. */
    private static void trunk(String id, int port, int priority, int maxChannels, int caps) {
        trunk(id, port, priority, maxChannels, caps, "[\"PCMU\",\"PCMA\"]");
    }

    private static void trunk(String id, int port, int priority, int maxChannels, int caps, String codecs) {
        put(TRUNKS + id, "{\"host\":\"127.0.0.1\",\"port\":" + port + ",\"authentication\":\"address\","
                + "\"codecs\":" + codecs + ","
                + "\"addresses\":[\"127.0.0.1\"],\"priority\":" + priority + ",\"maxChannels\":" + maxChannels
                + ",\"caps\":" + caps + ",\"callerId\":{\"mode\":\"presented\",\"number\":\"+4930555000\"}}", -1);
    }

    private static void permit(String user, String permission) {
        put("/api/v1/tenants/demo/dial-permissions/" + user, "{\"permission\":\"" + permission + "\"}", 200);
    }

    private static void put(String path, String json, int expected) {
        HttpResponse<String> response = node.api().put(path, TestNode.ADMIN, TestNode.PASSWORD, json);
        if (expected > 0) {
            assertThat(response.statusCode()).as(response.body()).isEqualTo(expected);
        } else {
            assertThat(response.statusCode()).as(response.body()).isBetween(200, 201);
        }
    }

    private static RedisCommands<String, String> redisCommands() {
        return node.bean(Redis.class).commands();
    }

    private static Map<String, String> cdr(String callId) {
        return redisCommands().xrange(Keys.cdr("demo"), Range.create("-", "+")).stream().map(StreamMessage::getBody)
                .filter(b -> callId.equals(b.get("callId"))).findFirst().orElse(Map.of());
    }
}
