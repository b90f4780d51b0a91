package io.tandem.bench.panel;

import io.tandem.bench.BenchSection;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Event on either node → the wallboard's tile: 50 queues of 10 agents each, the wallboard open with a tile per queue;
 * agents are made available one by one in every queue (then not ready again), so a tile's "available" count rises
 * (falls) by one per change and the count a tile shows names the change it shows. A phase starts only when every
 * tile shows the previous one's end, so a count never stands for an older change.
 */
public final class WallboardLatency implements BenchSection {

    private static final int QUEUES = 50;
    private static final int PER_QUEUE = PanelRig.AGENTS / QUEUES;
    private static final int FIRST_QUEUE = 8000;
    private static final int RATE = 200;

    @Override
    public String title() {
        return "Wallboard: event to tile, 50 queues of 10 agents, 200 events/s";
    }

    @Override
    public String run(boolean quick) throws Exception {
        int phases = quick ? 2 : 8; // each phase: every agent once, 500 changes
        try (PanelRig rig = new PanelRig(WallboardLatency::createQueues)) {
            String tileSelector = "document.querySelectorAll('.tile[data-queue^=\"80\"]')";
            double firstLiveMs = rig.open("/panel/wallboard", "[..." + tileSelector + "].filter((t) =>"
                    + " t.querySelector('[data-field=\"notReady\"]').textContent === '" + PER_QUEUE + "').length >= "
                    + QUEUES);
            double weightKb = rig.pageWeightKb();
            rig.browser.executeScript("""
                    window.counts = [];
                    for (const tile of document.querySelectorAll('.tile[data-queue^="80"]')) {
                      const field = tile.querySelector('[data-field="available"]');
                      new MutationObserver(() => window.counts.push([tile.dataset.queue, Number(field.textContent),
                          Date.now()])).observe(field, { childList: true, characterData: true, subtree: true });
                    }""");
            rig.countLongTasks();
            double loadBefore = PanelRig.loadAverage();
            long browserCpuBefore = rig.browserCpuMillis();
            long nodeCpuBefore = PanelRig.processCpuMillis();

            // queue → per phase, per step: [sent at, node (0 the page's, 1 the other)]
            List<Map<Integer, long[][]>> sent = new ArrayList<>();
            long periodNanos = 1_000_000_000L / RATE;
            Semaphore inFlight = new Semaphore(PanelRig.IN_FLIGHT);
            List<CompletableFuture<HttpResponse<String>>> changes = new ArrayList<>();
            double sendingSeconds = 0;
            long settleMs = 0;
            int settledTimeouts = 0;
            for (int phase = 0; phase < phases; phase++) {
                boolean available = phase % 2 == 0;
                Map<Integer, long[][]> times = new HashMap<>();
                sent.add(times);
                long start = System.nanoTime();
                for (int step = 0; step < PER_QUEUE; step++) {
                    for (int queue = 0; queue < QUEUES; queue++) {
                        int i = step * QUEUES + queue;
                        long sleep = start + i * periodNanos - System.nanoTime();
                        if (sleep > 0) {
                            TimeUnit.NANOSECONDS.sleep(sleep);
                        }
                        int origin = i % 2; // every other change through the node that does not serve the page
                        inFlight.acquire();
                        times.computeIfAbsent(queue, q -> new long[PER_QUEUE][])[step] =
                                new long[] {System.currentTimeMillis(), origin};
                        changes.add(rig.setState(rig.bases.get(origin), agent(queue, step), available)
                                .whenComplete((answer, failure) -> inFlight.release()));
                    }
                }
                sendingSeconds += (System.nanoTime() - start) / 1e9;
                // the phase's end on every tile before the next phase: a slow page is measured, not cut
                String end = available ? Integer.toString(PER_QUEUE) : "0";
                long settling = System.nanoTime();
                long until = settling + TimeUnit.SECONDS.toNanos(60);
                while (((Number) rig.browser.executeScript("return [..." + tileSelector + "].filter((t) =>"
                        + " t.querySelector('[data-field=\"available\"]').textContent !== '" + end + "').length;"))
                        .intValue() > 0) {
                    if (System.nanoTime() > until) {
                        settledTimeouts++;
                        break;
                    }
                    TimeUnit.MILLISECONDS.sleep(100);
                }
                settleMs += (System.nanoTime() - settling) / 1_000_000;
            }
            CompletableFuture.allOf(changes.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
            long refused = changes.stream().filter(c -> c.join().statusCode() != 200).count();
            double loadAfter = PanelRig.loadAverage();
            long browserCpu = rig.browserCpuMillis() - browserCpuBefore;
            long nodeCpu = PanelRig.processCpuMillis() - nodeCpuBefore;
            double longTaskMs = rig.longTaskMs();
            @SuppressWarnings("unchecked")
            List<List<Object>> counts = (List<List<Object>>) rig.browser.executeScript("return window.counts;");

            // Each observed count, in order per queue, is matched to the phase it belongs to by time: a phase's
            // counts are those seen after its first change was sent and before the next phase's first.
            List<Long> latencies = new ArrayList<>();
            List<List<Long>> byOrigin = List.of(new ArrayList<>(), new ArrayList<>());
            int missed = 0;
            for (int phase = 0; phase < phases; phase++) {
                boolean available = phase % 2 == 0;
                for (Map.Entry<Integer, long[][]> queue : sent.get(phase).entrySet()) {
                    String number = Integer.toString(FIRST_QUEUE + queue.getKey());
                    long from = queue.getValue()[0][0];
                    long to = phase + 1 < phases ? sent.get(phase + 1).get(queue.getKey())[0][0] : Long.MAX_VALUE;
                    for (int step = 0; step < PER_QUEUE; step++) {
                        long[] change = queue.getValue()[step];
                        int expected = available ? step + 1 : PER_QUEUE - step - 1;
                        long shownAt = -1;
                        for (List<Object> seen : counts) {
                            long at = ((Number) seen.get(2)).longValue();
                            int count = ((Number) seen.get(1)).intValue();
                            if (number.equals(seen.get(0)) && at >= from && at < to
                                    && (available ? count >= expected : count <= expected)) {
                                shownAt = at;
                                break;
                            }
                        }
                        if (shownAt < 0) {
                            missed++;
                        } else {
                            latencies.add(Math.max(0, shownAt - change[0]));
                            byOrigin.get((int) change[1]).add(Math.max(0, shownAt - change[0]));
                        }
                    }
                }
            }
            latencies.sort(Long::compare);
            byOrigin.forEach(list -> list.sort(Long::compare));
            int total = phases * PanelRig.AGENTS;
            StringBuilder md = new StringBuilder();
            md.append("| figure | value |\n|---|---|\n");
            md.append(String.format("| state changes sent | %d in %.1f s of sending (%.0f/s asked for %d/s), %d refused"
                    + " |%n", total, sendingSeconds, total / sendingSeconds, RATE, refused));
            md.append(String.format("| shown on the tiles | %d (%d never seen; %d phases not settled within a minute) |%n",
                    latencies.size(), missed, settledTimeouts));
            md.append(String.format("| event → tile, p50 | %d ms |%n", PanelRig.percentile(latencies, 0.50)));
            md.append(String.format("| event → tile, p99 | %d ms |%n", PanelRig.percentile(latencies, 0.99)));
            md.append(String.format("| event → tile, max | %d ms |%n",
                    latencies.isEmpty() ? -1 : latencies.get(latencies.size() - 1)));
            md.append(String.format("| … made on the node serving the page / on the other node, p50 | %d / %d ms |%n",
                    PanelRig.percentile(byOrigin.get(0), 0.50), PanelRig.percentile(byOrigin.get(1), 0.50)));
            md.append(String.format("| … made on the node serving the page / on the other node, p99 | %d / %d ms |%n",
                    PanelRig.percentile(byOrigin.get(0), 0.99), PanelRig.percentile(byOrigin.get(1), 0.99)));
            md.append(String.format("| wait for every tile to show a phase's end, per phase | %d ms |%n",
                    settleMs / phases));
            md.append(String.format("| page's main thread busy in long tasks (> 50 ms) | %.0f ms in %.0f s |%n",
                    longTaskMs, sendingSeconds + settleMs / 1000.0));
            md.append(String.format("| CPU time: the browser (all its processes) / this JVM (two nodes and sender) |"
                    + " %.1f s / %.1f s |%n", browserCpu / 1000.0, nodeCpu / 1000.0));
            md.append(String.format("| machine load (1-minute average) before / after the run | %.2f / %.2f |%n",
                    loadBefore, loadAfter));
            md.append(String.format("| wallboard: time to first live data (50 tiles with their counts) | %.0f ms |%n",
                    firstLiveMs));
            md.append(String.format("| wallboard: page weight (document, scripts, styles, first API answers) | %.0f KB"
                    + " |%n", weightKb));
            md.append("\nA tile's agent counts follow the agent.state events (each carries the agent's queues), drawn"
                    + " once per animation frame; the figures that need today's statistics are pushed by the node once"
                    + " a second and are not part of this latency. Every other change was made through the node that"
                    + " does not serve the page. Goal (issue 16): p99 < 1 s.\n");
            return md.toString();
        }
    }

    private static String agent(int queue, int step) {
        return Integer.toString(PanelRig.FIRST + queue * PER_QUEUE + step);
    }

    /** 50 queues, each with its own 10 agents, created over the REST API as an administrator would. */
    private static void createQueues(String base) throws Exception {
        for (int queue = 0; queue < QUEUES; queue++) {
            StringBuilder members = new StringBuilder();
            for (int step = 0; step < PER_QUEUE; step++) {
                members.append(step == 0 ? "" : ",").append("{\"agent\":\"").append(agent(queue, step)).append("\"}");
            }
            String body = String.format("{\"number\":\"%d\",\"name\":\"Line %02d\",\"strategy\":\"longest-idle\","
                    + "\"members\":[%s]}", FIRST_QUEUE + queue, queue + 1, members);
            HttpResponse<String> answer = PanelRig.HTTP.send(PanelRig.request(base + "/api/v1/tenants/demo/queues", "admin@demo")
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body))
                    .build(), HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() / 100 != 2) {
                throw new IllegalStateException("queue " + (FIRST_QUEUE + queue) + " not created: "
                        + answer.statusCode() + " " + answer.body());
            }
        }
    }
}
