package io.tandem.backend.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tandem.backend.TestNode;
import io.tandem.protocol.callback.CallbackKeys;
import io.tandem.backend.redis.Redis;
import io.tandem.protocol.ApiPaths;
import io.tandem.telephony.media.SineSource;
import io.tandem.telephony.peers.FreePorts;
import io.tandem.telephony.testing.Await;
import io.tandem.telephony.testing.RedisServer;
import io.tandem.telephony.ua.Call;
import io.tandem.telephony.ua.CallState;
import io.tandem.telephony.ua.RegistrationState;
import io.tandem.telephony.ua.UserAgent;
import io.tandem.telephony.ua.UserAgentConfig;
import io.tandem.telephony.ua.UserAgentListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The panel's pages for running a shift beyond the live views — tile thresholds, reports — and its walls: another
 * tenant's supervisor, an expired session. One node, two tenants (demo and a seeded {@code acme}), a real Chromium.
 */
class PanelManagementIT {

    private static final String ADMIN = TestNode.ADMIN + "@demo";
    private static final String PASSWORD = TestNode.PASSWORD;
    private static final String ACME_SUPERVISOR = "chief@acme";
    private static final String ACME_PASSWORD = "acme-chief";
    private static final String HOSTILE_NAME = "<img src=x onerror=alert(2)>";
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    @TempDir
    static Path seedDir;

    private static TestNode node;
    /** A browser of its own for each test, as in {@link PanelIT}. */
    private Browser browser;

    @BeforeAll
    static void start() throws IOException {
        Path seed = seedDir.resolve("seed.yaml");
        Files.writeString(seed, """
                tenants:
                  acme:
                    users:
                      - {extension: boss, displayName: "Acme Admin", password: acme-admin, roles: [admin]}
                      - {extension: chief, displayName: "Acme Chief", password: acme-chief, roles: [supervisor]}
                      - {extension: "3001", password: acme-agent}
                """);
        int rtp = FreePorts.alignedBlock(100);
        node = TestNode.start("tandem.redis.uri=" + redis.uri(), "tandem.node.id=manage",
                "tandem.directory.seed-file=" + seed, "tandem.demo.last-extension=1060",
                "tandem.acd.dispatch-interval=1s", "tandem.acd.presence-grace=10m",
                "tandem.sip.rtp-port-min=" + rtp, "tandem.sip.rtp-port-max=" + (rtp + 99));
    }

    @BeforeEach
    void openBrowser() throws IOException {
        browser = new Browser(node.port());
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
    }

    private static void createQueue(String json) {
        HttpResponse<String> created = node.api().post("/api/v1/tenants/demo/queues", ADMIN, PASSWORD, json);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    }

    private static UserAgent caller(String extension, String displayName) throws Exception {
        int rtp = FreePorts.alignedBlock(100);
        UserAgentConfig plain = UserAgentConfig.of(extension, "127.0.0.1").withPassword(PASSWORD)
                .withRtpPorts(rtp, rtp + 99);
        return UserAgent.start(new UserAgentConfig(displayName, plain.user(), plain.domain(), plain.password(),
                plain.registrars(), plain.localAddress(), plain.sipPort(), plain.rtpPortMin(), plain.rtpPortMax(),
                plain.codecs(), plain.autoAnswer(), plain.registerExpiry(), plain.userAgent(), plain.requestTimeout(),
                plain.probeInterval()), new UserAgentListener() { });
    }

    private static JsonNode json(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Call dial(UserAgent phone, String queue) throws Exception {
        Call call = phone.call("sip:" + queue + "@127.0.0.1:" + node.sipPort());
        call.setSource(new SineSource(440, 8000));
        return call;
    }

    @Test
    void thresholdsColourATileInWordsAndTheFormShowsTheApisMessageOnTheField() throws Exception {
        createQueue("""
                {"number": "7095", "name": "priority", "strategy": "linear", "members": []}""");
        String thresholds = "/api/v1/tenants/demo/wallboard/thresholds/7095";
        HttpResponse<String> backwards = node.api().put(thresholds, ADMIN, PASSWORD,
                "{\"waiting\": {\"warn\": 3, \"alarm\": 1}}");
        assertThat(backwards.statusCode()).isEqualTo(400);
        JsonNode error = JSON.readTree(backwards.body()).path("errors").get(0);
        assertThat(error.path("field").asText()).isEqualTo("waiting.alarm");
        assertThat(error.path("message").asText()).contains("at least the warning level (3)");
        HttpResponse<String> set = node.api().put(thresholds, ADMIN, PASSWORD, """
                {"waiting": {"warn": 1, "alarm": 2}, "longestWaitSeconds": {"warn": 3600, "alarm": 7200}}""");
        assertThat(set.statusCode()).as(set.body()).isEqualTo(200);

        browser.signIn(ADMIN, PASSWORD);
        browser.awaitLive();
        WebElement tile = browser.until(d -> d.findElement(By.cssSelector(".tile[data-queue='7095']")));
        browser.until(d -> "0".equals(tile.findElement(By.cssSelector("[data-field=waiting]")).getText()));
        assertThat(tile.getDomAttribute("data-level")).isEqualTo("ok");
        assertThat(tile.findElement(By.cssSelector("[data-field=status]")).isDisplayed()).isFalse();

        try (UserAgent phone = caller("1045", HOSTILE_NAME)) {
            Call call = dial(phone, "7095");
            browser.until(d -> "warn".equals(tile.getDomAttribute("data-level")));
            WebElement status = tile.findElement(By.cssSelector("[data-field=status]"));
            assertThat(status.getText()).as("said in words, not only in colour").isEqualTo("▲ Warning: waiting 1 (≥ 1)");
            assertThat(tile.findElement(By.cssSelector(".waiting")).getDomAttribute("data-level")).isEqualTo("warn");
            assertThat(tile.findElement(By.cssSelector(".longest")).getDomAttribute("data-level")).isEqualTo("ok");
            Await.until("the caller is answered by the queue", Duration.ofSeconds(30),
                    () -> call.state() == CallState.CONNECTED);
            browser.driver.executeScript("arguments[0].scrollIntoView({block: 'center'});", tile);
            browser.screens("wallboard-threshold-warning");

            // The form, by keyboard: an alarm below the warning is refused and the API's message sits on that field.
            browser.find("a[href='/panel/thresholds']").click();
            WebElement form = browser.until(d -> d.findElement(By.cssSelector("form[data-queue='7095']")));
            assertThat(form.findElement(By.name("waiting.warn")).getDomProperty("value")).isEqualTo("1");
            WebElement alarm = form.findElement(By.name("waiting.alarm"));
            alarm.clear();
            alarm.sendKeys("0", Keys.ENTER);
            WebElement message = browser.until(d -> form.findElement(By.cssSelector(".field-error")));
            assertThat(message.getText()).contains("must be at least the warning level (1)");
            assertThat(alarm.getDomAttribute("aria-invalid")).isEqualTo("true");
            assertThat(alarm.getDomAttribute("aria-describedby")).isEqualTo(message.getDomAttribute("id"));
            browser.driver.executeScript("arguments[0].scrollIntoView({block: 'center'});", form);
            browser.screens("thresholds-invalid");
            alarm.clear();
            alarm.sendKeys("1", Keys.ENTER);
            browser.until(d -> form.findElements(By.cssSelector(".field-error")).isEmpty());
            assertThat(browser.find("#result").getText()).contains("saved");
            browser.screens("thresholds");

            browser.open("/panel/wallboard");
            WebElement again = browser.until(d -> d.findElement(By.cssSelector(".tile[data-queue='7095']")));
            browser.until(d -> "alarm".equals(again.getDomAttribute("data-level")));
            assertThat(again.findElement(By.cssSelector("[data-field=status]")).getText())
                    .isEqualTo("■ Alarm: waiting 1 (≥ 1)");
            browser.driver.executeScript("arguments[0].scrollIntoView({block: 'center'});", again);
            browser.screens("wallboard-threshold-alarm");
            call.hangup();
        } finally {
            node.api().delete(thresholds, ADMIN, PASSWORD);
        }
    }

    @Test
    void reportsFindAQueueCallByAgentAndCallerWithItsQueueAndAgentAndChartTheDay() throws Exception {
        createQueue("""
                {"number": "7096", "name": "reports", "strategy": "linear", "wrapUpSeconds": 0,
                 "members": [{"agent": "1040"}]}""");
        int rtp = FreePorts.alignedBlock(100);
        try (UserAgent agentPhone = UserAgent.start(UserAgentConfig.of("1040", "127.0.0.1").withPassword(PASSWORD)
                .withRegistrars(List.of("sip:127.0.0.1:" + node.sipPort())).withRtpPorts(rtp, rtp + 99)
                .withAutoAnswer(true), new UserAgentListener() { });
                UserAgent phone = caller("1046", HOSTILE_NAME)) {
            Await.until("1040 registers", Duration.ofSeconds(30),
                    () -> agentPhone.registrationState() == RegistrationState.REGISTERED);
            assertThat(node.api().post(ApiPaths.AGENT_LOGIN, "1040@demo", PASSWORD, "").statusCode()).isEqualTo(200);
            assertThat(node.api().put(ApiPaths.AGENT_STATE, "1040@demo", PASSWORD, "{\"state\":\"available\"}")
                    .statusCode()).isEqualTo(200);
            Call call = dial(phone, "7096");
            Await.until("the agent answers", Duration.ofSeconds(30), () -> call.state() == CallState.CONNECTED
                    && agentPhone.calls().stream().anyMatch(c -> c.state() == CallState.CONNECTED));
            call.hangup();
            Await.until("the call's record", Duration.ofSeconds(30), () -> json(node.api()
                    .get("/api/v1/tenants/demo/cdr?queue=7096", ADMIN, PASSWORD).body()).size() == 1);
        } finally {
            node.api().delete("/api/v1/tenants/demo/agents/1040", ADMIN, PASSWORD);
        }
        JsonNode record = JSON.readTree(node.api().get("/api/v1/tenants/demo/cdr?agent=1040&caller=1046", ADMIN,
                PASSWORD).body()).get(0);
        assertThat(record.path("queue").asText()).isEqualTo("7096");
        assertThat(record.path("agent").asText()).isEqualTo("1040");
        assertThat(JSON.readTree(node.api().get("/api/v1/tenants/demo/cdr?agent=1041", ADMIN, PASSWORD).body()))
                .as("another agent's calls").isEmpty();
        String csv = node.api().get("/api/v1/tenants/demo/cdr.csv?queue=7096", ADMIN, PASSWORD).body();
        assertThat(csv.lines().findFirst()).hasValue(
                "call_id,from,to,nodes,started_at,answered_at,ended_at,end_cause,hung_up_by,queue,agent");
        assertThat(csv.lines().skip(1).findFirst()).get().asString().endsWith(",7096,1040");
        HttpResponse<String> backwards = node.api().get("/api/v1/tenants/demo/queuelog?from=2026-01-02T00:00:00Z"
                + "&to=2026-01-01T00:00:00Z", ADMIN, PASSWORD);
        assertThat(backwards.statusCode()).isEqualTo(400);
        JsonNode log = JSON.readTree(node.api().get("/api/v1/tenants/demo/queuelog?queue=7096&caller=1046", ADMIN,
                PASSWORD).body());
        assertThat(log.findValuesAsText("event")).containsSubsequence("ENTERQUEUE", "CONNECT");

        browser.signIn(ADMIN, PASSWORD);
        browser.find("nav a[href='/panel/reports']").click();
        browser.until(d -> "1".equals(d.findElement(By.tagName("body")).getDomAttribute("data-searched")));
        browser.until(d -> d.findElements(By.cssSelector("#volume-chart canvas")).size() == 1);
        assertThat(browser.find("#chart-summary").getText()).contains("answered");
        new Select(browser.find("select[name=queue]")).selectByValue("7096");
        WebElement agent = browser.find("input[name=agent]");
        agent.sendKeys("1040", Keys.ENTER);
        browser.until(d -> "2".equals(d.findElement(By.tagName("body")).getDomAttribute("data-searched")));
        List<WebElement> rows = browser.driver.findElements(By.cssSelector("#cdr tbody tr"));
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).findElement(By.cssSelector(".caller")).getText()).as("the record's caller is its number")
                .isEqualTo("1046");
        assertThat(rows.get(0).getText()).contains("7096").contains("1040").contains("Answered");
        assertThat(browser.driver.findElements(By.cssSelector("#queuelog tbody tr")).stream()
                .map(WebElement::getText)).anyMatch(text -> text.contains("CONNECT"));
        assertThat(browser.find("#cdr-csv").getDomAttribute("href")).contains("queue=7096").contains("agent=1040");
        browser.screens("reports");
    }

    @Test
    void anAdministratorEditsQueuesAndUsersAndSeesTheApisMessageOnTheFieldAtFault() throws Exception {
        browser.signIn(ADMIN, PASSWORD);
        browser.find("nav a[href='/panel/admin/queues']").click();
        browser.until(d -> d.findElement(By.cssSelector("#queues tbody tr[data-queue='7000']")));
        browser.find("#new-queue").click();
        WebElement form = browser.find("#queue-form");
        form.findElement(By.name("number")).sendKeys("7098");
        form.findElement(By.name("name")).sendKeys("admin desk");
        new Select(form.findElement(By.name("strategy"))).selectByValue("skills-based");
        browser.find("#add-member").click();
        form.findElement(By.name("members[0].agent")).sendKeys("1030");
        WebElement tier = form.findElement(By.name("members[0].tier"));
        tier.clear();
        tier.sendKeys("12");
        WebElement penalty = form.findElement(By.name("members[0].penalty"));
        penalty.clear();
        penalty.sendKeys("5", Keys.ENTER);
        WebElement tierError = browser.until(d -> form.findElement(By.cssSelector(".field-error")));
        assertThat(tier.getDomAttribute("aria-invalid")).as("the API's message on the field at fault").isEqualTo("true");
        assertThat(tierError.getText()).contains("9");
        browser.screens("admin-queue-invalid");
        tier.clear();
        tier.sendKeys("2", Keys.ENTER);
        browser.until(d -> d.findElement(By.cssSelector("#queues tbody tr[data-queue='7098']")));
        assertThat(browser.find("#result").getText()).contains("Queue 7098 (admin desk) saved");
        JsonNode saved = json(node.api().get("/api/v1/tenants/demo/queues/7098", ADMIN, PASSWORD).body());
        assertThat(saved.path("strategy").asText()).isEqualTo("skills-based");
        assertThat(saved.path("members").get(0).path("tier").asInt()).isEqualTo(2);
        assertThat(saved.path("members").get(0).path("penalty").asInt()).isEqualTo(5);
        browser.screens("admin-queues");

        browser.find(".subnav a[href='/panel/admin/users']").click();
        browser.until(d -> d.findElement(By.cssSelector("#users tbody tr[data-user='1001']")));
        browser.find("#new-user").click();
        WebElement user = browser.find("#user-form");
        user.findElement(By.name("extension")).sendKeys("not valid!");
        user.findElement(By.name("displayName")).sendKeys("Grace Hopper");
        user.findElement(By.name("password")).sendKeys("123", Keys.ENTER);
        browser.until(d -> user.findElements(By.cssSelector(".field-error")).size() == 2);
        assertThat(user.findElement(By.name("extension")).getDomAttribute("aria-invalid")).isEqualTo("true");
        assertThat(user.findElement(By.name("password")).getDomAttribute("aria-invalid")).isEqualTo("true");
        browser.screens("admin-user-invalid");
        user.findElement(By.name("extension")).clear();
        user.findElement(By.name("extension")).sendKeys("1099");
        user.findElement(By.cssSelector("input[name=roles][value=agent]")).click();
        user.findElement(By.cssSelector("input[name=roles][value=supervisor]")).click();
        user.findElement(By.name("password")).clear();
        user.findElement(By.name("password")).sendKeys("hopper-99", Keys.ENTER);
        browser.until(d -> d.findElement(By.cssSelector("#users tbody tr[data-user='1099']")));
        JsonNode grace = json(node.api().get("/api/v1/tenants/demo/users/1099", ADMIN, PASSWORD).body());
        assertThat(grace.path("roles").toString()).isEqualTo("[\"supervisor\"]");
        browser.screens("admin-users");

        // A supervisor has no administration.
        browser.signIn("1099@demo", "hopper-99");
        assertThat(browser.driver.findElements(By.cssSelector("nav a[href='/panel/admin/queues']"))).isEmpty();
        browser.open("/panel/admin/queues");
        assertThat(browser.find("main h1").getText()).isEqualTo("Not allowed");
    }

    @Test
    void callbackTicketsAreListedAsTextAndAssignedAndCancelledByCompareAndSet() throws Exception {
        long created = System.currentTimeMillis() - 95_000;
        ticket("cb-1", "open", HOSTILE_NAME, "+4930123456", created, "[]");
        ticket("cb-2", "retry-wait", "Ada Lovelace", "+44207946", created + 5_000,
                "[{\"at\": 1, \"agent\": \"1001\", \"outcome\": \"no-answer\", \"detail\": \"\"}]");
        ticket("cb-3", "dialling", "Grace Hopper", "+15550100", created + 10_000, "[]");
        ticket("cb-4", "failed", "Linus", "+358401234", created + 20_000, "[{}, {}, {}]");

        browser.signIn(ADMIN, PASSWORD);
        browser.find("nav a[href='/panel/callbacks']").click();
        browser.awaitLive();
        browser.until(d -> d.findElements(By.cssSelector("#tickets tbody tr")).size() == 3);
        assertThat(browser.driver.findElements(By.cssSelector("tr[data-ticket='cb-3']")))
                .as("dialling is not shown by default").isEmpty();
        WebElement hostile = browser.find("tr[data-ticket='cb-1']");
        assertThat(hostile.findElement(By.cssSelector(".caller-name")).getText()).isEqualTo(HOSTILE_NAME);
        assertThat(browser.driver.findElements(By.cssSelector("#tickets img"))).as("names are text").isEmpty();
        assertThat(hostile.findElement(By.cssSelector("[data-field=state]")).getText()).isEqualTo("○ Open");
        assertThat(browser.find("tr[data-ticket='cb-2'] [data-field=attempts]").getText()).isEqualTo("1 / 3");
        browser.until(d -> hostile.findElement(By.cssSelector("[data-field=age]")).getText().matches("[1-9]:\\d\\d"));
        WebElement failed = browser.find("tr[data-ticket='cb-4']");
        assertThat(failed.findElement(By.cssSelector("[data-field=state]")).getText()).isEqualTo("✖ Failed");
        assertThat(failed.findElement(By.cssSelector("button[data-action=assign]")).isEnabled()).isFalse();
        browser.screens("callbacks");

        hostile.findElement(By.cssSelector("button[data-action=assign]")).click();
        browser.until(d -> d.findElement(By.id("agent")).isDisplayed());
        browser.find("#agent").sendKeys("1002");
        browser.screens("callbacks-confirm-assign");
        browser.find("#confirm-ok").click();
        browser.until(d -> "1002".equals(d.findElement(By.cssSelector("tr[data-ticket='cb-1'] [data-field=assignee]"))
                .getText()));
        assertThat(redisTicket("cb-1").get("assignee")).isEqualTo("1002");

        browser.find("tr[data-ticket='cb-2'] button[data-action=cancel]").click();
        browser.until(d -> d.findElement(By.id("confirm")).isDisplayed());
        browser.find("#confirm-ok").click();
        browser.until(d -> d.findElements(By.cssSelector("tr[data-ticket='cb-2']")).isEmpty());
        assertThat(browser.find("#result").getText()).contains("cancelled");
        assertThat(redisTicket("cb-2").get("state")).isEqualTo("cancelled");
        HttpResponse<String> busy = node.api().post("/api/v1/tenants/demo/callback-tickets/cb-3/cancel", ADMIN,
                PASSWORD, "");
        assertThat(busy.statusCode()).as("a ticket being dialled is the service's").isEqualTo(409);
        assertThat(redisTicket("cb-3").get("state")).isEqualTo("dialling");
    }

    /** A ticket as the callback service writes it ({@code callback-service}'s {@code Tickets}). */
    private static void ticket(String id, String state, String name, String number, long created, String attempts) {
        Redis commands = node.bean(Redis.class);
        commands.commands().hset(CallbackKeys.ticket("demo", id), Map.ofEntries(Map.entry("id", id),
                Map.entry("state", state), Map.entry("queue", "7002"), Map.entry("callerNumber", number),
                Map.entry("callerName", name), Map.entry("enqueuedAt", Long.toString(created - 60_000)),
                Map.entry("priority", "0"), Map.entry("room", id), Map.entry("node", "manage"),
                Map.entry("callId", id + "@test"), Map.entry("reason", "timeout"),
                Map.entry("createdAt", Long.toString(created)), Map.entry("updatedAt", Long.toString(created)),
                Map.entry("assignee", ""), Map.entry("maxAttempts", "3"), Map.entry("attempts", attempts)));
        commands.commands().zadd(CallbackKeys.tickets("demo"), created, id);
    }

    private static Map<String, String> redisTicket(String id) {
        return node.bean(Redis.class).commands().hgetall(CallbackKeys.ticket("demo", id));
    }

    @Test
    void aSupervisorOfAnotherTenantSeesAndTouchesNothingOfThisOne() throws Exception {
        browser.signIn(ACME_SUPERVISOR, ACME_PASSWORD);
        browser.awaitLive();
        assertThat(browser.driver.getCurrentUrl()).endsWith("/panel/wallboard");
        assertThat(browser.driver.findElements(By.cssSelector(".tile"))).as("no demo queue").isEmpty();
        assertThat(browser.find("#no-queues").isDisplayed()).isTrue();
        // The live stream: a listener of the page's own session, for the tenant's raw events.
        browser.driver.executeScript("""
                window.seen = [];
                const socket = new WebSocket(location.origin.replace('http', 'ws') + '/ws/supervisor');
                socket.onmessage = (m) => window.seen.push(m.data);
                window.acmeSocket = socket;""");
        browser.until(d -> Long.valueOf(1).equals(browser.driver.executeScript(
                "return window.acmeSocket.readyState;")));

        // Something happens in demo, then in acme: acme's page hears acme's event and never demo's.
        assertThat(node.api().post(ApiPaths.AGENT_LOGIN, "1047@demo", PASSWORD, "").statusCode()).isEqualTo(200);
        HttpResponse<String> acmeQueue = node.api().post("/api/v1/tenants/acme/queues", "boss@acme", "acme-admin",
                "{\"number\": \"8000\", \"name\": \"acme line\", \"strategy\": \"linear\", \"members\": []}");
        assertThat(acmeQueue.statusCode()).as(acmeQueue.body()).isEqualTo(201);
        browser.until(d -> d.findElement(By.cssSelector(".tile[data-queue='8000']")));
        browser.until(d -> String.valueOf(browser.driver.executeScript("return window.seen.join('\\n');"))
                .contains("8000"));
        String seen = String.valueOf(browser.driver.executeScript("return window.seen.join('\\n');"));
        assertThat(seen).doesNotContain("1047").doesNotContain("demo");
        node.api().delete("/api/v1/tenants/demo/agents/1047", ADMIN, PASSWORD);

        browser.open("/panel/agents");
        assertThat(browser.driver.findElements(By.cssSelector("tr[data-agent^='10']"))).as("no demo agent").isEmpty();
        browser.screens("other-tenant-agents");
        // Pages, reads and actions on demo with acme's session: refused.
        Object statuses = browser.driver.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                const csrf = { [document.querySelector('meta[name=csrf-header]').content]:
                               document.querySelector('meta[name=csrf-token]').content,
                               'Content-Type': 'application/json' };
                Promise.all([
                  fetch('/api/v1/tenants/demo/agents').then((r) => r.status),
                  fetch('/api/v1/tenants/demo/cdr').then((r) => r.status),
                  fetch('/api/v1/tenants/demo/queues/7000/callers').then((r) => r.status),
                  fetch('/api/v1/tenants/demo/agents/1001/state', { method: 'PUT', headers: csrf,
                        body: JSON.stringify({ state: 'not-ready' }) }).then((r) => r.status),
                  fetch('/api/v1/tenants/demo/wallboard/thresholds/7000', { method: 'PUT', headers: csrf,
                        body: '{}' }).then((r) => r.status),
                ]).then((s) => done(s.join(',')));""");
        assertThat(statuses).isEqualTo("403,403,403,403,403");
    }

    @Test
    void anExpiredSessionGoesToSignInAndThenBackToTheSameView() {
        browser.signIn(ADMIN, PASSWORD);
        browser.open("/panel/reports");
        browser.until(d -> d.findElement(By.tagName("body")).getDomAttribute("data-searched") != null);
        // What the browser holds once the node has expired its session: a cookie the node no longer knows.
        browser.driver.manage().deleteCookieNamed("TANDEM_PANEL");
        browser.driver.manage().addCookie(new Cookie("TANDEM_PANEL", "5E551011EXP1RED0000000000000000", "/"));
        browser.find("#search button[type=submit]").click();
        browser.until(d -> d.getCurrentUrl().contains("/panel/sign-in"));
        browser.driver.findElement(By.id("username")).sendKeys(ADMIN);
        browser.driver.findElement(By.id("password")).sendKeys(PASSWORD, Keys.ENTER);
        browser.until(d -> d.getCurrentUrl().contains("/panel/reports"));
        browser.until(d -> d.findElement(By.tagName("body")).getDomAttribute("data-searched") != null);
    }
}
