package io.tandem.backend;

import java.util.ArrayList;
import java.util.List;
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

    private TestNode(ConfigurableApplicationContext context) {
        this.context = context;
        this.port = ((WebServerApplicationContext) context).getWebServer().getPort();
        this.api = new Api(port);
    }

    /** A demo node (tenant {@code demo}, admin {@code admin}/{@link #PASSWORD}) with the given extra properties. */
    public static TestNode start(String... properties) {
        List<String> all = new ArrayList<>(List.of(
                "server.port=0",
                "server.address=127.0.0.1",
                "spring.main.banner-mode=off",
                "tandem.demo.enabled=true",
                "tandem.demo.password=" + PASSWORD,
                "tandem.redis.command-timeout=3s",
                "tandem.sip.bind-address=127.0.0.1"));
        all.addAll(List.of(properties));
        ConfigurableApplicationContext context = new SpringApplicationBuilder(TandemNode.class)
                .properties(all.toArray(String[]::new))
                .run();
        return new TestNode(context);
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    public int port() {
        return port;
    }

    public Api api() {
        return api;
    }

    @Override
    public void close() {
        context.close();
    }
}
