package io.tandem.backend.node;

import static io.tandem.backend.TestNode.ADMIN;
import static io.tandem.backend.TestNode.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.backend.TestNode;
import io.tandem.telephony.testing.RedisServer;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Prometheus endpoint shows every node meter; health is open, metrics need a role. */
class MetricsIT {

    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    @Test
    void prometheusShowsTheNodeMeters() {
        try (TestNode node = TestNode.start("tandem.redis.uri=" + redis.uri(), "tandem.node.id=metrics-it")) {
            NodeMetrics metrics = node.bean(NodeMetrics.class);
            metrics.callStarted();
            metrics.callStarted();
            metrics.callEnded();
            metrics.sipResponse(486);
            metrics.sipResponse(200);
            metrics.sipResponse(999); // not a SIP status: ignored
            metrics.rtpPackets(50, 49, 1);
            metrics.malformedDropped(false);
            metrics.registrationAdded();

            HttpResponse<String> response = node.api().get("/actuator/prometheus", ADMIN, PASSWORD);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).contains(
                    "tandem_registrations{application=\"tandem\",node=\"metrics-it\"} 1.0",
                    "tandem_calls_active{application=\"tandem\",node=\"metrics-it\"} 1.0",
                    "tandem_call_attempts_total{application=\"tandem\",node=\"metrics-it\"} 2.0",
                    "tandem_sip_responses_total{application=\"tandem\",class=\"4xx\",node=\"metrics-it\"} 1.0",
                    "tandem_sip_responses_total{application=\"tandem\",class=\"2xx\",node=\"metrics-it\"} 1.0",
                    "tandem_sip_responses_total{application=\"tandem\",class=\"6xx\",node=\"metrics-it\"} 0.0",
                    "tandem_rtp_packets_total{application=\"tandem\",direction=\"in\",node=\"metrics-it\"} 50.0",
                    "tandem_rtp_packets_total{application=\"tandem\",direction=\"out\",node=\"metrics-it\"} 49.0",
                    "tandem_rtp_packets_lost_total{application=\"tandem\",node=\"metrics-it\"} 1.0",
                    "tandem_sip_malformed_total{application=\"tandem\",node=\"metrics-it\",transport=\"udp\"} 1.0",
                    "tandem_sip_malformed_total{application=\"tandem\",node=\"metrics-it\",transport=\"tcp\"} 0.0");

            assertThat(node.api().get("/actuator/prometheus", null, null).statusCode()).isEqualTo(401);
            assertThat(node.api().get("/actuator/prometheus", "1001", PASSWORD).statusCode()).isEqualTo(403);
            HttpResponse<String> health = node.api().get("/actuator/health", null, null);
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).contains("\"status\":\"UP\"");
            assertThat(node.api().get("/actuator/health/readiness", null, null).statusCode()).isEqualTo(200);
        }
    }
}
