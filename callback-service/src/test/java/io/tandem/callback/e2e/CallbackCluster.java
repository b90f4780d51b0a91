package io.tandem.callback.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.tandem.callback.MockApns;
import io.tandem.callback.MockFcm;
import io.tandem.callback.ServiceInstance;
import io.tandem.callback.cluster.ServiceKeys;
import io.tandem.protocol.callback.CallbackKeys;
import io.tandem.protocol.callback.RoomEvent;
import io.tandem.telephony.peers.FreePorts;
import io.tandem.telephony.testing.Await;
import io.tandem.telephony.testing.RedisServer;
import java.io.IOException;
import java.io.UncheckedIOException;
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
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.FileSystemUtils;

/**
 * The whole product on loopback for one test class: a real Redis, a real node process from the packaged jar (demo
 * tenant, queue 7002 parking), one callback service instance wired from its Spring arguments as {@code java -jar
 * tandem-callback.jar} would be, and Pushy's {@code MockApnsServer} standing in for Apple (real HTTP/2 over TLS with
 * certificates and a .p8 key the test makes) and a loopback FCM HTTP v1 server with its own OAuth2 endpoint standing in
 * for Google. Every device of the demo extensions 1001-1020 and app users 2001-2005 has a token the mock
 * knows; the {@code dead} ones are answered 410 {@code Unregistered}. What the tests look at, they read as a user
 * would: the service's and the node's REST APIs, and the pushes the mock accepted.
 */
final class CallbackCluster implements BeforeAllCallback, AfterAllCallback {
    static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    final RedisServer redis = new RedisServer();
    private final Set<String> deadExtensions;
    private final List<String> nodeArguments;
    private final List<String> serviceArguments;
    private final List<NodeProcess> nodes = new ArrayList<>();
    private Path dir;
    private MockApns apns;
    private MockFcm fcm;
    private int unusedPort;
    private NodeProcess node;
    /** The callback service instances by name, in the order they started; stopped ones removed. */
    private final Map<String, ConfigurableApplicationContext> services = new LinkedHashMap<>();
    private RedisClient redisClient;
    private StatefulRedisConnection<String, String> redisConnection;

    /** {@code deadExtensions}: agents whose device token APNs says is no longer valid. */
    CallbackCluster(String... deadExtensions) {
        this(List.of(), List.of(), deadExtensions);
    }

    /** A cluster whose node and service instances get more Spring arguments (shorter timings for a test). */
    CallbackCluster(List<String> nodeArguments, List<String> serviceArguments, String... deadExtensions) {
        this.deadExtensions = Set.of(deadExtensions);
        this.nodeArguments = List.copyOf(nodeArguments);
        this.serviceArguments = List.copyOf(serviceArguments);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        redis.start();
        redisClient = RedisClient.create(redis.uri());
        redisConnection = redisClient.connect();
        dir = Files.createTempDirectory("callback-e2e");
        Set<String> live = new HashSet<>();
        Set<String> dead = new HashSet<>();
        // the agents' devices and the app users' (2001-2005, called back by tickets)
        IntStream.concat(IntStream.rangeClosed(1001, 1020), IntStream.rangeClosed(2001, 2005))
                .mapToObj(Integer::toString).forEach(ext -> (deadExtensions.contains(ext) ? dead : live).add(AgentApp.tokenOf(ext)));
        apns = new MockApns(dir, live, dead);
        fcm = new MockFcm(dir);
        unusedPort = FreePorts.udpAndTcp();
        node = startNode("e2e-n1");
        startService("cb-e2e-1");
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        try {
            services.values().forEach(ConfigurableApplicationContext::close);
            nodes.forEach(NodeProcess::close);
            if (apns != null) {
                apns.close();
            }
            if (fcm != null) {
                fcm.close();
            }
            redisConnection.close();
            redisClient.shutdown();
        } finally {
            redis.stop();
            FileSystemUtils.deleteRecursively(dir);
        }
    }

    /** Another node of the cluster on the same Redis (stopped with the cluster). */
    NodeProcess startNode(String id) throws IOException {
        NodeProcess started = NodeProcess.start(id, redis, nodeArguments.toArray(String[]::new));
        nodes.add(started);
        return started;
    }

    /**
     * A callback service instance named {@code name} (its consumer name in the group), with short room checks and
     * reads (ServiceInstance's), so a dead node's callers are ticketed within seconds.
     */
    void startService(String name) {
        List<String> arguments = new ArrayList<>(apns.properties());
        arguments.addAll(fcm.properties());
        // A webhook receiver that is down: nothing listens on its port, every attempt fails to connect.
        String down = "--tandem.push.webhook.targets." + AgentApp.GATEWAY_DOWN;
        arguments.addAll(List.of(down + ".url=http://127.0.0.1:" + unusedPort + "/push",
                down + ".secret=the-gateway-secret-of-the-e2e-tests", "--tandem.push.webhook.max-attempts=2",
                "--tandem.push.webhook.initial-backoff=100ms"));
        arguments.addAll(serviceArguments);
        services.put(name, ServiceInstance.start(name, redis.uri(), arguments));
    }

    /** Stops instance {@code name} (its context closed: consumers, schedulers, web server). */
    void stopService(String name) {
        services.remove(name).close();
    }

    NodeProcess node() {
        return node;
    }

    /**
     * A queue as a supervisor sets one up for the app: the demo's 7002 "app support" (parks at once when no member
     * is available) under another number, with {@code members} and a park timeout of {@code timeoutSeconds}.
     */
    void parkingQueue(String number, List<String> members, int timeoutSeconds) throws Exception {
        putParkingQueue(number, members.stream().map(agent -> new Member(agent, 1, 0)).toList(), timeoutSeconds,
                park -> { });
    }

    /** A queue member as the queue admin writes one: its tier (1 = first) and penalty (lower = preferred). */
    record Member(String agent, int tier, int penalty) {
    }

    /**
     * A parking queue as {@link #parkingQueue} makes one, whose members wake by tier ({@code park.wake: tiers}), the
     * next tier after {@code tierDelaySeconds}.
     */
    void tieredParkingQueue(String number, List<Member> members, int timeoutSeconds, int tierDelaySeconds)
            throws Exception {
        putParkingQueue(number, members, timeoutSeconds,
                park -> park.put("wake", "tiers").put("wakeTierDelaySeconds", tierDelaySeconds));
    }

    private void putParkingQueue(String number, List<Member> members, int timeoutSeconds,
            Consumer<ObjectNode> park) throws Exception {
        HttpResponse<String> created = putQueue(number, members, timeoutSeconds, park);
        if (created.statusCode() != 200) {
            throw new AssertionError("PUT queue " + number + ": " + created.statusCode() + " " + created.body());
        }
    }

    /**
     * PUTs the demo's 7002 under {@code number} with {@code members} and a park timeout of {@code timeoutSeconds},
     * its park setting changed by {@code park}, and answers the node's response.
     */
    HttpResponse<String> putQueue(String number, List<Member> members, int timeoutSeconds,
            Consumer<ObjectNode> park) throws Exception {
        String path = "/api/v1/tenants/" + NodeProcess.TENANT + "/queues";
        HttpResponse<String> template = node.get(path + "/7002");
        if (template.statusCode() != 200) {
            throw new AssertionError("GET queue 7002: " + template.statusCode() + " " + template.body());
        }
        ObjectNode queue = (ObjectNode) JSON.readTree(template.body());
        queue.put("number", number);
        queue.put("name", "app support " + number);
        ArrayNode list = queue.putArray("members");
        members.forEach(m -> list.addObject().put("agent", m.agent()).put("tier", m.tier())
                .put("penalty", m.penalty()));
        ObjectNode parking = (ObjectNode) queue.get("park");
        parking.put("timeoutSeconds", timeoutSeconds);
        park.accept(parking);
        return node.put(path + "/" + number, JSON.writeValueAsString(queue));
    }

    /** Every push APNs' and FCM's mocks accepted, APNs' first. */
    List<DevicePush> pushes() {
        List<DevicePush> pushes = new ArrayList<>();
        apns.accepted().forEach(p -> pushes.add(new DevicePush(p.token(), p.collapseId(), p.payload())));
        fcm.accepted().forEach(m -> pushes.add(new DevicePush(m.token(), m.collapseKey(), m.data())));
        return pushes;
    }

    /** The pushes accepted for the parked callers of {@code queue} (ring and cancel). */
    List<DevicePush> pushesOfQueue(String queue) {
        List<DevicePush> all = pushes();
        Set<String> rooms = new HashSet<>();
        all.stream().filter(p -> queue.equals(p.payload().get("queue"))).forEach(p -> rooms.add(p.room()));
        return all.stream().filter(p -> rooms.contains(p.room())).toList();
    }

    /** Waits for the first push of {@code kind} to {@code app}'s device for a caller of {@code queue}. */
    DevicePush awaitPush(AgentApp app, String kind, String queue) {
        return Await.value(kind + " push to " + app.extension + "'s device for queue " + queue, WAIT,
                () -> pushesOfQueue(queue).stream()
                        .filter(p -> p.token().equals(app.token) && kind.equals(p.kind())).findFirst());
    }

    /** The pushes of {@code kind} accepted for {@code app}'s device. */
    List<DevicePush> pushesTo(AgentApp app, String kind) {
        return pushes().stream().filter(p -> p.token().equals(app.token) && kind.equals(p.kind())).toList();
    }

    /** The callback service's tickets ({@code GET /api/v1/tickets} as the demo admin). */
    List<JsonNode> tickets() {
        return list(serviceGet("/api/v1/tickets?limit=500"));
    }

    /** The service's push records, newest first ({@code GET /api/v1/pushes}). */
    List<JsonNode> pushRecords() {
        return list(serviceGet("/api/v1/pushes?limit=500"));
    }

    /** The node's hash of {@code room} (the contract: protocol's {@code CallbackKeys.room}). */
    Map<String, String> room(String room) {
        return redisConnection.sync().hgetall(CallbackKeys.room(NodeProcess.TENANT, room));
    }

    /**
     * When the room's next wake tier is due in the services' schedule ({@code ServiceKeys.wakeTiersDue}), or null when
     * no tier is to come.
     */
    Double wakeTierDue(String room) {
        return redisConnection.sync().zscore(ServiceKeys.wakeTiersDue(NodeProcess.TENANT), room);
    }

    /** The events of {@code room} on the node → service stream (the contract: protocol's {@code CallbackKeys}). */
    List<RoomEvent> roomEvents(String room) {
        return redisConnection.sync().xrange(CallbackKeys.roomEvents(NodeProcess.TENANT), Range.create("-", "+"))
                .stream().map(entry -> RoomEvent.of(entry.getBody())).filter(e -> room.equals(e.room())).toList();
    }

    /** The node's live push bindings of {@code user} ({@code GET /api/v1/tenants/demo/push-bindings/<user>}). */
    List<JsonNode> pushBindings(String user) {
        return list(nodeGet(node, "/api/v1/tenants/" + NodeProcess.TENANT + "/push-bindings/" + user));
    }

    /** The call records of {@code callId} on the node's CDR API. */
    List<JsonNode> cdr(String callId) {
        return list(nodeGet(node, "/api/v1/tenants/" + NodeProcess.TENANT + "/cdr")).stream()
                .filter(r -> callId.equals(r.path("callId").asText())).toList();
    }

    /** The queue log lines of {@code callId} (the node's {@code queuelog.csv}), oldest first. */
    List<QueueLogLine> queueLog(String callId) {
        String csv = nodeGet(node, "/api/v1/tenants/" + NodeProcess.TENANT + "/queuelog.csv");
        return QueueLogLine.parse(csv).stream().filter(line -> callId.equals(line.callId())).toList();
    }

    private static String nodeGet(NodeProcess node, String path) {
        try {
            HttpResponse<String> response = node.get(path);
            if (response.statusCode() != 200) {
                throw new AssertionError("GET " + path + " at " + node.id() + ": " + response.statusCode() + " "
                        + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private String serviceGet(String path) {
        String basic = Base64.getEncoder().encodeToString((NodeProcess.ADMIN + ":" + NodeProcess.PASSWORD)
                .getBytes(StandardCharsets.UTF_8));
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + ServiceInstance.port(services.values().iterator().next()) + path))
                    .header("Authorization", "Basic " + basic).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new AssertionError("GET " + path + " at the service: " + response.statusCode() + " "
                        + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static List<JsonNode> list(String json) {
        try {
            List<JsonNode> items = new ArrayList<>();
            JSON.readTree(json).forEach(items::add);
            return items;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
