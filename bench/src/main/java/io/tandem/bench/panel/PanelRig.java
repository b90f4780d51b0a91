package io.tandem.bench.panel;

import com.sun.management.OperatingSystemMXBean;
import io.tandem.backend.TandemNode;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * What the panel benches stand on: two real nodes on one Redis (the first one's embedded Redis), 500 agents of the
 * demo tenant logged in, and Debian's headless Chromium signed in as the tenant's administrator on the first node.
 * Events are made on either node; the page is served by the first, so half of them reach it through Redis from the
 * other node ("an event on any node").
 */
final class PanelRig implements AutoCloseable {

    static final int AGENTS = 500;
    static final int FIRST = 1001;
    static final String PASSWORD = "bench-panel";
    /** Requests on their way at once, at most: the node's accept queue is no part of what is measured. */
    static final int IN_FLIGHT = 32;

    final ConfigurableApplicationContext panelNode;
    final ConfigurableApplicationContext otherNode;
    /** The base URLs of the two nodes' HTTP ports; the page is served by the first. */
    final List<String> bases;
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
    final Path profile;
    final ChromeDriver browser;
    final WebDriverWait wait;

    /**
     * @param beforeLogin run against the panel node's base URL once the nodes are up, before any agent logs in
     *                    (queues whose membership the agents' sessions must carry)
     */
    PanelRig(ThrowingConsumer beforeLogin) throws Exception {
        int redisPort;
        try (ServerSocket free = new ServerSocket(0)) {
            redisPort = free.getLocalPort();
        }
        panelNode = node("--tandem.node.id=panel-a", "--tandem.redis.embedded-port=" + redisPort);
        otherNode = node("--tandem.node.id=panel-b", "--tandem.redis.uri=redis://127.0.0.1:" + redisPort);
        bases = List.of(base(panelNode), base(otherNode));
        beforeLogin.accept(bases.get(0));
        List<CompletableFuture<HttpResponse<String>>> logins = new ArrayList<>();
        Semaphore loggingIn = new Semaphore(IN_FLIGHT);
        for (int agent = FIRST; agent < FIRST + AGENTS; agent++) {
            loggingIn.acquire();
            logins.add(HTTP.sendAsync(request(bases.get(0) + "/api/v1/agents/login", agent + "@demo")
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString())
                    .whenComplete((answer, failure) -> loggingIn.release()));
        }
        CompletableFuture.allOf(logins.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);

        profile = Files.createTempDirectory("panel-bench-chromium");
        System.setProperty("SE_OFFLINE", "true");
        browser = new ChromeDriver(new ChromeDriverService.Builder()
                .usingDriverExecutable(Path.of("/usr/bin/chromedriver").toFile()).usingAnyFreePort()
                .withEnvironment(Map.of("SE_OFFLINE", "true")).build(),
                new ChromeOptions().setBinary(Path.of("/usr/bin/chromium").toFile()).addArguments("--headless=new",
                        "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1920,1080",
                        "--user-data-dir=" + profile));
        wait = new WebDriverWait(browser, Duration.ofSeconds(60));
        browser.get(bases.get(0) + "/panel/sign-in");
        browser.findElement(By.id("username")).sendKeys("admin@demo");
        browser.findElement(By.id("password")).sendKeys(PASSWORD);
        browser.findElement(By.cssSelector("form button[type=submit]")).click();
        wait.until(d -> d.getCurrentUrl().endsWith("/panel/wallboard"));
    }

    /** A request to the API as {@code login} (basic authentication with the bench's demo password). */
    static HttpRequest.Builder request(String url, String login) {
        String basic = Base64.getEncoder().encodeToString((login + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Basic " + basic);
    }

    /** Sets an agent's state as the administrator through the given node: available, or not ready (lunch). */
    CompletableFuture<HttpResponse<String>> setState(String base, String agent, boolean available) {
        return HTTP.sendAsync(request(base + "/api/v1/tenants/demo/agents/" + agent + "/state", "admin@demo")
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(available ? "{\"state\":\"available\"}"
                        : "{\"state\":\"not-ready\",\"reason\":\"lunch\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Opens a page of the panel and waits until the script says it holds live data. */
    double open(String page, String loaded) {
        long opened = System.nanoTime();
        browser.get(bases.get(0) + page);
        wait.until(d -> Boolean.TRUE.equals(browser.executeScript("return document.body.dataset.live === 'true'"
                + " && (" + loaded + ");")));
        return (System.nanoTime() - opened) / 1e6;
    }

    /** What the open page and its first answers weighed on the wire. */
    double pageWeightKb() {
        Number weight = (Number) browser.executeScript("""
                const nav = performance.getEntriesByType('navigation')[0];
                return performance.getEntriesByType('resource').reduce((sum, e) => sum + e.transferSize,
                    nav ? nav.transferSize : 0);""");
        return weight.doubleValue() / 1024;
    }

    /** Starts counting the page's long tasks (main thread busy > 50 ms) in {@code window.longTaskMs}. */
    void countLongTasks() {
        browser.executeScript("""
                window.longTaskMs = 0;
                new PerformanceObserver((list) => list.getEntries().forEach((e) => { window.longTaskMs += e.duration; }))
                  .observe({ type: 'longtask' });""");
    }

    double longTaskMs() {
        return ((Number) browser.executeScript("return window.longTaskMs;")).doubleValue();
    }

    @Override
    public void close() {
        browser.quit();
        otherNode.close();
        panelNode.close();
    }

    /**
     * CPU time (user + system) of every process started with this bench's Chromium profile: what the page costs,
     * whatever else loads the machine (latency alone is at the mercy of other processes on a shared machine).
     */
    long browserCpuMillis() {
        Map<Long, Long> parent = new HashMap<>();
        Map<Long, Long> ticks = new HashMap<>();
        List<Long> roots = new ArrayList<>();
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path process : processes) {
                try {
                    long pid = Long.parseLong(process.getFileName().toString());
                    String stat = Files.readString(process.resolve("stat"));
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    parent.put(pid, Long.parseLong(fields[1]));
                    ticks.put(pid, Long.parseLong(fields[11]) + Long.parseLong(fields[12])); // utime, stime: proc(5)
                    if (new String(Files.readAllBytes(process.resolve("cmdline")), StandardCharsets.UTF_8)
                            .contains(profile.toString())) {
                        roots.add(pid);
                    }
                } catch (IOException | RuntimeException gone) {
                    // the process ended between the listing and the read: nothing of it is left to count
                }
            }
        } catch (IOException e) {
            return -1;
        }
        long sum = 0;
        for (Map.Entry<Long, Long> process : ticks.entrySet()) {
            // a process of the profile or a descendant of one (renderers, GPU and network services)
            for (Long pid = process.getKey(); pid != null && pid > 1; pid = parent.get(pid)) {
                if (roots.contains(pid)) {
                    sum += process.getValue();
                    break;
                }
            }
        }
        return sum * 10; // USER_HZ is 100 on Linux
    }

    /** CPU time of this JVM: both nodes and the bench's sender. */
    static long processCpuMillis() {
        return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime() / 1_000_000;
    }

    /** The machine's 1-minute load average (other engineers' builds share it), or -1 where /proc has none. */
    static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    static long percentile(List<Long> sorted, double p) {
        if (sorted.isEmpty()) {
            return -1;
        }
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
    }

    private static ConfigurableApplicationContext node(String... extra) {
        List<String> args = new ArrayList<>(List.of("--server.port=0", "--server.address=127.0.0.1",
                "--spring.main.banner-mode=off", "--tandem.demo.enabled=true", "--tandem.demo.password=" + PASSWORD,
                "--tandem.demo.last-extension=" + (FIRST + AGENTS - 1), "--tandem.sip.bind-address=127.0.0.1",
                "--tandem.sip.udp-port=0", "--tandem.acd.presence-grace=1h", "--logging.level.root=WARN"));
        args.addAll(List.of(extra));
        return new SpringApplicationBuilder(TandemNode.class).run(args.toArray(String[]::new));
    }

    private static String base(ConfigurableApplicationContext node) {
        return "http://127.0.0.1:" + ((WebServerApplicationContext) node).getWebServer().getPort();
    }

    /** A step that may throw, run with the panel node's base URL. */
    @FunctionalInterface
    interface ThrowingConsumer {
        void accept(String base) throws Exception;
    }
}
