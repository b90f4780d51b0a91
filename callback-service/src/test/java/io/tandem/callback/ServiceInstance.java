package io.tandem.callback;

import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** Starts a callback service instance in this JVM, as {@code java -jar tandem-callback.jar} would with arguments. */
public final class ServiceInstance {

    /** The cluster secret of the test cluster. */
    public static final String SECRET = "the-test-cluster-secret-0123";

    private ServiceInstance() {
    }

    /** An instance on a free HTTP port, short timings so the tests need not wait, and {@code more} arguments. */
    public static ConfigurableApplicationContext start(String name, String redisUri, List<String> more) {
        List<String> args = new ArrayList<>(List.of("--server.port=0", "--tandem.callback.name=" + name,
                "--tandem.callback.redis-uri=" + redisUri, "--tandem.callback.cluster-secret=" + SECRET,
                "--tandem.callback.tenants-refresh=200ms", "--tandem.callback.read-block=200ms",
                "--tandem.callback.room-check-interval=300ms", "--tandem.callback.claim-interval=300ms",
                "--spring.main.banner-mode=off"));
        args.addAll(more);
        return new SpringApplicationBuilder(CallbackService.class).run(args.toArray(String[]::new));
    }

    public static int port(ConfigurableApplicationContext context) {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }
}
