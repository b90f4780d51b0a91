package io.tandem.backend.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.cluster.SlotHash;
import io.tandem.protocol.callback.CallbackKeys;
import java.lang.reflect.Method;
import java.util.Arrays;
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
        assertThat(Keys.agentStats("demo", "1001", "2026-11-29"))
                .isEqualTo("tandem:{demo}:agent:1001:stats:2026-11-29");
        assertThat(Keys.agentsWithStats("demo", "2026-11-29")).isEqualTo("tandem:{demo}:agents:stats:2026-11-29");
        // The Lua scripts build the keys they discover from this prefix.
        assertThat(Keys.agent("demo", "1001")).startsWith(Keys.tenantPrefix("demo"));
        assertThat(Keys.liveEvents("demo")).isEqualTo("tandem:{demo}:live");
    }

    /** The node and the callback service read and write the same keys: the contract's names are ours. */
    @Test
    void roomKeysAreTheCallbackContracts() {
        assertThat(Keys.room("demo", "r1")).isEqualTo(CallbackKeys.room("demo", "r1"));
        assertThat(Keys.rooms("demo")).isEqualTo(CallbackKeys.rooms("demo"));
        assertThat(Keys.roomEvents("demo")).isEqualTo(CallbackKeys.roomEvents("demo"));
        assertThat(Keys.ticket("demo", "r-1")).isEqualTo(CallbackKeys.ticket("demo", "r-1"));
        assertThat(Keys.ticketEvents("demo")).isEqualTo(CallbackKeys.ticketEvents("demo"));
        assertThat(Keys.usedJoinToken("demo", "t-1")).isEqualTo(CallbackKeys.usedJoinToken("demo", "t-1"));
        assertThat(Keys.nodeCommands("n1")).isEqualTo(CallbackKeys.nodeCommands("n1"));
        assertThat(Keys.doneCommand("n1", "c-1")).isEqualTo(CallbackKeys.doneCommand("n1", "c-1"));
        // the callback service's ids: room and user
        assertThat(Keys.doneCommand("n1", "Qgvi27fMegPxfG9z:1011"))
                .isEqualTo(CallbackKeys.doneCommand("n1", "Qgvi27fMegPxfG9z:1011"));
        assertThatThrownBy(() -> Keys.doneCommand("n1", "{x}")).hasMessageContaining("command id");
        assertThatThrownBy(() -> Keys.room("demo", "a:b")).hasMessageContaining("room id");
    }

    @Test
    void clusterKeysHaveNoTenantTag() {
        assertThat(Keys.nodes()).isEqualTo("tandem:nodes");
        assertThat(Keys.nodeVotes()).isEqualTo("tandem:node-votes");
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

    /**
     * Every key shape is built by the {@link Keys} method of its Lua name (so a script's {@code K.agent(id)} and Java's
     * {@code Keys.agent(tenant, id)} are one key), and lands on the tenant's slot: the hash tag is the tenant, so any
     * set of one tenant's keys may go into one script on Redis Cluster.
     */
    @Test
    void everyKeyShapeIsBuiltByKeysOnTheTenantsSlot() throws ReflectiveOperationException {
        int slot = SlotHash.getSlot("tandem:{demo}:");
        for (KeyShape shape : KeyShape.values()) {
            Class<?>[] parameters = new Class<?>[shape.arity() + 1];
            Arrays.fill(parameters, String.class);
            Method builder = Keys.class.getMethod(shape.luaName(), parameters);
            String[] values = new String[shape.arity()];
            Object[] arguments = new Object[shape.arity() + 1];
            arguments[0] = "demo";
            for (int i = 0; i < values.length; i++) {
                // the last value of a per-day shape is a day; the others are ids
                values[i] = shape.name().contains("STATS") && i == values.length - 1 ? "2026-11-29" : "1001";
                arguments[i + 1] = values[i];
            }
            String key = (String) builder.invoke(null, arguments);
            String expected = switch (values.length) {
                case 0 -> shape.key("demo");
                case 1 -> shape.key("demo", values[0]);
                default -> shape.key("demo", values[0], values[1]);
            };
            assertThat(key).as(shape.toString()).isEqualTo(expected).startsWith(Keys.tenantPrefix("demo"));
            assertThat(SlotHash.getSlot(key)).as(key).isEqualTo(slot);
        }
    }

    /** The node writes the keys the callback service reads: both sides must build the same names. */
    @Test
    void theCallbackContractsKeysAreTheNodesKeys() {
        assertThat(Keys.pushBindings("demo", "2001")).isEqualTo(CallbackKeys.pushBindings("demo", "2001"));
        assertThat(Keys.deviceEvents("demo")).isEqualTo(CallbackKeys.deviceEvents("demo"));
        assertThat(Keys.callWakes("demo")).isEqualTo(CallbackKeys.callWakes("demo"));
        assertThat(Keys.ticket("demo", "Qgvi27fMegPxfG9z")).isEqualTo(CallbackKeys.ticket("demo", "Qgvi27fMegPxfG9z"));
        assertThat(Keys.tickets("demo")).isEqualTo(CallbackKeys.tickets("demo"));
    }

    @Test
    void aSourceAddressKeepsItsFloodKeysOnOneSlot() {
        assertThat(SlotHash.getSlot(Keys.authFailures("192.0.2.7")))
                .isEqualTo(SlotHash.getSlot(Keys.blockedSource("192.0.2.7")));
    }

    @Test
    void theShapesLuaFunctionJoinsThePrefixAndTheValues() {
        assertThat(KeyShape.QUEUE_STATS.luaFunction())
                .isEqualTo("function K.queueStats(v1, v2) return KP .. 'q:' .. v1 .. ':stats:' .. v2 end");
        assertThat(KeyShape.EVENTS.luaFunction()).isEqualTo("function K.events() return KP .. 'events' end");
    }
}
