package io.tandem.backend.registrar;

import static io.tandem.backend.TestNode.ADMIN;
import static io.tandem.backend.TestNode.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tandem.backend.TestNode;
import io.tandem.backend.directory.Directory;
import io.tandem.backend.redis.Redis;
import io.tandem.telephony.rtp.RtpMediaStreamFactory;
import io.tandem.telephony.sip.auth.DigestAlgorithm;
import io.tandem.telephony.sip.auth.DigestChallenge;
import io.tandem.telephony.sip.auth.DigestClient;
import io.tandem.telephony.testing.Await;
import io.tandem.telephony.testing.RedisServer;
import io.tandem.telephony.ua.RegistrationState;
import io.tandem.telephony.ua.UserAgent;
import io.tandem.telephony.ua.UserAgentConfig;
import io.tandem.telephony.ua.UserAgentListener;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sip.header.MinExpiresHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** One real node, one real Redis, real SIP: the registrar's answers and the bindings they leave in Redis. */
class RegistrarIT {

    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    private static final ObjectMapper json = new ObjectMapper();
    private static TestNode node;
    private static RtpMediaStreamFactory media;

    @BeforeAll
    static void startNode() {
        node = TestNode.start("tandem.redis.uri=" + redis.uri(), "tandem.node.id=reg-it",
                "tandem.node.cluster-secret=registrar-it-secret-0123456789",
                "tandem.registrar.min-expires=2s",
                // Wrong passwords are part of these tests; the flood block has its own test.
                "tandem.registrar.flood-threshold=1000");
        media = new RtpMediaStreamFactory(40000, 40099);
    }

    @AfterAll
    static void stopNode() {
        media.close();
        node.close();
    }

    @Test
    void ourUserAgentRegistersAndTheBindingShowsInRest() throws Exception {
        Listener listener = new Listener();
        try (UserAgent ua = UserAgent.start(phone("1001", PASSWORD), media, listener)) {
            listener.await(RegistrationState.REGISTERED);
            JsonNode registration = json.readTree(get("/api/v1/registrations/1001", ADMIN).body());
            JsonNode contact = registration.get("contacts").get(0);
            assertThat(contact.get("node").asText()).isEqualTo("reg-it");
            assertThat(contact.get("contact").asText()).startsWith("sip:1001@127.0.0.1:" + ua.sipPort());
            assertThat(contact.get("source").asText()).isEqualTo("127.0.0.1:" + ua.sipPort());
            assertThat(contact.get("reachable").asText()).contains("127.0.0.1:" + ua.sipPort());
            assertThat(contact.get("transport").asText()).isEqualTo("udp");
            assertThat(contact.get("userAgent").asText()).isNotEmpty();

            JsonNode all = json.readTree(get("/api/v1/registrations", ADMIN).body());
            assertThat(all.findValuesAsText("extension")).contains("1001");
            // An agent reads their own registration, not another's, and cannot list them all.
            assertThat(get("/api/v1/registrations/1001", "1001").statusCode()).isEqualTo(200);
            assertThat(get("/api/v1/registrations/1001", "1002").statusCode()).isEqualTo(403);
            assertThat(get("/api/v1/registrations", "1002").statusCode()).isEqualTo(403);
            assertThat(node.bean(Bindings.class).lookup("demo", "1001")).hasSize(1);
            assertThat(node.bean(io.tandem.backend.node.NodeMetrics.class).registrations()).isPositive();
        }
    }

    @Test
    void beyondMaxContactsTheLeastRecentlyRefreshedIsReplaced() throws Exception {
        try (RawRegisterClient phone = new RawRegisterClient("1017", node.sipPort())) {
            for (int i = 0; i < 6; i++) {
                Response ok = phone.registerWithPassword(PASSWORD, 120, "sip:1017@127.0.0.1:" + (30000 + i));
                assertThat(ok.getStatusCode()).isEqualTo(200);
            }
            assertThat(node.bean(Bindings.class).lookup("demo", "1017")).extracting(Binding::contact)
                    .hasSize(5).doesNotContain("sip:1017@127.0.0.1:30000").contains("sip:1017@127.0.0.1:30005");
        }
    }

    @Test
    void challengeOffersMd5ThenSha256AndBothAreAccepted() throws Exception {
        try (RawRegisterClient phone = new RawRegisterClient("1003", node.sipPort())) {
            Response challenge = phone.send(phone.register(60, phone.contact()));
            assertThat(challenge.getStatusCode()).isEqualTo(401);
            List<DigestChallenge> offered = RawRegisterClient.challenges(challenge);
            assertThat(offered).extracting(DigestChallenge::algorithm)
                    .containsExactly(DigestAlgorithm.MD5, DigestAlgorithm.SHA_256);
            assertThat(offered).allSatisfy(c -> {
                assertThat(c.realm()).isEqualTo("demo");
                assertThat(c.qopAuth()).isTrue();
                assertThat(c.stale()).isFalse();
            });
            DigestClient digest = new DigestClient();
            Response md5 = phone.send(phone.authorize(phone.register(60, phone.contact()), offered.get(0), digest,
                    PASSWORD));
            assertThat(md5.getStatusCode()).isEqualTo(200);
            Response sha = phone.send(phone.authorize(phone.register(60, phone.contact()), offered.get(1), digest,
                    PASSWORD));
            assertThat(sha.getStatusCode()).isEqualTo(200);
            assertThat(RawRegisterClient.contacts(sha)).containsExactly(phone.contact() + ";expires=60");
        }
    }

    @Test
    void wrongPasswordIsChallengedThenRefused() throws Exception {
        Listener listener = new Listener();
        try (UserAgent ua = UserAgent.start(phone("1004", "not-the-password"), media, listener)) {
            assertThat(listener.await(RegistrationState.FAILED)).isEqualTo(403);
        }
        try (RawRegisterClient phone = new RawRegisterClient("1004", node.sipPort())) {
            Response challenge = phone.send(phone.register(60, phone.contact()));
            assertThat(challenge.getStatusCode()).isEqualTo(401);
            Response refused = phone.send(phone.authorize(phone.register(60, phone.contact()),
                    RawRegisterClient.challenges(challenge).get(0), new DigestClient(), "wrong"));
            assertThat(refused.getStatusCode()).isEqualTo(403);
        }
        assertThat(node.bean(Bindings.class).lookup("demo", "1004")).isEmpty();
    }

    @Test
    void aPasswordChangedOrAUserDeletedElsewhereIsSeenAtTheNextRegister() throws Exception {
        // Written straight to Redis, as another node's REST API would: this node's kept HA1 is not told.
        Directory directory = node.bean(Directory.class);
        assertThat(directory.create("demo", "1090", "Kept HA1", Set.of(), "first", Map.of())).isTrue();
        try (RawRegisterClient phone = new RawRegisterClient("1090", node.sipPort())) {
            assertThat(phone.registerWithPassword("first", 60, phone.contact()).getStatusCode()).isEqualTo(200);
            // The refresh is checked against the HA1 the node now keeps.
            assertThat(phone.registerWithPassword("first", 60, phone.contact()).getStatusCode()).isEqualTo(200);

            assertThat(directory.update("demo", "1090", null, null, "second", null)).isPresent();
            assertThat(phone.registerWithPassword("first", 60, phone.contact()).getStatusCode()).isEqualTo(403);
            assertThat(phone.registerWithPassword("second", 60, phone.contact()).getStatusCode()).isEqualTo(200);

            assertThat(directory.delete("demo", "1090")).isTrue();
            assertThat(phone.registerWithPassword("second", 60, phone.contact()).getStatusCode()).isEqualTo(403);
        }
    }

    @Test
    void aTenantDomainIsAskedOfRedisOnceAndADomainServedByNoTenantEveryTime() throws Exception {
        assertThat(node.bean(Directory.class).create("tenant-it.example", "1001", "Tenant user", Set.of(), "pw",
                Map.of())).isTrue();
        try (RawRegisterClient phone = new RawRegisterClient("1001", node.sipPort()).domain("tenant-it.example");
                RawRegisterClient stranger = new RawRegisterClient("1001", node.sipPort())
                        .domain("no-tenant.example")) {
            assertThat(phone.registerWithPassword("pw", 60, phone.contact()).getStatusCode()).isEqualTo(200);
            long asked = tenantLookups();
            assertThat(phone.registerWithPassword("pw", 60, phone.contact()).getStatusCode()).isEqualTo(200);
            assertThat(tenantLookups()).isEqualTo(asked);
            assertThat(node.bean(Bindings.class).lookup("tenant-it.example", "1001")).hasSize(1);

            // Not a tenant: asked each time (then served by the Request-URI, the node's address: the demo tenant).
            stranger.send(stranger.register(60, stranger.contact()));
            stranger.send(stranger.register(60, stranger.contact()));
            assertThat(tenantLookups()).isGreaterThanOrEqualTo(asked + 2);
        }
    }

    /** SISMEMBER calls Redis has served (the tenant lookups; nothing else in this node sends one while idle). */
    private static long tenantLookups() {
        String stats = node.bean(Redis.class).commands().info("commandstats");
        Matcher calls = Pattern.compile("cmdstat_sismember:calls=(\\d+)").matcher(stats);
        return calls.find() ? Long.parseLong(calls.group(1)) : 0;
    }

    @Test
    void aReplayedNonceCountIsRefused() throws Exception {
        try (RawRegisterClient phone = new RawRegisterClient("1005", node.sipPort())) {
            DigestChallenge challenge = RawRegisterClient.challenges(phone.send(phone.register(60, phone.contact())))
                    .get(0);
            DigestClient first = new DigestClient();
            assertThat(phone.send(phone.authorize(phone.register(60, phone.contact()), challenge, first, PASSWORD))
                    .getStatusCode()).isEqualTo(200);
            // Another client computing nc=00000001 again for the same nonce: a replay, even with the right hash.
            Response replay = phone.send(phone.authorize(phone.register(60, phone.contact()), challenge,
                    new DigestClient(), PASSWORD));
            assertThat(replay.getStatusCode()).isEqualTo(401);
            assertThat(RawRegisterClient.challenges(replay).get(0).nonce()).isNotEqualTo(challenge.nonce());
            // The honest client goes on with nc=00000002.
            assertThat(phone.send(phone.authorize(phone.register(60, phone.contact()), challenge, first, PASSWORD))
                    .getStatusCode()).isEqualTo(200);
        }
    }

    @Test
    void expiresBelowTheMinimumIsTooBriefAndAboveTheMaximumIsLowered() throws Exception {
        try (RawRegisterClient phone = new RawRegisterClient("1006", node.sipPort())) {
            Response brief = phone.registerWithPassword(PASSWORD, 1, phone.contact());
            assertThat(brief.getStatusCode()).isEqualTo(423);
            assertThat(((MinExpiresHeader) brief.getHeader(MinExpiresHeader.NAME)).getExpires()).isEqualTo(2);
            Response capped = phone.registerWithPassword(PASSWORD, 999_999, phone.contact());
            assertThat(capped.getStatusCode()).isEqualTo(200);
            assertThat(RawRegisterClient.contacts(capped)).containsExactly(phone.contact() + ";expires=3600");
        }
    }

    @Test
    void unregisterOneContactByExpiresZeroThenAllByStar() throws Exception {
        try (RawRegisterClient phone = new RawRegisterClient("1007", node.sipPort())) {
            String desk = phone.contact();
            String mobile = "sip:1007@127.0.0.1:" + (phone.port() + 1);
            Response two = phone.registerWithPassword(PASSWORD, 120, desk, mobile);
            assertThat(two.getStatusCode()).isEqualTo(200);
            assertThat(RawRegisterClient.contacts(two)).hasSize(2);

            Response one = phone.registerWithPassword(PASSWORD, 0, mobile);
            assertThat(one.getStatusCode()).isEqualTo(200);
            // The desk's remaining time: 120 s less whatever passed since it registered (a second on a busy machine).
            assertThat(RawRegisterClient.contacts(one)).singleElement().asString()
                    .startsWith(desk + ";expires=")
                    .satisfies(c -> assertThat(Integer.parseInt(c.substring(c.indexOf("expires=") + 8)))
                            .isBetween(1, 120));
            assertThat(node.bean(Bindings.class).lookup("demo", "1007")).extracting(Binding::contact)
                    .containsExactly(desk);

            Response none = phone.registerWithPassword(PASSWORD, 0, "*");
            assertThat(none.getStatusCode()).isEqualTo(200);
            assertThat(RawRegisterClient.contacts(none)).isEmpty();
            assertThat(json.readTree(get("/api/v1/registrations/1007", ADMIN).body()).get("contacts")).isEmpty();
        }
    }

    @Test
    void aRegisterOlderThanTheStoredOneIsRefused() throws Exception {
        try (RawRegisterClient phone = new RawRegisterClient("1019", node.sipPort())) {
            assertThat(phone.registerWithPassword(PASSWORD, 120, phone.contact()).getStatusCode()).isEqualTo(200);
            // Same Call-ID, CSeq 1 then 2 again: RFC 3261 §10.3 step 7, the update must not be applied.
            Response stale = phone.nextCseq(1).registerWithPassword(PASSWORD, 0, phone.contact());
            assertThat(stale.getStatusCode()).isEqualTo(500);
            assertThat(node.bean(Bindings.class).lookup("demo", "1019")).hasSize(1);
        }
    }

    @Test
    void starWithoutExpiresZeroIsABadRequest() throws Exception {
        try (RawRegisterClient phone = new RawRegisterClient("1008", node.sipPort())) {
            assertThat(phone.registerWithPassword(PASSWORD, 60, "*").getStatusCode()).isEqualTo(400);
        }
    }

    @Test
    void aBindingDisappearsAfterItsExpiry() throws Exception {
        try (RawRegisterClient phone = new RawRegisterClient("1009", node.sipPort())) {
            assertThat(phone.registerWithPassword(PASSWORD, 2, phone.contact()).getStatusCode()).isEqualTo(200);
            assertThat(node.bean(Bindings.class).lookup("demo", "1009")).hasSize(1);
            Await.until("1009's binding expires", Duration.ofSeconds(20), () -> {
                try {
                    return json.readTree(get("/api/v1/registrations/1009", ADMIN).body()).get("contacts").isEmpty()
                            && node.bean(io.tandem.backend.redis.Redis.class).commands()
                            .exists(io.tandem.backend.redis.Keys.registration("demo", "1009")) == 0L;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
        }
    }

    @Test
    void aStaleNonceGetsANewChallengeWithStaleTrue() throws Exception {
        try (TestNode shortNonces = TestNode.start("tandem.redis.uri=" + redis.uri(), "tandem.node.id=reg-it-stale",
                "tandem.node.cluster-secret=registrar-it-secret-0123456789", "tandem.demo.enabled=false",
                "tandem.registrar.nonce-validity=1s", "tandem.registrar.flood-threshold=1000");
             RawRegisterClient phone = new RawRegisterClient("1010", shortNonces.sipPort())) {
            DigestChallenge challenge = RawRegisterClient.challenges(phone.send(phone.register(60, phone.contact())))
                    .get(0);
            DigestClient digest = new DigestClient();
            // Reuse the nonce (nc 1, 2, 3...) until its validity runs out: then stale=true, not a refusal.
            Response[] last = new Response[1];
            Await.until("the nonce goes stale", Duration.ofSeconds(20), () -> {
                try {
                    last[0] = phone.send(phone.authorize(phone.register(60, phone.contact()), challenge, digest,
                            PASSWORD));
                    return last[0].getStatusCode() != 200;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThat(last[0].getStatusCode()).isEqualTo(401);
            DigestChallenge renewed = RawRegisterClient.challenges(last[0]).get(0);
            assertThat(renewed.stale()).isTrue();
            assertThat(renewed.nonce()).isNotEqualTo(challenge.nonce());
            assertThat(phone.send(phone.authorize(phone.register(60, phone.contact()), renewed, digest, PASSWORD))
                    .getStatusCode()).isEqualTo(200);
        }
    }

    @Test
    void optionsIsAnsweredAndAnInviteWithoutCredentialsIsChallenged() throws Exception {
        try (RawRegisterClient phone = new RawRegisterClient("1011", node.sipPort())) {
            Request options = phone.register(-1);
            options.setMethod(Request.OPTIONS);
            ((javax.sip.header.CSeqHeader) options.getHeader("CSeq")).setMethod(Request.OPTIONS);
            Response ok = phone.send(options);
            assertThat(ok.getStatusCode()).isEqualTo(200);
            List<String> allowed = new java.util.ArrayList<>();
            ok.getHeaders("Allow").forEachRemaining(h -> allowed.add(((javax.sip.header.AllowHeader) h).getMethod()));
            assertThat(allowed).contains("REGISTER", "OPTIONS", "INVITE", "BYE", "CANCEL", "REFER");

            Request invite = phone.register(-1, phone.contact());
            invite.setMethod(Request.INVITE);
            ((javax.sip.header.CSeqHeader) invite.getHeader("CSeq")).setMethod(Request.INVITE);
            // Calls need digest (the B2BUA answers as a proxy would, RFC 3261 §22.3).
            Response challenge = phone.send(invite);
            assertThat(challenge.getStatusCode()).isEqualTo(407);
            assertThat(challenge.getHeader("Proxy-Authenticate")).isNotNull();
        }
    }

    @Test
    void registersOverTcpToo() throws Exception {
        try (RawRegisterClient phone = new RawRegisterClient("1016", node.sipPort()).tcp()) {
            assertThat(phone.registerWithPassword(PASSWORD, 60, phone.contact() + ";transport=tcp").getStatusCode())
                    .isEqualTo(200);
            assertThat(node.bean(Bindings.class).lookup("demo", "1016")).singleElement()
                    .satisfies(b -> {
                        assertThat(b.transport()).isEqualTo("tcp");
                        assertThat(b.reachable()).endsWith(";transport=tcp");
                    });
        }
    }

    @Test
    void malformedAndRejectedRequestsAreCountedInTheMetrics() throws Exception {
        try (java.net.DatagramSocket socket = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            byte[] garbage = "REGISTER sip:x SIP/2.0\r\nVia: %%%\r\nCSeq: nope\r\n\r\n"
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            String requires = "OPTIONS sip:127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:" + socket.getLocalPort()
                    + ";branch=z9hG4bKreq1\r\nFrom: <sip:a@127.0.0.1>;tag=1\r\nTo: <sip:b@127.0.0.1>\r\n"
                    + "Call-ID: req1\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nRequire: no-such-extension\r\n"
                    + "Content-Length: 0\r\n\r\n";
            java.net.InetSocketAddress target = new java.net.InetSocketAddress("127.0.0.1", node.sipPort());
            socket.send(new java.net.DatagramPacket(garbage, garbage.length, target));
            byte[] bytes = requires.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            socket.send(new java.net.DatagramPacket(bytes, bytes.length, target));
            socket.setSoTimeout(10_000);
            java.net.DatagramPacket answer = new java.net.DatagramPacket(new byte[4096], 4096);
            socket.receive(answer);
            assertThat(new String(answer.getData(), 0, answer.getLength(), java.nio.charset.StandardCharsets.US_ASCII))
                    .startsWith("SIP/2.0 420");
        }
        Await.until("both show in the metrics", Duration.ofSeconds(30), () -> {
            String metrics = get("/actuator/prometheus", ADMIN).body();
            return metrics.matches("(?s).*tandem_sip_stack_malformed_total\\{[^}]*} [1-9][0-9]*\\.0.*")
                    && metrics.matches("(?s).*tandem_sip_rejected_total\\{[^}]*} [1-9][0-9]*\\.0.*");
        });
    }

    private static HttpResponse<String> get(String path, String login) {
        return node.api().get(path, login, PASSWORD);
    }

    private static UserAgentConfig phone(String user, String password) {
        return UserAgentConfig.of(user, "127.0.0.1").withPassword(password)
                .withRegistrars(List.of("sip:127.0.0.1:" + node.sipPort())).withRegisterExpiry(Duration.ofSeconds(300))
                .withRtpPorts(40100, 40199);
    }

    /** Registration states and statuses as the UA reports them. */
    static final class Listener implements UserAgentListener {
        final BlockingQueue<RegistrationState> states = new LinkedBlockingQueue<>();
        final List<Integer> statuses = new java.util.concurrent.CopyOnWriteArrayList<>();
        volatile int lastStatus;

        @Override
        public void onRegistration(RegistrationState state, String registrar, int status) {
            lastStatus = status;
            statuses.add(status);
            states.add(state);
        }

        /** Waits for {@code wanted}; returns the SIP status that came with it. */
        int await(RegistrationState wanted) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (System.nanoTime() < deadline) {
                RegistrationState state = states.poll(1, TimeUnit.SECONDS);
                if (state == wanted) {
                    return lastStatus;
                }
            }
            throw new AssertionError("registration never reached " + wanted + "; statuses " + statuses);
        }
    }
}
