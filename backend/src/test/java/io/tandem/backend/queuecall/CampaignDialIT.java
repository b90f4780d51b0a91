package io.tandem.backend.queuecall;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.sync.RedisCommands;
import io.tandem.backend.TestNode;
import io.tandem.backend.acd.queues.Queues;
import io.tandem.backend.acd.queues.Strategy;
import io.tandem.backend.redis.Keys;
import io.tandem.backend.redis.Redis;
import io.tandem.telephony.peers.SippProcess;
import io.tandem.telephony.testing.Await;
import io.tandem.telephony.testing.RedisServer;
import io.tandem.telephony.testing.TestPhone;
import io.tandem.telephony.ua.Call;
import io.tandem.telephony.ua.CallState;
import io.tandem.telephony.ua.UserAgentConfig;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Campaigns dialling for real: a node's scheduler claims contacts, seizes trunks and calls the carriers (SIPp UAS
 * processes where each trunk points, answering, refusing, busy or letting it ring by the number called, for the
 * limits; our user agent where audio is checked). Checked: no carrier receives more INVITEs in any 1000 ms than its
 * trunk's calls per second (by the kernel's timestamps of a loopback capture of the INVITEs, not SIPp's clock), nor
 * is any trunk seized more often (the seizure times the node recorded per attempt, each matched by an INVITE at
 * that trunk's carrier), every contact ends with an outcome, retries follow the campaign's rules, do-not-call and
 * out-of-window numbers are never dialled, no number is dialled more often than its attempts; in progressive mode an
 * answered call reaches an agent of the campaign's queue, whose offer names the campaign and the contact, with audio
 * both ways.
 */
class CampaignDialIT {

    /** The broadcast campaign's contacts (issue 19: 300 over two trunks with CAPS 10 and 5). */
    private static final int BLAST = 300;
    /** The span over which a trunk's use is counted, in seconds. */
    private static final int SPAN_SECONDS = 8;

    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TENANT = "/api/v1/tenants/demo";
    private static final String PREFIX = "+49301000";

    private static TestNode node;

    @BeforeAll
    static void start() {
        // Long enough for this test's agent to be offered and answer on a loaded machine (the default 2 s is a
        // customer's wait, not a test harness's); the safe-harbour test lets its offer go unanswered.
        node = QueueNodes.node(redis, "dialler", "tandem.campaigns.safe-harbour=10s");
        node.bean(Queues.class).save("demo", QueueNodes.queue("7000", Strategy.LONGEST_IDLE, 15, 1, 0, 3,
                List.of("1002")), false);
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    @AfterEach
    void noCampaignsNorTrunks() {
        for (String id : List.of("blast", "sales", "caps", "prompt")) {
            node.api().delete(TENANT + "/campaigns/" + id, TestNode.ADMIN, TestNode.PASSWORD);
        }
        for (String id : List.of("a", "b")) {
            node.api().delete(TENANT + "/trunks/" + id, TestNode.ADMIN, TestNode.PASSWORD);
        }
    }

    /** A carrier whose customer is our user agent (audio checked): answers every call, counts each number's INVITEs. */
    private static final class Carrier implements AutoCloseable {
        final TestPhone phone;
        final Map<String, Integer> invites = new ConcurrentHashMap<>();

        Carrier() throws Exception {
            phone = TestPhone.start(UserAgentConfig.of("carrier", "127.0.0.1"), 440, 1000);
            phone.onIncoming(call -> {
                invites.merge(calledNumber(call), 1, Integer::sum);
                call.answer();
            });
        }

        @Override
        public void close() {
            phone.close();
        }
    }

    @Test
    void overTwoTrunksNoTrunksCapsIsExceededAndEveryContactEndsWithAnOutcomeByTheRules(@TempDir Path dir)
            throws Exception {
        try (SippProcess a = sippCarrier(); SippProcess b = sippCarrier();
                CarrierWire wireA = CarrierWire.watch(dir, a.port());
                CarrierWire wireB = CarrierWire.watch(dir, b.port())) {
            // channels too: 45 calls at once at most, within the node's 50 RTP port pairs (a call beyond them would
            // be an attempt failed at the node, never dialled)
            trunk("a", a.port(), 1, 10, 30);
            trunk("b", b.port(), 2, 5, 15);
            put(TENANT + "/campaigns/blast", "{\"queue\":\"7000\",\"mode\":\"broadcast\",\"window\":{\"start\":"
                    + "\"08:00\",\"end\":\"20:00\"},\"maxAttempts\":2,\"retry\":{\"busySeconds\":1,"
                    + "\"noAnswerSeconds\":1,\"failedSeconds\":1},\"ringSeconds\":15,\"prompt\":[\"beep\"]}");
            String inWindow = zoneWhereItIs(14);
            StringBuilder csv = new StringBuilder("number,timezone\n");
            for (int i = 0; i < BLAST; i++) {
                csv.append(number(i)).append(',').append(i == 45 ? zoneWhereItIs(2) : inWindow).append('\n');
            }
            upload("blast", csv.toString());
            post(TENANT + "/do-not-call", "{\"numbers\":[\"" + number(58) + "\"]}");
            post(TENANT + "/campaigns/blast/do-not-call", "{\"numbers\":[\"" + number(56) + "\"]}");
            post(TENANT + "/campaigns/blast/start", "");

            Await.until("every contact in its window ended", Duration.ofSeconds(360), () -> records("blast")
                    .values().stream().filter(r -> "done".equals(r.path("state").asText())).count() == BLAST - 1);
            Map<String, JsonNode> records = records("blast");
            CarrierTrace atA = CarrierTrace.of(a);
            CarrierTrace atB = CarrierTrace.of(b);
            // the count on the wire: INVITEs (each call once) reaching each carrier within any 1000 ms, by the
            // kernel's capture timestamps (SIPp's own clock says when it read them, late when it is starved of CPU)
            assertThat(wireA.calls()).as("calls captured on their way to carrier a").isEqualTo(atA.offered().size());
            assertThat(wireB.calls()).as("calls captured on their way to carrier b").isEqualTo(atB.offered().size());
            assertThat(wireA.mostInAnySecond()).as("INVITEs reaching carrier a in any second, trunk a's CAPS")
                    .isLessThanOrEqualTo(10);
            assertThat(wireB.mostInAnySecond()).as("INVITEs reaching carrier b in any second, trunk b's CAPS")
                    .isLessThanOrEqualTo(5);

            List<Map<String, String>> attempts = attempts("blast");
            Map<String, List<Long>> seizedAt = new HashMap<>();
            for (Map<String, String> attempt : attempts) {
                if (!attempt.get("trunk").isEmpty()) {
                    seizedAt.computeIfAbsent(attempt.get("trunk"), t -> new ArrayList<>())
                            .add(Long.parseLong(attempt.get("seizedAt")));
                }
            }
            List<Long> onA = seizedAt.getOrDefault("a", List.of());
            List<Long> onB = seizedAt.getOrDefault("b", List.of());
            assertThat(mostInAnySecond(onA)).as("trunk a's seizures in any second").isLessThanOrEqualTo(10);
            assertThat(mostInAnySecond(onB)).as("trunk b's seizures in any second").isLessThanOrEqualTo(5);
            // b carries what a's CAPS leave in a second: how much depends on how fast this machine dials
            assertThat(onA).as("every INVITE at carrier a was an attempt on trunk a").hasSize(atA.offered().size());
            assertThat(onB).as("every INVITE at carrier b was an attempt on trunk b").hasSize(atB.offered().size());
            Map<String, Long> dialledAt = Stream.concat(atA.offered().stream(), atB.offered().stream())
                    .collect(Collectors.groupingBy(CarrierTrace.Offered::number, Collectors.counting()));

            for (int i = 0; i < BLAST; i++) {
                String n = number(i);
                JsonNode record = records.get(n);
                long dialled = dialledAt.getOrDefault(n, 0L);
                assertThat(dialled).as(n + " dialled as often as its attempts")
                        .isEqualTo(record.path("attempts").asInt());
                String outcome = record.path("lastOutcome").asText();
                if (i == 58 || i == 56) {
                    assertThat(outcome).as(n).isEqualTo("do-not-call");
                    assertThat(dialled).as(n + " never dialled").isZero();
                } else if (i == 45) {
                    assertThat(record.path("state").asText()).as("out of its window: waits").isEqualTo("pending");
                    assertThat(dialled).as(n + " never dialled out of its window").isZero();
                } else if (i % 10 == 6 || i % 10 == 7) {
                    assertThat(outcome).as(n).isEqualTo("busy");
                    assertThat(dialled).as(n + " retried up to the maximum").isEqualTo(2);
                } else if (i % 10 >= 8) {
                    assertThat(outcome).as(n).isEqualTo("no-answer");
                    assertThat(dialled).as(n + " retried up to the maximum").isEqualTo(2);
                } else if (i % 10 == 5) {
                    assertThat(outcome).as(n).isEqualTo("invalid");
                    assertThat(dialled).as(n + " never retried").isEqualTo(1);
                } else {
                    assertThat(outcome).as(n).isEqualTo("answered");
                    assertThat(dialled).as(n + " answered at the first call").isEqualTo(1);
                }
            }
            long total = atA.offered().size() + atB.offered().size();
            JsonNode figures = JSON.readTree(node.api().get(TENANT + "/campaigns/blast/figures", TestNode.ADMIN,
                    TestNode.PASSWORD).body());
            assertThat(figures.path("attempts").asLong()).isEqualTo(total);
            // by the last digit of each tenth: half answer (0-4), a tenth invalid (5) less 45 out of its window, a
            // fifth busy (6-7) less do-not-call 56, a fifth ringing unanswered (8-9) less do-not-call 58
            int tenths = BLAST / 10;
            assertThat(figures.path("outcomes").path("answered").asLong()).isEqualTo(5L * tenths);
            assertThat(figures.path("outcomes").path("do-not-call").asLong()).isEqualTo(2);
            assertThat(figures.path("outcomes").path("busy").asLong()).as("busy contacts, twice each")
                    .isEqualTo(2L * (2L * tenths - 1));
            assertThat(figures.path("outcomes").path("no-answer").asLong()).as("unanswered contacts, twice each")
                    .isEqualTo(2L * (2L * tenths - 1));
            assertThat(figures.path("outcomes").path("invalid").asLong()).isEqualTo(tenths - 1L);
            assertThat(figures.path("answerRate").asDouble()).isEqualTo(5.0 * tenths / total);
            List<Map<String, String>> events = commands().xrange(Keys.events("demo"), Range.create("-", "+"))
                    .stream().map(StreamMessage::getBody).filter(e -> "campaign.attempt".equals(e.get("kind")))
                    .filter(e -> "blast".equals(e.get("campaign"))).toList();
            assertThat(events).as("one supervisor event per attempt and per do-not-call contact")
                    .hasSize((int) total + 2);
            Await.until("every trunk channel given back", Duration.ofSeconds(20),
                    () -> commands().hlen(Keys.trunkChannels("demo", "a")) == 0
                            && commands().hlen(Keys.trunkChannels("demo", "b")) == 0
                            && commands().hlen(Keys.outboundChannels("demo", "campaign.blast")) == 0);
        }
    }

    /**
     * A trunk is used up to its CAPS second after second, and never beyond it on the wire. CAPS is counted over a
     * window slid over every INVITE: a scheduler dialling its second's calls all at once at each tick finds the last
     * tick's INVITEs still in the window and gets the trunk every other second, leaving it silent for a second after
     * each full one: {@value #SPAN_SECONDS} + 3 such silences for these contacts. What is asked is the shape, not a
     * rate (a rate measured on a loaded machine once came out at 118 of the 120 a count over the first seconds asked):
     * the trunk is never left silent for a second while contacts wait, but for a stall or two of a starved node.
     */
    @Test
    void aTrunkIsUsedUpToItsCapsSecondAfterSecondAndNeverBeyondItOnTheWire(@TempDir Path dir) throws Exception {
        int caps = 20;
        try (SippProcess a = sippCarrier(); CarrierWire wire = CarrierWire.watch(dir, a.port())) {
            trunk("a", a.port(), 1, caps);
            put(TENANT + "/campaigns/caps", "{\"queue\":\"7000\",\"mode\":\"broadcast\",\"window\":{\"start\":"
                    + "\"00:00\",\"end\":\"23:59\"},\"maxAttempts\":1,\"ringSeconds\":15}");
            // numbers ending in 5: the carrier refuses them at once (404), so no call holds a channel or RTP port
            int contacts = caps * (SPAN_SECONDS + 4);
            StringBuilder csv = new StringBuilder("number,timezone\n");
            for (int i = 0; i < contacts; i++) {
                csv.append(number(i * 10 + 5)).append(",UTC\n");
            }
            upload("caps", csv.toString());
            post(TENANT + "/campaigns/caps/start", "");

            Await.until("every contact called", Duration.ofSeconds(120), () -> records("caps").values().stream()
                    .filter(r -> "done".equals(r.path("state").asText())).count() == contacts);
            Await.until("the capture has every INVITE", Duration.ofSeconds(20), () -> wire.callsSoFar() >= contacts);
            long everyOtherSecond = contacts / caps - 1;
            assertThat(wire.silencesOf(1000)).as("seconds the trunk was left silent while contacts waited, against the "
                    + everyOtherSecond + " of a scheduler that gets it every other second").isLessThanOrEqualTo(2);
            assertThat(wire.mostInAnySecond()).as("INVITEs reaching the carrier in any second, the trunk's CAPS")
                    .isLessThanOrEqualTo(caps);
            assertThat(wire.calls()).as("each contact called once").isEqualTo(contacts);
        }
    }

    /**
     * A carrier: SIPp answering, refusing (404), busy or ringing unanswered by each number's last digit
     * ({@code uas-carrier-mix.xml}), every message traced with SIPp's clock.
     */
    private static SippProcess sippCarrier() {
        return SippProcess.scenario("uas-carrier-mix.xml").calls(100_000).timeout(Duration.ofSeconds(600))
                .traceMessages(true).start();
    }

    @Test
    void progressiveModeConnectsAnAnsweredCustomerToAnAgentWhoseOfferNamesTheCampaign() throws Exception {
        try (Carrier carrier = new Carrier();
             QueuePhone agent = QueuePhone.agent(node, "1002", 1000, 440);
             AgentDesk desk = AgentDesk.available(node, "1002").listen()) {
            trunk("a", carrier.phone.ua.sipPort(), 1, 0);
            put(TENANT + "/campaigns/sales", "{\"queue\":\"7000\",\"mode\":\"progressive\",\"window\":{\"start\":"
                    + "\"00:00\",\"end\":\"23:59\"},\"ringSeconds\":15}");
            upload("sales", "number,timezone,name\n" + number(1) + ",UTC,Erika\n");
            post(TENANT + "/campaigns/sales/start", "");
            Call customer = TestPhone.next(carrier.phone.incoming, "the customer's call at the carrier");
            JsonNode offer = desk.next("offer");
            assertThat(offer.path("callerNumber").asText()).isEqualTo(number(1));
            assertThat(offer.path("data").path("campaign").asText()).isEqualTo("sales");
            assertThat(offer.path("data").path("contact").asText()).isEqualTo(number(1));
            Call ringing = agent.nextIncoming();
            ringing.answer();
            agent.awaitState(ringing, CallState.CONNECTED);
            Await.until("the agent hears the customer's 440 Hz", Duration.ofSeconds(20),
                    () -> agent.ear(ringing).toneFrames() > 25);
            Await.until("the customer hears the agent's 1 kHz", Duration.ofSeconds(20),
                    () -> carrier.phone.ear.toneFrames() > 25);
            Await.until("the attempt recorded as answered", Duration.ofSeconds(30),
                    () -> "answered".equals(records("sales").get(number(1)).path("lastOutcome").asText()));
            customer.hangup();
            agent.awaitState(ringing, CallState.ENDED);
            assertThat(carrier.invites).containsEntry(number(1), 1);
        }
    }

    @Test
    void inPreviewModeTheAgentAsksForTheNextContactAndIsTheOneOfferedIt() throws Exception {
        try (Carrier carrier = new Carrier();
             QueuePhone agent = QueuePhone.agent(node, "1002", 1000, 440);
             AgentDesk desk = AgentDesk.available(node, "1002").listen()) {
            trunk("a", carrier.phone.ua.sipPort(), 1, 0);
            put(TENANT + "/campaigns/sales", "{\"queue\":\"7000\",\"mode\":\"preview\",\"window\":{\"start\":"
                    + "\"00:00\",\"end\":\"23:59\"},\"ringSeconds\":15}");
            upload("sales", "number,timezone,name\n" + number(2) + ",UTC,Max\n");
            post(TENANT + "/campaigns/sales/start", "");
            HttpResponse<String> next = node.api().post(TENANT + "/campaigns/sales/next", "1002", TestNode.PASSWORD,
                    "");
            assertThat(next.statusCode()).as(next.body()).isEqualTo(200);
            assertThat(JSON.readTree(next.body()).path("number").asText()).isEqualTo(number(2));
            Call customer = TestPhone.next(carrier.phone.incoming, "the customer's call at the carrier");
            JsonNode offer = desk.next("offer");
            assertThat(offer.path("data").path("campaign").asText()).isEqualTo("sales");
            Call ringing = agent.nextIncoming();
            ringing.answer();
            agent.awaitState(ringing, CallState.CONNECTED);
            customer.hangup();
            agent.awaitState(ringing, CallState.ENDED);
            HttpResponse<String> none = node.api().post(TENANT + "/campaigns/sales/next", "1002",
                    TestNode.PASSWORD, "");
            assertThat(none.statusCode()).as("no contact left").isEqualTo(204);
            assertThat(carrier.invites).as("the scheduler never dials a preview campaign by itself")
                    .containsOnlyKeys(number(2)).containsEntry(number(2), 1);
        }
    }

    @Test
    void anAnsweredCallNoAgentTakesHearsTheSafeHarbourPromptAndIsAbandoned() throws Exception {
        try (Carrier carrier = new Carrier();
             QueuePhone agent = QueuePhone.agent(node, "1002", 1000, 440);
             AgentDesk desk = AgentDesk.available(node, "1002").listen()) {
            trunk("a", carrier.phone.ua.sipPort(), 1, 0);
            put(TENANT + "/campaigns/sales", "{\"queue\":\"7000\",\"mode\":\"progressive\",\"window\":{\"start\":"
                    + "\"00:00\",\"end\":\"23:59\"},\"ringSeconds\":15}");
            upload("sales", "number,timezone\n" + number(3) + ",UTC\n");
            post(TENANT + "/campaigns/sales/start", "");
            Call customer = TestPhone.next(carrier.phone.incoming, "the customer's call at the carrier");
            Call ringing = agent.nextIncoming(); // the agent's phone rings and is never answered
            carrier.phone.awaitState(customer, CallState.ENDED);
            assertThat(customer.state()).as("hung up on by the node after the safe-harbour prompt")
                    .isEqualTo(CallState.ENDED);
            agent.awaitState(ringing, CallState.ENDED);
            Await.until("the attempt recorded", Duration.ofSeconds(30),
                    () -> "abandoned".equals(records("sales").get(number(3)).path("lastOutcome").asText()));
            JsonNode figures = JSON.readTree(node.api().get(TENANT + "/campaigns/sales/figures", TestNode.ADMIN,
                    TestNode.PASSWORD).body());
            assertThat(figures.path("abandonRate").asDouble()).isEqualTo(1.0);
            assertThat(records("sales").get(number(3)).path("state").asText()).as("never called again")
                    .isEqualTo("done");
        }
    }

    /**
     * A broadcast call's BYE comes only once its whole prompt was sent: it waits for the media thread to have read the
     * prompt ({@link Goodbye}), not for a wall-clock timer of the prompt's length, which cut the prompt short when a
     * loaded machine's media clock skipped ticks. Counted in packets the customer received, not in frames it played
     * (its own media clock would skip those alike).
     */
    @Test
    void aBroadcastCallIsHungUpOnlyOnceItsWholePromptWasSent() throws Exception {
        List<String> prompt = List.of("please-try-call-later", "vm-goodbye");
        try (Carrier carrier = new Carrier()) {
            trunk("a", carrier.phone.ua.sipPort(), 1, 0);
            put(TENANT + "/campaigns/prompt", "{\"queue\":\"7000\",\"mode\":\"broadcast\",\"window\":{\"start\":"
                    + "\"00:00\",\"end\":\"23:59\"},\"ringSeconds\":15,\"prompt\":[\"" + String.join("\",\"", prompt)
                    + "\"]}");
            upload("prompt", "number,timezone\n" + number(4) + ",UTC\n");
            post(TENANT + "/campaigns/prompt/start", "");
            Call customer = TestPhone.next(carrier.phone.incoming, "the customer's call at the carrier");
            carrier.phone.awaitState(customer, CallState.ENDED);
            long promptPackets = PredictiveCampaignIT.length(prompt).toMillis() / 20;
            assertThat(customer.statistics().packetsReceived()).as("packets of the " + promptPackets
                    + "-packet prompt the customer received before the node's BYE").isGreaterThanOrEqualTo(promptPackets);
        }
    }

    /** The most seizures within any 1000 ms, as the trunk's calls-per-second limit counts them. */
    private static long mostInAnySecond(List<Long> times) {
        long most = 0;
        for (long at : times) {
            most = Math.max(most, times.stream().filter(t -> t >= at && t < at + 1000).count());
        }
        return most;
    }

    /** A fixed-offset zone where the local hour is about {@code hour} now. */
    private static String zoneWhereItIs(int hour) {
        int utc = ZonedDateTime.now(ZoneOffset.UTC).getHour();
        int offset = Math.floorMod(hour - utc + 12, 24) - 12; // -12..+11
        // IANA's Etc zones have the sign reversed: Etc/GMT-2 is UTC+2
        return offset == 0 ? "Etc/UTC" : "Etc/GMT" + (offset > 0 ? "-" : "+") + Math.abs(offset);
    }

    private static String number(int i) {
        return PREFIX + String.format("%02d", i);
    }

    private static String calledNumber(Call call) {
        String to = call.inviteHeader("To");
        int start = to.indexOf("sip:") + 4;
        return to.substring(start, to.indexOf('@', start));
    }

    private static Map<String, JsonNode> records(String campaign) {
        return commands().hgetall(Keys.campaignContacts("demo", campaign)).entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> read(e.getValue())));
    }

    private static List<Map<String, String>> attempts(String campaign) {
        return commands().xrange(Keys.campaignAttempts("demo", campaign), Range.create("-", "+")).stream()
                .map(StreamMessage::getBody).toList();
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new AssertionError("unreadable record " + json, e);
        }
    }

    private static void trunk(String id, int port, int priority, int caps) {
        trunk(id, port, priority, caps, 0);
    }

    private static void trunk(String id, int port, int priority, int caps, int maxChannels) {
        put(TENANT + "/trunks/" + id, "{\"host\":\"127.0.0.1\",\"port\":" + port + ",\"authentication\":\"address\","
                + "\"codecs\":[\"PCMU\",\"PCMA\"],\"addresses\":[\"127.0.0.1\"],\"priority\":" + priority
                + ",\"caps\":" + caps + ",\"maxChannels\":" + maxChannels + ",\"callerId\":{\"mode\":\"presented\",\"number\":\"+4930555000\"}}");
    }

    private static void upload(String campaign, String csv) {
        HttpResponse<String> response = node.api().post(TENANT + "/campaigns/" + campaign + "/contacts",
                TestNode.ADMIN, TestNode.PASSWORD, "text/csv", csv);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    private static void put(String path, String json) {
        HttpResponse<String> response = node.api().put(path, TestNode.ADMIN, TestNode.PASSWORD, json);
        assertThat(response.statusCode()).as(response.body()).isBetween(200, 201);
    }

    private static void post(String path, String json) {
        HttpResponse<String> response = node.api().post(path, TestNode.ADMIN, TestNode.PASSWORD, json);
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
    }

    private static RedisCommands<String, String> commands() {
        return node.bean(Redis.class).commands();
    }
}
