package io.tandem.backend.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tandem.backend.TestNode;
import io.tandem.backend.acd.AcdScripts;
import io.tandem.backend.redis.OwedWrites;
import io.tandem.backend.redis.Redis;
import io.tandem.telephony.testing.RedisServer;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Campaigns over REST on a real node and Redis: a campaign is defined (every invalid field named), its contact list
 * uploaded as CSV with a report of every refused row, a second upload of the same numbers adds none.
 */
class CampaignApiIT {

    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CAMPAIGNS = "/api/v1/tenants/demo/campaigns/";
    private static final String GOOD = "{\"queue\":\"7000\",\"mode\":\"progressive\","
            + "\"window\":{\"start\":\"09:00\",\"end\":\"20:00\"},\"ringSeconds\":20}";

    private static TestNode node;

    @BeforeAll
    static void start() {
        node = TestNode.start("tandem.redis.uri=" + redis.uri(), "tandem.node.id=campaigns",
                "tandem.node.cluster-secret=campaign-it-cluster-secret-0123456789");
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    @Test
    void aCampaignsInvalidFieldsAreNamed() throws Exception {
        assertInvalid(GOOD.replace("\"ringSeconds\":20", "\"ringSeconds\":10"), "ringSeconds");
        assertInvalid(GOOD.replace("progressive", "robocall"), "mode");
        assertInvalid(GOOD.replace("7000", "7999"), "queue");
        assertInvalid(GOOD.replace("\"end\":\"20:00\"", "\"end\":\"08:00\""), "window.end");
        assertInvalid(GOOD.replace("}", ",\"abandonCap\":0.5}"), "abandonCap");
        HttpResponse<String> agent = node.api().put(CAMPAIGNS + "spring", "1001", TestNode.PASSWORD, GOOD);
        assertThat(agent.statusCode()).as("an agent may not define campaigns").isEqualTo(403);
    }

    @Test
    void aContactListIsTakenRowByRowWithAReportOfTheRefusedRows() throws Exception {
        HttpResponse<String> created = node.api().put(CAMPAIGNS + "renewals", TestNode.ADMIN, TestNode.PASSWORD,
                GOOD);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode campaign = JSON.readTree(created.body()).path("campaign");
        assertThat(campaign.path("maxAttempts").asInt()).as("the default").isEqualTo(3);
        assertThat(campaign.path("abandonCap").asDouble()).isEqualTo(0.03);

        String csv = "number,timezone,name,contract\n"
                + "+4930123456,Europe/Berlin,Erika,C-1\n"
                + "0301234567,Europe/Berlin,Max,C-2\n"
                + "+12125550100,America/Chicago,\"Doe, John\",C-3\n"
                + "+33142685300,Paris,Jean,C-4\n";
        JsonNode report = upload("renewals", csv);
        assertThat(report.path("rows").asInt()).isEqualTo(4);
        assertThat(report.path("accepted").asInt()).isEqualTo(2);
        assertThat(report.path("added").asInt()).isEqualTo(2);
        assertThat(report.path("rejected")).hasSize(2);
        assertThat(report.path("rejected").path(0).path("line").asInt()).isEqualTo(3);
        assertThat(report.path("rejected").path(0).path("column").asText()).isEqualTo("number");
        assertThat(report.path("rejected").path(1).path("line").asInt()).isEqualTo(5);
        assertThat(report.path("rejected").path(1).path("column").asText()).isEqualTo("timezone");

        JsonNode again = upload("renewals", csv);
        assertThat(again.path("added").asInt()).as("numbers already on the campaign").isZero();
        assertThat(again.path("alreadyListed").asInt()).isEqualTo(2);

        JsonNode view = JSON.readTree(node.api().get(CAMPAIGNS + "renewals", TestNode.ADMIN, TestNode.PASSWORD)
                .body());
        assertThat(view.path("contacts").asInt()).isEqualTo(2);
        assertThat(view.path("due").asInt()).isEqualTo(2);
        ContactRecord stored = node.bean(Campaigns.class).contact("demo", "renewals", "+12125550100").orElseThrow();
        assertThat(stored.contact()).isEqualTo(new Contact("+12125550100", "+12125550100", "America/Chicago",
                "Doe, John", Map.of("contract", "C-3")));
        assertThat(stored.state()).isEqualTo(ContactRecord.State.PENDING);
    }

    @Test
    void aListWithoutItsHeaderIsRefusedNamingTheFile() throws Exception {
        node.api().put(CAMPAIGNS + "winter", TestNode.ADMIN, TestNode.PASSWORD, GOOD);
        HttpResponse<String> response = node.api().post(CAMPAIGNS + "winter/contacts", TestNode.ADMIN,
                TestNode.PASSWORD, "text/csv", "+4930123456,Europe/Berlin\n");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(response.body()).path("errors").path(0).path("field").asText()).isEqualTo("file");
        HttpResponse<String> noCampaign = node.api().post(CAMPAIGNS + "nothing/contacts", TestNode.ADMIN,
                TestNode.PASSWORD, "text/csv", "number,timezone\n");
        assertThat(noCampaign.statusCode()).isEqualTo(404);
    }

    /**
     * The scheduler lists the running campaigns once a tick and dials in slices through that list: a contact must not
     * be claimed for a campaign stopped since, or replaced by one in another mode (a preview campaign dialled as the
     * progressive one of the same name it replaced).
     */
    @Test
    void aContactIsClaimedOnlyWhileItsCampaignRunsInTheModeItWasReadIn() throws Exception {
        String preview = GOOD.replace("progressive", "preview").replace("09:00", "00:00").replace("20:00", "23:59");
        assertThat(node.api().put(CAMPAIGNS + "autumn", TestNode.ADMIN, TestNode.PASSWORD, preview).statusCode())
                .isEqualTo(201);
        upload("autumn", "number,timezone\n+4930555001,UTC\n");
        Attempts attempts = new Attempts(node.bean(Redis.class), node.bean(AcdScripts.class),
                node.bean(OwedWrites.class), "campaigns");
        long now = System.currentTimeMillis();
        assertThat(attempts.claim("demo", "autumn", Campaign.Mode.PREVIEW, 1, now)).as("not started").isEmpty();

        assertThat(node.api().post(CAMPAIGNS + "autumn/start", TestNode.ADMIN, TestNode.PASSWORD, "").statusCode())
                .isEqualTo(200);
        assertThat(attempts.claim("demo", "autumn", Campaign.Mode.PROGRESSIVE, 1, now))
                .as("claimed for the campaign read as progressive, now preview").isEmpty();
        assertThat(attempts.claim("demo", "autumn", Campaign.Mode.PREVIEW, 1, now)).as("running, as read")
                .extracting(claimed -> claimed.record().contact().id()).containsExactly("+4930555001");
    }

    private static JsonNode upload(String campaign, String csv) throws Exception {
        HttpResponse<String> response = node.api().post(CAMPAIGNS + campaign + "/contacts", TestNode.ADMIN,
                TestNode.PASSWORD, "text/csv", csv);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static void assertInvalid(String body, String field) throws Exception {
        HttpResponse<String> response = node.api().put(CAMPAIGNS + "spring", TestNode.ADMIN, TestNode.PASSWORD, body);
        assertThat(response.statusCode()).as(body).isEqualTo(400);
        assertThat(JSON.readTree(response.body()).path("errors").path(0).path("field").asText()).as(response.body())
                .isEqualTo(field);
    }
}
