package io.tandem.agent.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AgentApiTest {

    @Test
    void aUsableUrlLosesItsTrailingSlash() throws Exception {
        assertThat(AgentApi.parse(" http://10.0.0.5:8080/ ").toString()).isEqualTo("http://10.0.0.5:8080");
        assertThat(AgentApi.parse("HTTPS://node.example").getScheme()).isEqualToIgnoringCase("https");
    }

    @Test
    void badUrlsAreExplained() {
        assertThatThrownBy(() -> AgentApi.parse("")).hasMessageStartingWith("Enter the backend URL");
        assertThatThrownBy(() -> AgentApi.parse("10.0.0.5:8080")).hasMessageContaining("must start with http://");
        assertThatThrownBy(() -> AgentApi.parse("ws://x")).hasMessageContaining("must start with http://");
        assertThatThrownBy(() -> AgentApi.parse("http://")).isInstanceOf(ApiException.class);
        assertThatThrownBy(() -> AgentApi.parse("http://exa mple")).isInstanceOf(ApiException.class)
                .satisfies(e -> assertThat(((ApiException) e).kind()).isEqualTo(ApiException.Kind.BAD_URL));
    }
}
