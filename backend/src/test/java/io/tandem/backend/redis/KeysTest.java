package io.tandem.backend.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class KeysTest {

    @Test
    void tenantKeysCarryTheTenantAsHashTag() {
        assertThat(Keys.user("demo", "1001")).isEqualTo("tandem:{demo}:user:1001");
        assertThat(Keys.users("demo")).isEqualTo("tandem:{demo}:users");
        assertThat(Keys.registration("demo", "1001")).isEqualTo("tandem:{demo}:reg:1001");
        assertThat(Keys.agent("demo", "1001")).isEqualTo("tandem:{demo}:agent:1001");
        assertThat(Keys.queueWait("demo", "sales")).isEqualTo("tandem:{demo}:q:sales:wait");
        assertThat(Keys.call("demo", "a84b4c76e66710@pc33")).isEqualTo("tandem:{demo}:call:a84b4c76e66710@pc33");
        assertThat(Keys.events("demo")).isEqualTo("tandem:{demo}:events");
        assertThat(Keys.cdr("acme.example")).isEqualTo("tandem:{acme.example}:cdr");
        assertThat(Keys.queueLog("demo")).isEqualTo("tandem:{demo}:queuelog");
        assertThat(Keys.availableAgents("demo")).isEqualTo("tandem:{demo}:agents:available");
        assertThat(Keys.queueReady("demo", "7000")).isEqualTo("tandem:{demo}:q:7000:ready");
        assertThat(Keys.queueCaller("demo", "abc@host")).isEqualTo("tandem:{demo}:caller:abc@host");
        assertThat(Keys.queueStats("demo", "7000", "2026-11-29")).isEqualTo("tandem:{demo}:q:7000:stats:2026-11-29");
        // The Lua scripts build the keys they discover from this prefix.
        assertThat(Keys.agent("demo", "1001")).startsWith(Keys.tenantPrefix("demo"));
        assertThat(Keys.liveEvents("demo")).isEqualTo("tandem:{demo}:live");
    }

    @Test
    void clusterKeysHaveNoTenantTag() {
        assertThat(Keys.nodes()).isEqualTo("tandem:nodes");
        assertThat(Keys.node("n2")).isEqualTo("tandem:node:n2");
        assertThat(Keys.tenants()).isEqualTo("tandem:tenants");
    }

    @Test
    void namesThatWouldBreakTheKeyShapeAreRefused() {
        // A brace would change the hash tag, a colon would forge another key.
        assertThatThrownBy(() -> Keys.user("de}mo", "1001")).hasMessageContaining("tenant");
        assertThatThrownBy(() -> Keys.user("demo", "1001:x")).hasMessageContaining("extension");
        assertThatThrownBy(() -> Keys.user("Demo", "1001")).hasMessageContaining("tenant");
        assertThatThrownBy(() -> Keys.user("Demo", "1001")).as("a refused name is not remembered as checked")
                .hasMessageContaining("tenant");
        assertThatThrownBy(() -> Keys.node("")).hasMessageContaining("node id");
        assertThatThrownBy(() -> Keys.cdr(null)).hasMessageContaining("tenant");
        assertThatThrownBy(() -> Keys.offer("demo", "a:b")).hasMessageContaining("offer id");
        assertThatThrownBy(() -> Keys.queueStats("demo", "7000", "29.11.2026")).hasMessageContaining("day");
    }
}
