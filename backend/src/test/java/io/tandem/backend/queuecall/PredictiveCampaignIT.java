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
import io.tandem.telephony.ua.Call;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A predictive campaign against simulated agents: six agents' phones answer each offer after half a second and hang
 * up after eight seconds of talk (longer than the safe harbour, so a customer answered with no agent about to free
 * is abandoned); the carrier is a SIPp UAS answering 50 % of the numbers, 404 on 10 %, busy on 20 % and letting 20 %
 * ring unanswered ({@code uas-carrier-mix.xml}, by each number's last digit). The pacing as it was (the ratio alone)
 * abandoned 3 of 50 live calls here, twice the cap. The measured abandon rate of live answered calls stays at or under the campaign's cap, every contact ends with the outcome its carrier behaviour
 * gives, each is offered to the carrier once, and every abandoned customer was kept on the line for the safe-harbour
 * prompt before the node hung up.
 */
class PredictiveCampaignIT {

    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TENANT = "/api/v1/tenants/demo";
    private static final String PREFIX = "+4930110";
    private static final int CONTACTS = 100;
    private static final double CAP = 0.03;
    private static final List<String> AGENTS = IntStream.rangeClosed(1011, 1016).mapToObj(Integer::toString)
            .toList();
    private static final Duration ANSWER_DELAY = Duration.ofMillis(500);
    /** Longer than the safe harbour: a customer answered with no agent free is abandoned unless one frees in time. */
    private static final Duration TALK = Duration.ofSeconds(8);
    /** A customer's wait for an agent: longer than the default 2 s so a loaded machine's slow offer is no abandon. */
    private static final Duration SAFE_HARBOUR = Duration.ofSeconds(3);
    private static final Path PROMPTS = Path.of("/usr/share/asterisk/sounds/en_US_f_Allison");
    private static final List<String> SAFE_HARBOUR_PROMPT = List.of("please-try-call-later", "vm-goodbye");

    private static TestNode node;

    @BeforeAll
    static void start() {
        node = QueueNodes.node(redis, "predictive", "tandem.campaigns.safe-harbour=" + SAFE_HARBOUR.toSeconds() + "s");
        // wrap-up 0: an agent is available again as its call ends; never not-ready for a missed offer
        node.bean(Queues.class).save("demo", QueueNodes.queue("7000", Strategy.LONGEST_IDLE, 15, 1, 0, 0, AGENTS),
                false);
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    @Test
    void theMeasuredAbandonRateStaysAtOrUnderTheCap() throws Exception {
        ScheduledExecutorService agentHands = Executors.newScheduledThreadPool(2);
        List<QueuePhone> phones = new ArrayList<>();
        List<AgentDesk> desks = new ArrayList<>();
        try (SippProcess carrier = SippProcess.scenario("uas-carrier-mix.xml").calls(100_000)
                .timeout(Duration.ofSeconds(400)).traceMessages(true).start()) {
            for (String agent : AGENTS) {
                QueuePhone phone = QueuePhone.agent(node, agent, 1000, 440);
                phone.onIncoming(call -> agentHands.schedule(() -> {
                    call.answer();
                    agentHands.schedule(call::hangup, TALK.toMillis(), TimeUnit.MILLISECONDS);
                }, ANSWER_DELAY.toMillis(), TimeUnit.MILLISECONDS));
                phones.add(phone);
                desks.add(AgentDesk.available(node, agent));
            }
            put(TENANT + "/trunks/sipp", "{\"host\":\"127.0.0.1\",\"port\":" + carrier.port()
                    + ",\"authentication\":\"address\",\"codecs\":[\"PCMU\"],\"addresses\":[\"127.0.0.1\"],"
                    + "\"callerId\":{\"mode\":\"presented\",\"number\":\"+4930555000\"}}");
            put(TENANT + "/campaigns/predict", "{\"queue\":\"7000\",\"mode\":\"predictive\",\"window\":{\"start\":"
                    + "\"00:00\",\"end\":\"23:59\"},\"maxAttempts\":1,\"ringSeconds\":15,\"abandonCap\":" + CAP + "}");
            StringBuilder csv = new StringBuilder("number,timezone\n");
            IntStream.range(0, CONTACTS).forEach(i -> csv.append(number(i)).append(",UTC\n"));
            HttpResponse<String> uploaded = node.api().post(TENANT + "/campaigns/predict/contacts", TestNode.ADMIN,
                    TestNode.PASSWORD, "text/csv", csv.toString());
            assertThat(uploaded.statusCode()).as(uploaded.body()).isEqualTo(200);
            post(TENANT + "/campaigns/predict/start");

            Await.until("every contact ended", Duration.ofSeconds(300), () -> records().values().stream()
                    .filter(r -> "done".equals(r.path("state").asText())).count() == CONTACTS);

            JsonNode figures = JSON.readTree(node.api().get(TENANT + "/campaigns/predict/figures", TestNode.ADMIN,
                    TestNode.PASSWORD).body());
            long answered = figures.path("outcomes").path("answered").asLong();
            long abandoned = figures.path("outcomes").path("abandoned").asLong();
            assertThat(answered + abandoned).as("half the numbers answer: " + figures).isEqualTo(CONTACTS / 2);
            assertThat(figures.path("abandonRate").asDouble()).as("abandoned of live answered calls: " + figures)
                    .isEqualTo((double) abandoned / (answered + abandoned)).isLessThanOrEqualTo(CAP);

            Map<String, JsonNode> records = records();
            CarrierTrace trace = CarrierTrace.of(carrier);
            Map<String, Long> offered = trace.offered().stream()
                    .collect(Collectors.groupingBy(CarrierTrace.Offered::number, Collectors.counting()));
            Map<String, CarrierTrace.Offered> callOf = trace.offered().stream()
                    .collect(Collectors.toMap(CarrierTrace.Offered::number, Function.identity(), (a, b) -> a));
            Duration prompt = SAFE_HARBOUR.plus(length(SAFE_HARBOUR_PROMPT));
            for (int i = 0; i < CONTACTS; i++) {
                String n = number(i);
                String outcome = records.get(n).path("lastOutcome").asText();
                assertThat(offered.get(n)).as(n + " offered to the carrier once").isEqualTo(1L);
                switch (i % 10) {
                    case 5 -> assertThat(outcome).as(n).isEqualTo("invalid");
                    case 6, 7 -> assertThat(outcome).as(n).isEqualTo("busy");
                    case 8, 9 -> assertThat(outcome).as(n).isEqualTo("no-answer");
                    default -> assertThat(outcome).as(n).isIn("answered", "abandoned");
                }
                if ("abandoned".equals(outcome)) {
                    String callId = callOf.get(n).callId();
                    LocalDateTime ok = trace.first(callId, true, "SIP/2.0 200").orElseThrow();
                    LocalDateTime bye = trace.first(callId, false, "BYE").orElseThrow();
                    assertThat(Duration.between(ok, bye)).as(n + ": abandoned, on the line for the safe harbour"
                            + " and its prompt before the node's BYE").isGreaterThanOrEqualTo(prompt);
                }
            }
            List<Map<String, String>> cdrs = commands().xrange(Keys.cdr("demo"), Range.create("-", "+")).stream()
                    .map(StreamMessage::getBody).toList();
            assertThat(cdrs.stream().filter(c -> "abandoned".equals(c.get("endCause"))).count())
                    .as("a record of every abandoned call").isEqualTo(abandoned);
        } finally {
            agentHands.shutdownNow();
            desks.forEach(AgentDesk::close);
            phones.forEach(QueuePhone::close);
        }
    }

    /** How long the prompts play, from their files (8 kHz 16-bit mono); CampaignDialIT's broadcast test too. */
    static Duration length(List<String> prompts) throws IOException, UnsupportedAudioFileException {
        long ms = 0;
        for (String name : prompts) {
            Path file = PROMPTS.resolve(name + ".wav");
            assertThat(Files.isRegularFile(file)).as(file + " installed").isTrue();
            var format = AudioSystem.getAudioFileFormat(file.toFile());
            ms += (long) (format.getFrameLength() * 1000L / format.getFormat().getFrameRate());
        }
        return Duration.ofMillis(ms);
    }

    private static String number(int i) {
        return PREFIX + String.format("%03d", i);
    }

    private static Map<String, JsonNode> records() {
        return commands().hgetall(Keys.campaignContacts("demo", "predict")).entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> {
                    try {
                        return JSON.readTree(e.getValue());
                    } catch (IOException ex) {
                        throw new AssertionError("unreadable record " + e.getValue(), ex);
                    }
                }));
    }

    private static void put(String path, String json) {
        HttpResponse<String> response = node.api().put(path, TestNode.ADMIN, TestNode.PASSWORD, json);
        assertThat(response.statusCode()).as(response.body()).isBetween(200, 201);
    }

    private static void post(String path) {
        HttpResponse<String> response = node.api().post(path, TestNode.ADMIN, TestNode.PASSWORD, "");
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
    }

    private static RedisCommands<String, String> commands() {
        return node.bean(Redis.class).commands();
    }
}
