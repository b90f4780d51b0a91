package io.tandem.backend.registrar;

import static io.tandem.backend.TestNode.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.backend.RedisServer;
import io.tandem.backend.TestNode;
import io.tandem.backend.directory.Directory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The registrar keeps users' HA1s on the node between REGISTERs, yet a password changed or a user deleted in the
 * directory (by this node's API or any other node: nothing tells this node) counts from the next REGISTER on: the
 * binding script refuses an HA1 that is no longer the stored one, and a refusal is confirmed by a fresh read.
 */
class CredentialChangeIT {

    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    private static final String NEW_PASSWORD = "changed-password-1";
    private static TestNode node;

    @BeforeAll
    static void startNode() {
        node = TestNode.start("tandem.redis.uri=" + redis.uri(), "tandem.node.id=cred-it",
                "tandem.registrar.flood-threshold=1000");
    }

    @AfterAll
    static void stopNode() {
        node.close();
    }

    @Test
    void aChangedPasswordIsAcceptedAtOnceThoughTheOldOneIsCached() throws Exception {
        try (RawRegisterClient phone = new RawRegisterClient("1006", node.sipPort())) {
            assertThat(phone.registerWithPassword(PASSWORD, 60, phone.contact()).getStatusCode()).isEqualTo(200);
            changePassword("1006");
            assertThat(phone.registerWithPassword(NEW_PASSWORD, 60, phone.contact()).getStatusCode()).isEqualTo(200);
        }
    }

    @Test
    void theOldPasswordIsRefusedAtOnceThoughItIsCached() throws Exception {
        try (RawRegisterClient phone = new RawRegisterClient("1007", node.sipPort())) {
            assertThat(phone.registerWithPassword(PASSWORD, 60, phone.contact()).getStatusCode()).isEqualTo(200);
            changePassword("1007");
            assertThat(phone.registerWithPassword(PASSWORD, 60, phone.contact()).getStatusCode()).isEqualTo(403);
        }
    }

    @Test
    void aDeletedUserIsRefusedAtOnceThoughItIsCached() throws Exception {
        try (RawRegisterClient phone = new RawRegisterClient("1008", node.sipPort())) {
            assertThat(phone.registerWithPassword(PASSWORD, 60, phone.contact()).getStatusCode()).isEqualTo(200);
            assertThat(node.bean(Directory.class).delete("demo", "1008")).isTrue();
            assertThat(phone.registerWithPassword(PASSWORD, 60, phone.contact()).getStatusCode()).isEqualTo(403);
        }
    }

    /** Writes the new HA1s straight to Redis through the directory, as another node's admin API would. */
    private static void changePassword(String extension) {
        assertThat(node.bean(Directory.class).update("demo", extension, null, null, NEW_PASSWORD, null)).isPresent();
    }
}
