package io.tandem.bench.node;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Agents log in over the node's REST API (agent i on node i mod n) and go available, as the softphone does. */
final class AgentLogins {

    private static final Pattern TOKEN = Pattern.compile("\"token\"\\s*:\\s*\"([^\"]+)\"");

    private AgentLogins() {
    }

    static void loginAvailable(int[] httpPorts, String tenant, String password, List<String> agents)
            throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> work = new ArrayList<>();
            for (int i = 0; i < agents.size(); i++) {
                String agent = agents.get(i);
                int port = httpPorts[i % httpPorts.length];
                work.add(pool.submit(() -> {
                    one(http, port, tenant, password, agent);
                    return null;
                }));
            }
            for (Future<?> f : work) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static void one(HttpClient http, int port, String tenant, String password, String agent)
            throws IOException, InterruptedException {
        String base = "http://127.0.0.1:" + port;
        String basic = "Basic " + Base64.getEncoder().encodeToString((agent + "@" + tenant + ":" + password)
                .getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> login = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/agents/login"))
                .timeout(Duration.ofSeconds(30)).header("Authorization", basic)
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        Matcher token = TOKEN.matcher(login.body());
        if (login.statusCode() != 200 || !token.find()) {
            throw new IOException("agent " + agent + " login: " + login.statusCode() + " " + login.body());
        }
        HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/agents/me/state"))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + token.group(1))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"state\":\"available\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (ready.statusCode() != 200) {
            throw new IOException("agent " + agent + " available: " + ready.statusCode() + " " + ready.body());
        }
    }
}
