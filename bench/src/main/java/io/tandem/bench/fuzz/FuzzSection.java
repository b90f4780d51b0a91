package io.tandem.bench.fuzz;

import io.tandem.bench.BenchSection;
import io.tandem.telephony.fuzz.FuzzCampaign;
import io.tandem.telephony.fuzz.FuzzTarget;
import io.tandem.telephony.fuzz.Seeds;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Each parser (SIP message, SDP, RTP, RTCP) over a million seeded mutations of the torture corpus and captured
 * traffic, every parse under a watchdog; the table counts what the node would do with the inputs and lists every
 * finding with the seed and index that replay it.
 */
public final class FuzzSection implements BenchSection {
    /** A parse this long is a hang on any machine; the loaded bench machine stays far below it. */
    private static final Duration HANG_LIMIT = Duration.ofSeconds(10);

    private final long seed;
    private final long mutations;

    public FuzzSection(long seed, long mutations) {
        this.seed = seed;
        this.mutations = mutations;
    }

    @Override
    public String title() {
        return "Parser fuzzing";
    }

    @Override
    public String run(boolean quick) throws Exception {
        long perParser = quick ? Math.min(mutations, 100_000) : mutations;
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        double loadBefore = os.getSystemLoadAverage();
        List<FuzzCampaign.Result> results = new ArrayList<>();
        for (FuzzTarget target : Seeds.targets()) {
            String name = target.name();
            System.out.println("-- " + name + ": " + perParser + " mutations, seed " + seed);
            FuzzCampaign.Result result = new FuzzCampaign(seed, HANG_LIMIT).run(() -> fresh(name), perParser);
            System.out.println("   " + result.findingCount() + " findings in " + result.elapsed().toSeconds() + " s");
            results.add(result);
        }
        double loadAfter = os.getSystemLoadAverage();

        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "Seed %d, %,d mutations per parser, each parse under a %d s watchdog; "
                        + "load average %.1f before and %.1f after on %d cores (shared with other work, so the "
                        + "rates are low: CPU time is the worker thread's own).%n%n", seed, perParser,
                HANG_LIMIT.toSeconds(), loadBefore, loadAfter, os.getAvailableProcessors()));
        md.append("| parser | seeds | mutations | accepted | rejected (4xx) | dropped (counted) | findings | wall s "
                + "| CPU s | mutations per CPU s |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (FuzzCampaign.Result r : results) {
            double cpu = r.cpu().toNanos() / 1e9;
            md.append(String.format(Locale.ROOT, "| %s | %d | %,d | %,d | %,d | %,d | %d | %.1f | %.1f | %,.0f |%n",
                    r.target(), r.seeds(), r.mutations(), r.accepted(), r.rejected(), r.dropped(), r.findingCount(),
                    r.elapsed().toNanos() / 1e9, cpu, cpu == 0 ? 0 : r.mutations() / cpu));
        }
        md.append('\n');
        md.append("Rejected: SIP requests the parser refuses (the stack answers 400) or RequestValidator refuses "
                + "(the 4xx or 505 built and encoded as SipEndpoint sends it); SDP offers refused with "
                + "SdpException or SdpNegotiationException (488). Dropped: unparseable SIP responses and messages "
                + "without the mandatory headers (counted by CountingMessageParserFactory), RTP with a status "
                + "other than OK and RTCP with RtcpFormatException (counted by the relay and the reporter).\n\n");
        boolean any = false;
        for (FuzzCampaign.Result r : results) {
            for (FuzzCampaign.Finding f : r.findings()) {
                if (!any) {
                    md.append("### Findings\n\n");
                    any = true;
                }
                md.append(String.format(Locale.ROOT, "- **%s**: `%s`, %d times; first at index %d (%s): `%s`%n",
                        r.target(), f.problem(), f.occurrences(), f.index(), f.shape(), excerpt(f.input())));
            }
        }
        if (!any) {
            md.append("No findings: no exception escaped and no parse hung.\n");
        }
        return md.toString();
    }

    private static FuzzTarget fresh(String name) {
        return Seeds.targets().stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow();
    }

    /** The first bytes of an input, escaped to fit one Markdown line. */
    private static String excerpt(byte[] input) {
        String text = new String(input, 0, Math.min(input.length, 160), StandardCharsets.ISO_8859_1);
        StringBuilder sb = new StringBuilder();
        for (char c : text.toCharArray()) {
            if (c == '\r') {
                sb.append("\\r");
            } else if (c == '\n') {
                sb.append("\\n");
            } else if (c < 0x20 || c >= 0x7f || c == '`') {
                sb.append(String.format(Locale.ROOT, "\\x%02x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb + (input.length > 160 ? "..." : "");
    }
}
