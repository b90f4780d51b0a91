package io.tandem.agent.headless;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class HeadlessOptionsTest {
    private static final Map<String, String> NO_ENV = Map.of();

    private static HeadlessOptions parse(Map<String, String> env, String... args) throws Exception {
        return HeadlessOptions.parse(args, env);
    }

    @Test
    void allFlagsInBothSpellings() throws Exception {
        HeadlessOptions o = parse(NO_ENV, "--headless", "--agent", "1001", "--backend=http://127.0.0.1:8080",
                "--password", "pw", "--tenant=demo", "--auto-answer", "--not-ready", "--sip-port", "5070");
        assertThat(o.agent()).isEqualTo("1001");
        assertThat(o.backend()).isEqualTo("http://127.0.0.1:8080");
        assertThat(new String(o.password())).isEqualTo("pw");
        assertThat(o.tenant()).isEqualTo("demo");
        assertThat(o.autoAnswer()).isTrue();
        assertThat(o.available()).isFalse();
        assertThat(o.sipPort()).isEqualTo(5070);
        assertThat(o.toString()).doesNotContain("pw");
    }

    @Test
    void thePasswordMayComeFromTheEnvironment() throws Exception {
        HeadlessOptions o = parse(Map.of(HeadlessOptions.PASSWORD_ENV, "secret"), "--agent", "1001",
                "--backend", "https://node.example:8443");
        assertThat(new String(o.password())).isEqualTo("secret");
    }

    @Test
    void everyProblemNamesItsFlag() {
        assertThatThrownBy(() -> parse(NO_ENV, "--backend", "http://x")).hasMessageStartingWith("--agent is required");
        assertThatThrownBy(() -> parse(NO_ENV, "--agent", "10 01", "--backend", "http://x", "--password", "p"))
                .hasMessageStartingWith("--agent:");
        assertThatThrownBy(() -> parse(NO_ENV, "--agent", "1001", "--password", "p"))
                .hasMessageStartingWith("--backend is required");
        assertThatThrownBy(() -> parse(NO_ENV, "--agent", "1001", "--backend", "ftp://x", "--password", "p"))
                .hasMessageStartingWith("--backend: The backend URL must start with http://");
        assertThatThrownBy(() -> parse(NO_ENV, "--agent", "1001", "--backend", "http://x"))
                .hasMessageStartingWith("--password is required");
        assertThatThrownBy(() -> parse(NO_ENV, "--agent", "1001", "--backend", "http://x", "--password", "p",
                "--sip-port", "70000")).hasMessageStartingWith("--sip-port:");
        assertThatThrownBy(() -> parse(NO_ENV, "--agent")).hasMessage("--agent needs a value");
        assertThatThrownBy(() -> parse(NO_ENV, "--agent", "--backend", "http://x")).hasMessage("--agent needs a value");
        assertThatThrownBy(() -> parse(NO_ENV, "--agent", "1001", "--backend", "http://x", "--password", "p",
                "--play", "/no/such.wav")).hasMessageStartingWith("--play: cannot read");
        assertThatThrownBy(() -> parse(NO_ENV, "--colour")).hasMessageStartingWith("unknown option '--colour'");
    }
}
