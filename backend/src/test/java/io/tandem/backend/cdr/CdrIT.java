package io.tandem.backend.cdr;

import static io.tandem.backend.TestNode.ADMIN;
import static io.tandem.backend.TestNode.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tandem.backend.Api;
import io.tandem.backend.TestNode;
import io.tandem.telephony.testing.RedisServer;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Call records written through the service come back through the API as JSON and RFC 4180 CSV. */
class CdrIT {

    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    private static final ObjectMapper json = new ObjectMapper();
    private static TestNode node;
    private static Api api;
    private static Instant now;

    @BeforeAll
    static void start() {
        node = TestNode.start("tandem.redis.uri=" + redis.uri(), "tandem.node.id=cdr-it");
        api = node.api();
        now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        CallRecords records = node.bean(CallRecords.class);
        records.append(new CallRecord("call-1@n1", "demo", "1001", "1002", List.of("n1", "n2"),
                now.minusSeconds(120), now.minusSeconds(115), now.minusSeconds(60), "normal", "callee"));
        records.append(new CallRecord("call-2@n1", "demo", "\"Smith, John\" <1003>", "1004", List.of("n1"),
                now.minusSeconds(30), null, now.minusSeconds(10), "no-answer", "system"));
        records.append(new CallRecord("other@n1", "acme", "1", "2", List.of("n1"),
                now.minusSeconds(30), null, now.minusSeconds(10), "busy", "system"));
        // Create a supervisor and an agent of the demo tenant.
        assertThat(api.post("/api/v1/tenants/demo/users", ADMIN, PASSWORD, """
                {"extension":"5001","password":"supervise","roles":["supervisor"]}""").statusCode()).isEqualTo(201);
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    @Test
    void recordsRoundTripAsJson() throws Exception {
        HttpResponse<String> response = api.get("/api/v1/tenants/demo/cdr?from=" + now.minusSeconds(3600)
                + "&to=" + now, "5001", "supervise");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode records = json.readTree(response.body());
        assertThat(records).hasSize(2);
        JsonNode first = records.get(0);
        assertThat(first.get("callId").asText()).isEqualTo("call-1@n1");
        assertThat(first.get("nodes").toString()).isEqualTo("[\"n1\",\"n2\"]");
        assertThat(Instant.parse(first.get("answeredAt").asText())).isEqualTo(now.minusSeconds(115));
        assertThat(Instant.parse(first.get("endedAt").asText())).isEqualTo(now.minusSeconds(60));
        assertThat(first.get("endCause").asText()).isEqualTo("normal");
        assertThat(first.get("hungUpBy").asText()).isEqualTo("callee");
        assertThat(records.get(1).get("from").asText()).isEqualTo("\"Smith, John\" <1003>");
        assertThat(records.get(1).has("answeredAt")).isFalse();
    }

    @Test
    void theRangeSelectsByEndTime() throws Exception {
        HttpResponse<String> response = api.get("/api/v1/tenants/demo/cdr?from=" + now.minusSeconds(20)
                + "&to=" + now, "5001", "supervise");
        assertThat(json.readTree(response.body()).findValuesAsText("callId")).containsExactly("call-2@n1");
        HttpResponse<String> none = api.get("/api/v1/tenants/demo/cdr?from=" + now.minusSeconds(7200)
                + "&to=" + now.minusSeconds(3600), "5001", "supervise");
        assertThat(json.readTree(none.body())).isEmpty();
        // Without a range: the last 24 hours.
        assertThat(json.readTree(api.get("/api/v1/tenants/demo/cdr", ADMIN, PASSWORD).body())).hasSize(2);
    }

    @Test
    void csvExportQuotesAsRfc4180Says() {
        HttpResponse<String> response = api.get("/api/v1/tenants/demo/cdr.csv?from=" + now.minusSeconds(3600)
                + "&to=" + now, "5001", "supervise");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
        assertThat(response.body()).isEqualTo(
                "call_id,from,to,nodes,started_at,answered_at,ended_at,end_cause,hung_up_by,queue,agent\r\n"
                + "call-1@n1,1001,1002,n1 n2," + now.minusSeconds(120) + "," + now.minusSeconds(115) + ","
                + now.minusSeconds(60) + ",normal,callee,,\r\n"
                + "call-2@n1,\"\"\"Smith, John\"\" <1003>\",1004,n1," + now.minusSeconds(30) + ",,"
                + now.minusSeconds(10) + ",no-answer,system,,\r\n");
        HttpResponse<String> smith = api.get("/api/v1/tenants/demo/cdr.csv?from=" + now.minusSeconds(3600)
                + "&to=" + now + "&caller=smith", "5001", "supervise");
        assertThat(smith.body().lines().skip(1)).as("the caller filter, case-insensitive").singleElement()
                .asString().startsWith("call-2@n1,");
    }

    @Test
    void invalidTimesGet400NamingTheParameter() throws Exception {
        HttpResponse<String> garbage = api.get("/api/v1/tenants/demo/cdr?from=yesterday", "5001", "supervise");
        assertThat(garbage.statusCode()).isEqualTo(400);
        assertThat(garbage.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(json.readTree(garbage.body()).get("errors").findValuesAsText("field")).containsExactly("from");

        HttpResponse<String> inverted = api.get("/api/v1/tenants/demo/cdr.csv?from=" + now + "&to="
                + now.minusSeconds(60), "5001", "supervise");
        assertThat(inverted.statusCode()).isEqualTo(400);
        assertThat(json.readTree(inverted.body()).get("detail").asText()).contains("'from'");

        HttpResponse<String> tooWide = api.get("/api/v1/tenants/demo/cdr?from=2000-01-01T00:00:00Z&to=" + now,
                "5001", "supervise");
        assertThat(tooWide.statusCode()).isEqualTo(400);
    }

    @Test
    void longRangesArePagedThroughTheStream() {
        CallRecords records = node.bean(CallRecords.class);
        Instant end = Instant.now();
        for (int i = 0; i < 1_234; i++) {
            records.append(new CallRecord("bulk-" + i, "bulk", "1001", "1002", List.of("n1"),
                    end.minusSeconds(5), null, end, "normal", "caller"));
        }
        List<CallRecord> found = records.ended("bulk", end.minusSeconds(60), end.plusSeconds(60));
        assertThat(found).hasSize(1_234);
        assertThat(found.get(0).callId()).isEqualTo("bulk-0");
        assertThat(found.get(1_233).callId()).isEqualTo("bulk-1233");
    }

    @Test
    void agentsAndOtherTenantsMayNotRead() {
        assertThat(api.get("/api/v1/tenants/demo/cdr", "1001", PASSWORD).statusCode()).isEqualTo(403);
        assertThat(api.get("/api/v1/tenants/acme/cdr", "5001", "supervise").statusCode()).isEqualTo(403);
        assertThat(api.get("/api/v1/tenants/demo/cdr.csv", null, null).statusCode()).isEqualTo(401);
    }
}
