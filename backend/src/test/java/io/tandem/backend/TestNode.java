package io.tandem.backend;

import io.tandem.telephony.peers.FreePorts;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** The real node application started in-process on a random HTTP port. */
public final class TestNode implements AutoCloseable {

    public static final String ADMIN = "admin";
    public static final String PASSWORD = "tandem-it";

    private final ConfigurableApplicationContext context;
    private final int port;
    private final Api api;

    /** The RTP ports the test handed this node ({@code tandem.sip.rtp-port-min..max}), given back on close. */
    private final int rtpMin;
    private final int rtpMax;

    private TestNode(ConfigurableApplicationContext context, int rtpMin, int rtpMax) {
        this.context = context;
        this.rtpMin = rtpMin;
        this.rtpMax = rtpMax;
        this.port = ((WebServerApplicationContext) context).getWebServer().getPort();
        this.api = new Api(port);
    }

    /** A demo node (tenant {@code demo}, admin {@code admin}/{@link #PASSWORD}) with the given extra properties. */
    public static TestNode start(String... properties) {
        Map<String, String> all = new LinkedHashMap<>();
        for (String property : List.of(
                "server.port=0",
                "server.address=127.0.0.1",
                "spring.main.banner-mode=off",
                "tandem.demo.enabled=true",
                "tandem.demo.password=" + PASSWORD,
                // Generous: on a loaded CI machine a start-up script may wait seconds; RedisOutageIT sets its own.
                "tandem.redis.command-timeout=10s",
                // Generous TTL: a loaded CI machine may delay a beat; crash expiry is tested in HeartbeatIT.
                "tandem.node.heartbeat-ttl=10s",
                "tandem.sip.bind-address=127.0.0.1",
                // Each node opens its SIP endpoint: an ephemeral port, as other tests run in parallel.
                "tandem.sip.udp-port=0")) {
            put(all, property);
        }
        for (String property : properties) {
            put(all, property); // later values replace the defaults above
        }
        // As command-line arguments, like the launcher passes them: they override application.properties.
        ConfigurableApplicationContext context = new SpringApplicationBuilder(TandemNode.class)
                .run(all.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new));
        return new TestNode(context, Integer.parseInt(all.getOrDefault("tandem.sip.rtp-port-min", "0")),
                Integer.parseInt(all.getOrDefault("tandem.sip.rtp-port-max", "-1")));
    }

    private static void put(Map<String, String> all, String property) {
        int equals = property.indexOf('=');
        all.put(property.substring(0, equals), property.substring(equals + 1));
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    public int port() {
        return port;
    }

    /** The SIP port (UDP and TCP) the node listens on. */
    public int sipPort() {
        return bean(io.tandem.backend.node.NodeAddresses.class).sipPort();
    }

    public Api api() {
        return api;
    }

    @Override
    public void close() {
        context.close();
        if (rtpMax >= rtpMin && rtpMin > 0) {
            FreePorts.release(rtpMin, rtpMax - rtpMin + 1);
        }
    }
}
