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
        assertThatThrownBy(() -> Keys.node("")).hasMessageContaining("node id");
        assertThatThrownBy(() -> Keys.cdr(null)).hasMessageContaining("tenant");
    }
}
