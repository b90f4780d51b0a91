package io.tandem.backend.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tandem.backend.TestNode;
import io.tandem.protocol.ApiPaths;
import io.tandem.telephony.media.SineSource;
import io.tandem.telephony.peers.FreePorts;
import io.tandem.telephony.testing.Await;
import io.tandem.telephony.testing.RedisServer;
import io.tandem.telephony.ua.Call;
import io.tandem.telephony.ua.CallState;
import io.tandem.telephony.ua.UserAgent;
import io.tandem.telephony.ua.UserAgentConfig;
import io.tandem.telephony.ua.UserAgentListener;
import jakarta.servlet.ServletContext;
import jakarta.websocket.server.ServerContainer;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.apache.tomcat.websocket.server.WsServerContainer;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The supervisor panel in a real headless Chromium, served by node {@code panel} of a two-node cluster; callers
 * reach the other node, {@code entry}, and agents log in through it, so every figure the panel shows has crossed
 * Redis.
 */
class PanelIT {

    private static final String SECRET = "panel-it-cluster-secret-0123456789";
    private static final String ADMIN = TestNode.ADMIN + "@demo";
    private static final String HOSTILE_NAME = "<img src=x onerror=alert(1)>";
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    private static TestNode entry;
    private static TestNode panel;
    private static Browser browser;

    @BeforeAll
    static void start() throws Exception {
        entry = node("entry");
        panel = node("panel");
        browser = new Browser(panel.port());
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (panel != null) {
            panel.close();
        }
        if (entry != null) {
            entry.close();
        }
    }

    private static TestNode node(String id) {
        int rtp = FreePorts.alignedBlock(100);
        return TestNode.start("tandem.redis.uri=" + redis.uri(), "tandem.node.id=" + id,
                "tandem.node.cluster-secret=" + SECRET, "tandem.demo.last-extension=1060",
                "tandem.acd.dispatch-interval=1s",
                // Agents log in over REST only, with no phone: keep them logged in for the whole test.
                "tandem.acd.presence-grace=10m",
                "tandem.sip.rtp-port-min=" + rtp, "tandem.sip.rtp-port-max=" + (rtp + 99));
    }

    @Test
    void pagesForbidInlineScriptAndTheApiStaysStateless() {
        HttpResponse<String> signIn = panel.api().get("/panel/sign-in", null, null);
        assertThat(signIn.statusCode()).isEqualTo(200);
        assertThat(signIn.headers().firstValue("Content-Security-Policy")).get(InstanceOfAssertFactories.STRING)
                .contains("script-src 'self'");
        HttpResponse<String> anonymous = panel.api().get("/api/v1/tenants/demo/agents", null, null);
        assertThat(anonymous.statusCode()).as("the API still answers a problem, no sign-in redirect").isEqualTo(401);
        assertThat(anonymous.headers().firstValue("Set-Cookie")).isEmpty();
        HttpResponse<String> basic = panel.api().get("/api/v1/tenants/demo/agents", ADMIN, TestNode.PASSWORD);
        assertThat(basic.statusCode()).isEqualTo(200);
        assertThat(basic.headers().firstValue("Set-Cookie")).as("Basic creates no session").isEmpty();
    }

    @Test
    void anAgentSigningInIsNotAllowed() {
        browser.signIn("1003@demo", TestNode.PASSWORD);
        WebElement heading = browser.until(d -> d.findElement(By.cssSelector("main h1")));
        assertThat(heading.getText()).isEqualTo("Not allowed");
        assertThat(browser.find("#not-allowed-text").getText()).contains("1003@demo");
        browser.screenshot("not-allowed");
        browser.open("/panel/agents");
        assertThat(browser.find("main h1").getText()).as("no page of the panel opens").isEqualTo("Not allowed");
    }

    @Test
    void theGridShowsAnAgentAvailableAndForcesNotReady() throws Exception {
        browser.driver.manage().deleteAllCookies();
        browser.open("/");
        browser.until(d -> d.getCurrentUrl().endsWith("/panel/sign-in"));
        browser.screenshot("sign-in");
        browser.signIn("wrong@demo", "nope");
        assertThat(browser.find(".notice.error").getText()).contains("Wrong login or password");
        browser.screenshot("sign-in-error");
        browser.signIn(ADMIN, TestNode.PASSWORD);
        browser.open("/panel/agents");
        browser.awaitLive();
        WebElement row = browser.find("tr[data-agent='1001']");
        assertThat(row.getDomAttribute("data-state")).isEqualTo("logged-out");

        HttpResponse<String> login = entry.api().post(ApiPaths.AGENT_LOGIN, "1001@demo", TestNode.PASSWORD, "");
        assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
        HttpResponse<String> available = entry.api().put(ApiPaths.AGENT_STATE, "1001@demo", TestNode.PASSWORD,
                "{\"state\":\"available\"}");
        assertThat(available.statusCode()).as(available.body()).isEqualTo(200);

        browser.until(d -> "available".equals(row.getDomAttribute("data-state")));
        assertThat(row.findElement(By.cssSelector("[data-field=state]")).getText()).contains("Available");
        assertThat(row.findElement(By.cssSelector("[data-field=node]")).getText()).as("logged in through entry")
                .isEqualTo("entry");
        browser.until(d -> row.findElement(By.cssSelector("[data-field=since]")).getText().matches("\\d+:\\d\\d"));
        browser.screenshot("agents-available");

        row.findElement(By.cssSelector("button[data-action='not-ready']")).click();
        WebElement dialog = browser.until(d -> {
            WebElement confirm = d.findElement(By.id("confirm"));
            return confirm.isDisplayed() ? confirm : null;
        });
        assertThat(dialog.getText()).contains("Agent 1001");
        new Select(browser.find("#reason")).selectByValue("lunch");
        browser.screenshot("agents-confirm-not-ready");
        browser.find("#confirm-ok").click();

        browser.until(d -> "not-ready".equals(row.getDomAttribute("data-state")));
        assertThat(row.findElement(By.cssSelector("[data-field=reason]")).getText()).isEqualTo("lunch");
        assertThat(row.findElement(By.cssSelector("[data-field=state]")).getText()).contains("Not ready");
        WebElement result = browser.until(d -> {
            WebElement shown = d.findElement(By.id("result"));
            return shown.isDisplayed() ? shown : null;
        });
        assertThat(result.getText()).contains("not ready (lunch)");
        JsonNode rest = JSON.readTree(panel.api().get("/api/v1/tenants/demo/agents/1001", ADMIN, TestNode.PASSWORD)
                .body());
        assertThat(rest.path("state").asText()).isEqualTo("not-ready");
        assertThat(rest.path("reason").asText()).isEqualTo("lunch");
        browser.screenshot("agents-not-ready");
        browser.size(1920, 1080);
        browser.screenshot("agents-1920");
        browser.size(1280, 800);
    }

    @Test
    void aCallerWaitingOnAnotherNodeShowsOnTheWallboardAsText() throws Exception {
        browser.signIn(ADMIN, TestNode.PASSWORD);
        assertThat(browser.driver.getCurrentUrl()).endsWith("/panel/wallboard");
        browser.awaitLive();
        WebElement tile = browser.find(".tile[data-queue='7000']");
        browser.until(d -> "0".equals(tile.findElement(By.cssSelector("[data-field=waiting]")).getText()));
        browser.screenshot("wallboard-empty");

        int rtp = FreePorts.alignedBlock(100);
        UserAgentConfig plain = UserAgentConfig.of("1050", "127.0.0.1").withPassword(TestNode.PASSWORD)
                .withRtpPorts(rtp, rtp + 99);
        UserAgentConfig config = new UserAgentConfig(HOSTILE_NAME, plain.user(), plain.domain(), plain.password(),
                plain.registrars(), plain.localAddress(), plain.sipPort(), plain.rtpPortMin(), plain.rtpPortMax(),
                plain.codecs(), plain.autoAnswer(), plain.registerExpiry(), plain.userAgent(), plain.requestTimeout(),
                plain.probeInterval());
        try (UserAgent caller = UserAgent.start(config, new UserAgentListener() { })) {
            Call call = caller.call("sip:7000@127.0.0.1:" + entry.sipPort());
            call.setSource(new SineSource(440, 8000));
            browser.until(d -> "1".equals(tile.findElement(By.cssSelector("[data-field=waiting]")).getText()));
            Await.until("the entry node answers the caller", Duration.ofSeconds(30),
                    () -> call.state() == CallState.CONNECTED);
            String name = browser.until(d -> tile.findElement(By.cssSelector("[data-field=callers] .caller-name"))
                    .getText());
            assertThat(name).as("the display name is shown as it is").isEqualTo(HOSTILE_NAME);
            assertThat(tile.findElements(By.tagName("img"))).as("the name is text, not markup").isEmpty();
            assertThat(tile.findElement(By.cssSelector(".caller-number")).getText()).isEqualTo("1050");
            browser.until(d -> !tile.findElement(By.cssSelector("[data-field=longest]")).getText().equals("–"));
            browser.screenshot("wallboard-caller-waiting");
            browser.size(1920, 1080);
            browser.screenshot("wallboard-1920");
            browser.size(1280, 800);

            call.hangup();
            browser.until(d -> "0".equals(tile.findElement(By.cssSelector("[data-field=waiting]")).getText()));
            browser.until(d -> !"0".equals(tile.findElement(By.cssSelector("[data-field=abandoned]")).getText()));
            assertThat(tile.findElements(By.cssSelector("[data-field=callers] li"))).isEmpty();
            browser.screenshot("wallboard-abandoned");
        }
    }

    @Test
    void aDroppedConnectionShowsABannerAndCatchesUpWithoutAReload() {
        browser.signIn(ADMIN, TestNode.PASSWORD);
        browser.awaitLive();
        WebElement tile = browser.find(".tile[data-queue='7001']");
        String notReady = browser.until(d -> {
            String shown = tile.findElement(By.cssSelector("[data-field=notReady]")).getText();
            return shown.equals("–") ? null : shown;
        });
        browser.driver.executeScript("""
                window.stillTheSamePage = true;
                window.bannerShown = false;
                const banner = document.getElementById('banner');
                new MutationObserver(() => { window.bannerShown ||= !banner.hidden; })
                        .observe(banner, { attributes: true });""");

        // The node drops the page's WebSocket (as a restarting proxy would); the HTTP session stays valid.
        ServletContext servlets = panel.bean(ServletContext.class);
        WsServerContainer sockets = (WsServerContainer) servlets.getAttribute(ServerContainer.class.getName());
        sockets.closeAuthenticatedSession(browser.driver.manage().getCookieNamed("TANDEM_PANEL").getValue());
        // Meanwhile an agent of 7001 logs in (not ready): the page must learn of it once back.
        HttpResponse<String> login = entry.api().post(ApiPaths.AGENT_LOGIN, "1004@demo", TestNode.PASSWORD, "");
        assertThat(login.statusCode()).as(login.body()).isEqualTo(200);

        browser.until(d -> "1".equals(d.findElement(By.tagName("body")).getDomAttribute("data-reconnects")));
        browser.awaitLive();
        assertThat(browser.driver.executeScript("return window.bannerShown;")).as("the banner showed").isEqualTo(true);
        assertThat(browser.find("#banner").isDisplayed()).as("and went away").isFalse();
        String expected = String.valueOf(Integer.parseInt(notReady) + 1);
        browser.until(d -> expected.equals(tile.findElement(By.cssSelector("[data-field=notReady]")).getText()));
        assertThat(browser.driver.executeScript("return window.stillTheSamePage === true;")).isEqualTo(true);
    }
}
