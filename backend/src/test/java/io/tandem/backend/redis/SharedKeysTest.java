package io.tandem.backend.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.protocol.callback.CallbackKeys;
import io.tandem.protocol.callback.NodeKeys;
import org.junit.jupiter.api.Test;

/**
 * The callback service cannot depend on the node, so the keys it reads from the nodes are spelled a second time in
 * {@code protocol} ({@link NodeKeys}): this test keeps the two spellings the same.
 */
class SharedKeysTest {

    @Test
    void theKeysTheCallbackServiceReadsAreTheNodesKeys() {
        assertThat(NodeKeys.tenants()).isEqualTo(Keys.tenants());
        assertThat(NodeKeys.node("a1")).isEqualTo(Keys.node("a1"));
        assertThat(NodeKeys.user("demo", "1011")).isEqualTo(Keys.user("demo", "1011"));
        assertThat(NodeKeys.agent("demo", "1011")).isEqualTo(Keys.agent("demo", "1011"));
        assertThat(NodeKeys.queueMembers("demo", "7002")).isEqualTo(Keys.queueMembers("demo", "7002"));
        assertThat(NodeKeys.queueTiers("demo", "7002")).isEqualTo(Keys.queueTiers("demo", "7002"));
        assertThat(NodeKeys.events("demo")).isEqualTo(Keys.events("demo"));
        assertThat(NodeKeys.liveEvents("demo")).isEqualTo(Keys.liveEvents("demo"));
    }

    @Test
    void theContractKeysShareTheTenantsHashTag() {
        String tag = "tandem:{demo}:";
        assertThat(CallbackKeys.pushBindings("demo", "1011")).startsWith(tag);
        assertThat(CallbackKeys.deviceEvents("demo")).startsWith(tag);
        assertThat(CallbackKeys.roomEvents("demo")).startsWith(tag);
        assertThat(CallbackKeys.room("demo", "r1")).startsWith(tag);
        assertThat(Keys.tenantPrefix("demo")).isEqualTo(tag);
    }
}
