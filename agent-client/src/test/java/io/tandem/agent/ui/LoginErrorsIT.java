package io.tandem.agent.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.agent.audio.FileAudio;
import io.tandem.agent.testing.OneNode;
import io.tandem.agent.testing.PhoneUi;
import io.tandem.telephony.peers.FreePorts;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Login mistakes in the real window: a wrong password against a real node, a backend nobody listens on, one that
 * never answers (the window stays responsive meanwhile), a URL without http:// — each a sentence, never a freeze.
 */
class LoginErrorsIT {
    @TempDir
    static Path config;

    @RegisterExtension
    static final OneNode cluster = new OneNode("login-it");
    private static PhoneUi ui;

    @BeforeAll
    static void start() throws Exception {
        ui = PhoneUi.open(FileAudio.silent(), config);
    }

    @AfterAll
    static void stop() throws Exception {
        if (ui != null) {
            ui.close(); // before the extension stops the node
        }
    }

    private static void logIn(String url, String agent, String password) throws Exception {
        ui.type("login-url", url);
        ui.type("login-tenant", "demo");
        ui.type("login-agent", agent);
        ui.type("login-password", password);
        ui.click("login-button");
    }

    @Test
    void aWrongPasswordAgainstARealNodeSaysSo() throws Exception {
        logIn(cluster.node().url(), "1001", "not-my-password");
        ui.awaitText("login-message", "Wrong agent id, tenant or password");
        assertThat(PhoneUi.fx(() -> ui.node("login-password").getStyleClass().contains("invalid"))).isTrue();
        assertThat(ui.text("login-password")).as("the password the agent typed stays for correction")
                .isEqualTo("not-my-password");
        ui.screenshot("login-wrong-password");
    }

    @Test
    void aBackendNobodyListensOnIsUnreachable() throws Exception {
        int closedPort = FreePorts.udpAndTcp();
        logIn("http://127.0.0.1:" + closedPort, "1001", "secret");
        ui.awaitText("login-message", "Cannot reach the backend at http://127.0.0.1:" + closedPort);
        assertThat(PhoneUi.fx(() -> ui.node("login-url").getStyleClass().contains("invalid"))).isTrue();
    }

    @Test
    void aBackendThatNeverAnswersTimesOutWhileTheWindowStaysResponsive() throws Exception {
        // Accepts connections (the kernel's backlog) but never reads or answers.
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            logIn("http://127.0.0.1:" + silent.getLocalPort(), "1001", "secret");
            ui.awaitText("login-message", "Logging in to");
            // The FX thread answers while the login waits in the background: it reads the form before the login's
            // 5 s timeout shows, which a login holding the FX thread would have shown first. Not a 2 s budget for
            // the answer: a loaded machine can take that long to run any FX task.
            String[] form = PhoneUi.fx(() -> new String[]{ui.textOnFx("login-agent"), ui.textOnFx("login-message")});
            assertThat(form[0]).isEqualTo("1001");
            assertThat(form[1]).as("the login still waiting when the FX thread answered").contains("Logging in to");
            assertThat(PhoneUi.fx(() -> ui.node("login-button").isDisabled())).as("no second login meanwhile").isTrue();
            ui.awaitText("login-message", "did not answer within 5 s");
            assertThat(PhoneUi.fx(() -> ui.node("login-button").isDisabled())).isFalse();
        }
    }

    @Test
    void aUrlWithoutSchemeIsRefusedBeforeAnyRequest() throws Exception {
        logIn("127.0.0.1:8080", "1001", "secret");
        ui.awaitText("login-message", "must start with http:// or https://");
    }
}
