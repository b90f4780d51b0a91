package io.tandem.backend.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class NodeIdentityTest {

    private static final DemoProperties DEMO = new DemoProperties(true, "demo", 1001, 1020, "tandem",
            "admin", 2001, 2005, "tk_demo-api-key-change-me");
    private static final DemoProperties PRODUCTION = new DemoProperties(false, "demo", 1001, 1020,
            "tandem", "admin", 2001, 2005, "tk_demo-api-key-change-me");

    @Test
    void hostNamesBecomeValidNodeIds() {
        assertThat(NodeIdentity.sanitize("Node-A.example.COM")).isEqualTo("node-a.example.com");
        assertThat(NodeIdentity.sanitize("_weird host!")).isEqualTo("weird-host-");
        assertThat(NodeIdentity.sanitize("???")).isEqualTo("node");
    }

    @Test
    void explicitIdAndSecretAreKept() {
        NodeProperties node = new NodeProperties("n2", "0123456789abcdef0123", Duration.ofSeconds(1),
                Duration.ofSeconds(3));
        NodeIdentity identity = NodeIdentity.resolve(node, PRODUCTION, "1.0");
        assertThat(identity.id()).isEqualTo("n2");
        assertThat(identity.clusterSecret()).isEqualTo("0123456789abcdef0123");
        assertThat(identity.toString()).doesNotContain("0123456789abcdef0123");
    }

    @Test
    void secretIsRequiredOutsideTheDemo() {
        NodeProperties node = new NodeProperties("n1", "", Duration.ofSeconds(1), Duration.ofSeconds(3));
        assertThatThrownBy(() -> NodeIdentity.resolve(node, PRODUCTION, "1.0"))
                .hasMessageContaining("tandem.node.cluster-secret");
    }

    @Test
    void demoGeneratesADistinctSecret() {
        NodeProperties node = new NodeProperties("", "", Duration.ofSeconds(1), Duration.ofSeconds(3));
        NodeIdentity one = NodeIdentity.resolve(node, DEMO, null);
        NodeIdentity two = NodeIdentity.resolve(node, DEMO, null);
        assertThat(one.clusterSecret()).hasSizeGreaterThanOrEqualTo(32).isNotEqualTo(two.clusterSecret());
        assertThat(one.id()).isNotBlank();
        assertThat(one.version()).isEqualTo("dev");
    }
}
