package io.tandem.bench.node;

import io.tandem.bench.BenchSection;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Authenticated REGISTERs per second: the same SIPp digest scenario and rate ramp against Kamailio 5.6 (in-memory
 * usrloc) and against a Tandem node (bindings in Redis), 20,000 distinct users, on this machine in one run.
 */
public final class RegisterRateSection implements BenchSection {

    private static final int USERS = 20_000;
    // 500-wide steps up to 4,000/s, where a coarser ramp made the registrars tie on the last step both sustained,
    // then 1,000-wide to 8,000/s, about what Kamailio with its HA1s in an htable sustains on 2 cores (issue 21), and
    // one step past it.
    private static final int[] FULL_RATES = {250, 500, 750, 1000, 1500, 2000, 2500, 3000, 3500, 4000, 5000, 6000,
        7000, 8000, 10000};
    private static final int[] QUICK_RATES = {500, 1000, 2000, 4000, 8000};
    /** The rate of the warm-up pass over every user: what a cold node sustains. */
    private static final int WARM_UP_RATE = 500;
    /** Consecutive unsustained steps that end a ramp (one can be a neighbour build's burst). */
    private static final int MISSES = 2;

    private final Path nodeJar;
    private final Path baselineJar;
    private final String baselineLabel;
    private final boolean withKamailio;
    private final boolean withTandem;

    /**
     * @param baselineJar   an older node jar measured the same way after the current one (null: none), to show
     *                      what a change did on the same machine in the same run
     * @param baselineLabel what the baseline is, e.g. a commit
     */
    public RegisterRateSection(Path nodeJar, Path baselineJar, String baselineLabel, boolean withKamailio,
            boolean withTandem) {
        this.nodeJar = nodeJar;
        this.baselineJar = baselineJar;
        this.baselineLabel = baselineLabel;
        this.withKamailio = withKamailio;
        this.withTandem = withTandem;
    }

    @Override
    public String title() {
        return "Authenticated REGISTERs per second (SIPp digest, 20,000 users): Tandem vs Kamailio";
    }

    /** One registrar's ramp and its pass over every user. */
    private record Outcome(String name, String setup, List<SippRegisterLoad.Step> ramp, SippRegisterLoad.Step pass,
            String bindings) {

        double best() {
            return ramp.stream().filter(SippRegisterLoad.Step::sustained)
                    .mapToDouble(SippRegisterLoad.Step::achievedRate).max().orElse(0);
        }

        /** Median CPU ms per registration over the sustained steps (over every step when none was sustained). */
        double cpuMillis() {
            List<SippRegisterLoad.Step> steps = ramp.stream().filter(SippRegisterLoad.Step::sustained).toList();
            double[] values = (steps.isEmpty() ? ramp : steps).stream()
                    .mapToDouble(SippRegisterLoad.Step::cpuMillisPerRegistration).filter(v -> v > 0).sorted()
                    .toArray();
            return values.length == 0 ? 0 : values[values.length / 2];
        }
    }

    @Override
    public String run(boolean quick) throws Exception {
        Path work = Files.createTempDirectory("tandem-bench-node-");
        BenchUsers users = new BenchUsers(USERS);
        SippRegisterLoad load = new SippRegisterLoad(work.resolve("sipp"), users.writeSippInjection(work));
        int[] rates = quick ? QUICK_RATES : FULL_RATES;
        int seconds = quick ? 2 : 5;
        List<Outcome> outcomes = new ArrayList<>();
        if (withKamailio) {
            try (KamailioRegistrar kamailio = KamailioRegistrar.start(work.resolve("kamailio"), users)) {
                outcomes.add(measure(kamailio, load, rates, seconds, null));
            }
        }
        if (withTandem) {
            try (TandemRegistrar tandem = TandemRegistrar.start("Tandem node", work.resolve("tandem"), nodeJar,
                    users)) {
                outcomes.add(measure(tandem, load, rates, seconds, tandem));
            }
        }
        if (baselineJar != null) {
            try (TandemRegistrar baseline = TandemRegistrar.start("Tandem node, baseline " + baselineLabel,
                    work.resolve("baseline"), baselineJar, users)) {
                outcomes.add(measure(baseline, load, rates, seconds, baseline));
            }
        }
        System.out.println("work files in " + work);
        return render(outcomes, quick, withKamailio && withTandem);
    }

    private static Outcome measure(RegistrarUnderTest registrar, SippRegisterLoad load, int[] rates, int seconds,
            TandemRegistrar tandem) throws IOException, InterruptedException {
        String label = registrar.name().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
        // Warm-up (JIT, caches, socket buffers), not reported: gentle first, so a cold JVM is not pushed into
        // overload, then every user once, as the phones of a running site have all registered before they refresh
        // (Kamailio's htable holds every HA1 from its start; a node keeps the HA1s of users it has authenticated).
        // Without the second pass the ramp's first steps measured mostly the JIT compiling (issue 21).
        load.run(label + "-warmup", registrar, 100, 2000);
        awaitIdle(registrar);
        load.run(label + "-warmup-all-users", registrar, WARM_UP_RATE, USERS);
        List<SippRegisterLoad.Step> ramp = new ArrayList<>();
        int misses = 0;
        for (int rate : rates) {
            awaitIdle(registrar);
            SippRegisterLoad.Step step = load.run(label, registrar, rate, (long) rate * seconds);
            ramp.add(step);
            System.out.printf(Locale.ROOT, "%s %d/s: %d ok, %d failed, %.0f/s achieved%n", registrar.name(), rate,
                    step.successful(), step.failed(), step.achievedRate());
            misses = step.sustained() ? 0 : misses + 1;
            if (misses >= MISSES) {
                break;
            }
        }
        double best = ramp.stream().filter(SippRegisterLoad.Step::sustained)
                .mapToDouble(SippRegisterLoad.Step::achievedRate).max().orElse(0);
        // Every one of the 20,000 users once (SIPp reads the file from its start), at the best sustained rate, once
        // the registrar has worked off any backlog the last (overloaded) step left: it answers OPTIONS promptly.
        int passRate = Math.max(200, (int) (best / 100) * 100);
        awaitIdle(registrar);
        SippRegisterLoad.Step pass = load.run(label + "-all-users", registrar, passRate, USERS);
        String bindings = "in memory (usrloc), not counted";
        if (tandem != null) {
            TandemRegistrar.BindingCount count = tandem.bindingsInRedis();
            bindings = String.format(Locale.ROOT, "%,d of %,d users have a live binding in Redis (`regs` index); "
                    + "%,d binding hashes", count.indexed(), USERS, count.keys());
        }
        return new Outcome(registrar.name(), registrar.setup(), ramp, pass, bindings);
    }

    /**
     * Waits (up to a minute) until the registrar answers an OPTIONS within a second: each step starts without the
     * backlog an overloaded step before it may have left, so steps measure one rate each.
     */
    private static void awaitIdle(RegistrarUnderTest registrar) throws IOException {
        for (int i = 0; i < 60 && !SipProbe.answers(registrar.sipPort()); i++) {
            System.out.println(registrar.name() + " still busy");
        }
    }

    private static String render(List<Outcome> outcomes, boolean quick, boolean compare) {
        StringBuilder md = new StringBuilder();
        md.append("SIPp (`sip-tester`) runs `register-digest-uac.xml` (REGISTER, 401, REGISTER with digest, 200) ")
                .append("over UDP with an injection file of 20,000 distinct users, one SIPp process per step of a ")
                .append("fixed-rate ramp (").append(quick ? "2" : "5").append(" s of calls per step, after a ")
                .append("2,000-call warm-up at 100/s and one pass over all 20,000 users at 500/s; each step ")
                .append("starts once the registrar answers an OPTIONS ")
                .append("within a second again). A step is *sustained* when under 0.1 % of its calls failed and the ")
                .append("registrations completed at ≥ 90 % of the offered rate (a registrar that falls behind ")
                .append("builds a backlog). SIPp, the registrar and Redis share this machine's cores with other ")
                .append("builds running at the same time, so absolute figures are low and noisy; both registrars ")
                .append("ran under the same conditions within minutes of each other.\n\n");
        for (Outcome o : outcomes) {
            md.append("### ").append(o.name()).append("\n\n").append(o.setup()).append(".\n\n");
            md.append("| offered /s | calls | ok | failed | retransmissions | wall s | completed /s | sustained "
                    + "| registrar CPU ms / registration |\n");
            md.append("|---:|---:|---:|---:|---:|---:|---:|:---:|---:|\n");
            for (SippRegisterLoad.Step s : o.ramp()) {
                row(md, s);
            }
            md.append("\nAll 20,000 users once at ").append(String.format(Locale.ROOT, "%,d", o.pass().targetRate()))
                    .append("/s: ").append(String.format(Locale.ROOT, "%,d ok, %,d failed, %,.0f/s. ",
                            o.pass().successful(), o.pass().failed(), o.pass().achievedRate()))
                    .append("Bindings: ").append(o.bindings()).append(".\n\n");
        }
        md.append("### Result\n\n| registrar | best sustained REGISTER/s (< 0.1 % failures) "
                + "| CPU ms / registration (median of sustained steps) | registrations per CPU-second |\n"
                + "|---|---:|---:|---:|\n");
        for (Outcome o : outcomes) {
            md.append(String.format(Locale.ROOT, "| %s | %,.0f | %.3f | %,.0f |%n", o.name(), o.best(), o.cpuMillis(),
                    o.cpuMillis() == 0 ? 0 : 1000 / o.cpuMillis()));
        }
        if (compare && outcomes.get(0).best() > 0 && outcomes.get(1).cpuMillis() > 0) {
            Outcome kamailio = outcomes.get(0);
            Outcome tandem = outcomes.get(1);
            double ratio = tandem.best() / kamailio.best();
            double perCpu = kamailio.cpuMillis() / tandem.cpuMillis();
            md.append(String.format(Locale.ROOT, "%nRatio %s / %s: **%.2f** in sustained rate, **%.2f** in "
                    + "registrations per CPU-second. Goal (issue 21): Kamailio's rate with every binding in Redis — "
                    + "%s; at least a third of its registrations per CPU-second — %s.%n", tandem.name(),
                    kamailio.name(), ratio, perCpu, ratio >= 1 ? "met" : "not met",
                    perCpu >= 1.0 / 3 ? "met" : "not met"));
        }
        return md.toString();
    }

    private static void row(StringBuilder md, SippRegisterLoad.Step s) {
        md.append(String.format(Locale.ROOT, "| %,d | %,d | %,d | %,d | %,d | %.1f | %,.0f | %s | %.3f |%n",
                s.targetRate(), s.calls(), s.successful(), s.failed(), s.retransmissions(), s.seconds(),
                s.achievedRate(), s.sustained() ? "yes" : "no", s.cpuMillisPerRegistration()));
    }
}
