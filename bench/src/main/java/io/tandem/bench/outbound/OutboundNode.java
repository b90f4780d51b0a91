package io.tandem.bench.outbound;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.StatefulRedisConnection;
import io.tandem.backend.redis.Keys;
import io.tandem.bench.node.QueueCluster;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The one node the outbound bench dials from: a redis-server and the node jar (via {@link QueueCluster}), tenant
 * {@value #TENANT} with an administrator and queue {@value #QUEUE} (a campaign needs a queue; its only member never
 * logs in), and the REST calls the sections make as that administrator: trunks, campaigns, contacts, figures, and the
 * scheduler's tick timer from {@code /actuator/metrics}.
 */
public final class OutboundNode implements AutoCloseable {

    static final String TENANT = "outbound";
    static final String QUEUE = "7000";
    /** Calls the scheduler may start per tick: the 300 calls/s the CAPS section offers. */
    static final int BUDGET = 300;
    private static final String PASSWORD = "bench-secret-1";
    private static final String API = "/api/v1/tenants/" + TENANT;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final QueueCluster cluster;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String basic;

    private OutboundNode(QueueCluster cluster) {
        this.cluster = cluster;
        this.basic = "Basic " + Base64.getEncoder().encodeToString(("admin@" + TENANT + ":" + PASSWORD)
                .getBytes(StandardCharsets.UTF_8));
    }

    /** Starts redis-server and the node, and waits until the node answers SIP. */
    public static OutboundNode start(Path work, Path jar) throws IOException, InterruptedException {
        Files.createDirectories(work);
        Path users = Files.writeString(work.resolve("users.yaml"), "tenants:\n  " + TENANT + ":\n    users:\n"
                + "      - {extension: \"admin\", displayName: \"Admin\", password: \"" + PASSWORD
                + "\", roles: [admin]}\n"
                + "      - {extension: \"1001\", displayName: \"Agent\", password: \"" + PASSWORD
                + "\", roles: [agent]}\n", StandardCharsets.UTF_8);
        Path queues = Files.writeString(work.resolve("queues.yaml"), "tenants:\n  " + TENANT + ":\n    queues:\n"
                + "      - number: \"" + QUEUE + "\"\n        name: campaigns\n        strategy: longest-idle\n"
                + "        members:\n          - {agent: \"1001\"}\n", StandardCharsets.UTF_8);
        // Spring reads system properties as well as arguments: the budget goes in with the JVM options.
        return new OutboundNode(QueueCluster.start(work, jar, 1, "o", TENANT, PASSWORD, users, queues,
                List.of("-Xmx1g", "-Dtandem.campaigns.budget=" + BUDGET)));
    }

    /** The node's RTP ports (first, last). */
    int[] rtpRange() {
        return cluster.rtpRange(0);
    }

    long pid() {
        return cluster.nodePid(0);
    }

    /** A carrier trunk to {@code port} on loopback, known by its address, at {@code caps} INVITEs/s (0: none). */
    void trunk(String id, int port, int priority, int caps) throws IOException, InterruptedException {
        send("PUT", API + "/trunks/" + id, "application/json", "{\"host\":\"127.0.0.1\",\"port\":" + port
                + ",\"transport\":\"udp\",\"authentication\":\"address\",\"addresses\":[\"127.0.0.1\"],"
                + "\"codecs\":[\"PCMU\",\"PCMA\"],\"priority\":" + priority + ",\"caps\":" + caps
                + ",\"maxChannels\":0,\"callerId\":{\"mode\":\"presented\",\"number\":\"+4930555000\"}}");
    }

    void deleteTrunk(String id) throws IOException, InterruptedException {
        send("DELETE", API + "/trunks/" + id, null, null);
    }

    /** Defines campaign {@code id} ({@code body}: the campaign's JSON), loads its contacts (CSV) and starts it. */
    void campaign(String id, String body, String csv) throws IOException, InterruptedException {
        send("PUT", API + "/campaigns/" + id, "application/json", body);
        JsonNode report = JSON.readTree(send("POST", API + "/campaigns/" + id + "/contacts", "text/csv", csv));
        if (report.path("rejected").size() > 0) {
            throw new IOException("campaign " + id + ": contacts refused: " + report.path("rejected"));
        }
    }

    void start(String campaign) throws IOException, InterruptedException {
        send("POST", API + "/campaigns/" + campaign + "/start", "application/json", "");
    }

    void stop(String campaign) throws IOException, InterruptedException {
        send("POST", API + "/campaigns/" + campaign + "/stop", "application/json", "");
    }

    void deleteCampaign(String id) throws IOException, InterruptedException {
        send("DELETE", API + "/campaigns/" + id, null, null);
    }

    /** The campaign's figures: attempts, outcomes, answerRate, abandonRate, inFlight. */
    JsonNode figures(String campaign) throws IOException, InterruptedException {
        return JSON.readTree(send("GET", API + "/campaigns/" + campaign + "/figures", null, null));
    }

    /** Waits until none of the campaign's calls is in flight; false when some still are after {@code seconds}. */
    boolean awaitSettled(String campaign, long seconds) throws IOException, InterruptedException {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < end) {
            if (figures(campaign).path("inFlight").asLong() == 0) {
                return true;
            }
            Thread.sleep(500); // polling the node's figures: there is nothing to wait on
        }
        return false;
    }

    /**
     * When the node seized each trunk for the campaign's attempts (Redis time, ms, sorted per trunk): the
     * {@code seizedAt} of every entry of the campaign's attempt stream, which is the time {@code trunk/seize.lua}
     * counted against the trunk's CAPS.
     */
    Map<String, long[]> seizures(String campaign) {
        RedisClient client = RedisClient.create("redis://127.0.0.1:" + cluster.redisPort());
        try (StatefulRedisConnection<String, String> redis = client.connect()) {
            Map<String, List<Long>> byTrunk = new HashMap<>();
            for (StreamMessage<String, String> m : redis.sync().xrange(Keys.campaignAttempts(TENANT, campaign),
                    Range.create("-", "+"))) {
                String trunk = m.getBody().getOrDefault("trunk", "");
                String at = m.getBody().getOrDefault("seizedAt", "0");
                if (!trunk.isEmpty() && !at.equals("0")) {
                    byTrunk.computeIfAbsent(trunk, t -> new ArrayList<>()).add(Long.parseLong(at));
                }
            }
            Map<String, long[]> sorted = new HashMap<>();
            byTrunk.forEach((trunk, times) -> sorted.put(trunk, times.stream().mapToLong(Long::longValue).sorted()
                    .toArray()));
            return sorted;
        } finally {
            client.shutdown();
        }
    }

    /** The scheduler's tick timer: {ticks so far, their total seconds}. */
    double[] tickTimer() throws IOException, InterruptedException {
        JsonNode meter = JSON.readTree(send("GET", "/actuator/metrics/tandem.campaigns.tick", null, null));
        double count = 0;
        double total = 0;
        for (JsonNode m : meter.path("measurements")) {
            switch (m.path("statistic").asText()) {
                case "COUNT" -> count = m.path("value").asDouble();
                case "TOTAL_TIME" -> total = m.path("value").asDouble();
                default -> {
                    // MAX: a decaying maximum; the bench keeps every tick's time itself
                }
            }
        }
        return new double[] {count, total};
    }

    private String send(String method, String path, String contentType, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cluster.httpPorts()[0]
                + path)).timeout(Duration.ofSeconds(60)).header("Authorization", basic);
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IOException(method + " " + path + ": " + response.statusCode() + " " + response.body());
        }
        return response.body();
    }

    @Override
    public void close() {
        cluster.close();
    }
}
