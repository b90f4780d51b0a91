package io.tandem.telephony.sip;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The RFC 4475 torture corpus on the test classpath ({@code /sip-torture/}, from ../shared/testdata/sip-torture) and
 * the verdict its README and VERDICTS.md give each file. Public so that tests of a whole node (backend) send the same
 * files and assert the same verdicts as the endpoint tests here.
 */
public final class TortureCorpus {
    private TortureCorpus() {
    }

    /** What happens to a message, from the sender's point of view. */
    public enum Kind {
        /** reaches the features, which answer it (e.g. 200, 405/501 for an unknown method, 401 from the registrar) */
        PROCESSED,
        /** RequestValidator refuses it with {@link Verdict#status} */
        REJECTED,
        /** the parser (ours or JAIN-SIP's) refuses it: the stack answers 400 where it can form a response, else drops */
        MALFORMED,
        /** parsed, but lacks a header the stack needs to even answer: dropped by the stack */
        DROPPED,
        /** a well-formed response: handed to the transaction layer, dropped as it matches no transaction */
        RESPONSE,
        /** an unparseable response: dropped */
        RESPONSE_MALFORMED
    }

    public record Verdict(Kind kind, int status) {
        public static Verdict of(Kind kind) {
            return new Verdict(kind, 0);
        }

        public static Verdict rejected(int status) {
            return new Verdict(Kind.REJECTED, status);
        }
    }

    /** The README's table, file by file. */
    public static final Map<String, Verdict> EXPECTED = new TreeMap<>(Map.ofEntries(
            // RFC 4475 §3.1.1 valid syntax: parse and process normally
            Map.entry("wsinv.dat", Verdict.of(Kind.PROCESSED)),
            Map.entry("intmeth.dat", Verdict.of(Kind.PROCESSED)),
            Map.entry("esc01.dat", Verdict.of(Kind.PROCESSED)),
            Map.entry("escnull.dat", Verdict.of(Kind.PROCESSED)),
            Map.entry("esc02.dat", Verdict.of(Kind.PROCESSED)),
            Map.entry("lwsdisp.dat", Verdict.of(Kind.PROCESSED)),
            Map.entry("longreq.dat", Verdict.of(Kind.PROCESSED)),
            Map.entry("dblreq.dat", Verdict.of(Kind.PROCESSED)),
            Map.entry("semiuri.dat", Verdict.of(Kind.PROCESSED)),
            Map.entry("transports.dat", Verdict.of(Kind.PROCESSED)),
            Map.entry("mpart01.dat", Verdict.of(Kind.PROCESSED)),
            Map.entry("unreason.dat", Verdict.of(Kind.RESPONSE)),
            Map.entry("noreason.dat", Verdict.of(Kind.RESPONSE)),
            // §3.1.2 invalid syntax: 400 (505 for the version) where a response can be formed, else drop
            Map.entry("badinv01.dat", Verdict.of(Kind.MALFORMED)),
            Map.entry("clerr.dat", Verdict.of(Kind.MALFORMED)),
            Map.entry("ncl.dat", Verdict.of(Kind.MALFORMED)),
            Map.entry("scalar02.dat", Verdict.of(Kind.MALFORMED)),
            Map.entry("scalarlg.dat", Verdict.of(Kind.RESPONSE_MALFORMED)),
            Map.entry("quotbal.dat", Verdict.of(Kind.MALFORMED)),
            Map.entry("ltgtruri.dat", Verdict.of(Kind.MALFORMED)),
            Map.entry("lwsruri.dat", Verdict.of(Kind.MALFORMED)),
            Map.entry("lwsstart.dat", Verdict.of(Kind.MALFORMED)),
            Map.entry("trws.dat", Verdict.of(Kind.MALFORMED)),
            Map.entry("regbadct.dat", Verdict.of(Kind.MALFORMED)),
            Map.entry("badaspec.dat", Verdict.of(Kind.MALFORMED)),
            Map.entry("baddn.dat", Verdict.of(Kind.MALFORMED)),
            Map.entry("badvers.dat", Verdict.rejected(505)),
            Map.entry("mismatch01.dat", Verdict.rejected(400)),
            Map.entry("mismatch02.dat", Verdict.rejected(400)),
            Map.entry("bigcode.dat", Verdict.of(Kind.RESPONSE_MALFORMED)),
            Map.entry("multi01.dat", Verdict.of(Kind.MALFORMED)),
            // §3.2 transaction layer: an RFC 3261 branch that is only the magic cookie, handled without a crash
            Map.entry("badbranch.dat", Verdict.of(Kind.PROCESSED)),
            // §3.3 application semantics
            Map.entry("insuf.dat", Verdict.of(Kind.DROPPED)),
            Map.entry("unkscm.dat", Verdict.rejected(416)),
            Map.entry("novelsc.dat", Verdict.rejected(416)),
            Map.entry("unksm2.dat", Verdict.rejected(400)),
            Map.entry("bext01.dat", Verdict.rejected(420)),
            Map.entry("invut.dat", Verdict.rejected(415)),
            Map.entry("regescrt.dat", Verdict.of(Kind.PROCESSED)),
            Map.entry("mcl01.dat", Verdict.of(Kind.MALFORMED)),
            Map.entry("bcast.dat", Verdict.of(Kind.RESPONSE)),
            Map.entry("zeromf.dat", Verdict.of(Kind.PROCESSED)),
            Map.entry("cparam01.dat", Verdict.of(Kind.PROCESSED)),
            Map.entry("cparam02.dat", Verdict.of(Kind.PROCESSED)),
            Map.entry("regaut01.dat", Verdict.of(Kind.PROCESSED)),
            Map.entry("sdp01.dat", Verdict.rejected(406)),
            // §3.4 backward compatibility
            Map.entry("inv2543.dat", Verdict.of(Kind.PROCESSED)),
            // variants kept by another Java SIP server
            Map.entry("badRequestUri.dat", Verdict.of(Kind.MALFORMED)),
            Map.entry("test.dat", Verdict.of(Kind.MALFORMED)),
            Map.entry("wsinv2.dat", Verdict.of(Kind.PROCESSED)),
            Map.entry("wsinv3.dat", Verdict.of(Kind.DROPPED))));

    /** Reads corpus files from the test classpath as bytes (they hold CRLF and raw octets). */
    public static byte[] read(String file) throws IOException {
        try (InputStream in = TortureCorpus.class.getResourceAsStream("/sip-torture/" + file)) {
            if (in == null) {
                throw new IOException("missing test resource sip-torture/" + file);
            }
            return in.readAllBytes();
        }
    }

    public static List<String> listing() throws IOException {
        try (InputStream in = TortureCorpus.class.getResourceAsStream("/sip-torture/README.md")) {
            if (in == null) {
                throw new IOException("missing sip-torture/README.md");
            }
        }
        java.net.URL dir = TortureCorpus.class.getResource("/sip-torture/");
        try (Stream<java.nio.file.Path> files = java.nio.file.Files.list(java.nio.file.Path.of(dir.getPath()))) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".dat")).sorted().toList();
        }
    }

    /**
     * The corpus was captured for UDP: its top Via names UDP, so a stack answering by the Via
     * (RFC 3261 §18.2.2) would send the answer by UDP (or TLS, which we do not listen on). Sent over TCP, the top
     * Via's transport token says TCP, as a real TCP sender's would (§18.1.1); every other byte stays as it is.
     */
    public static byte[] overTcp(byte[] message) {
        String text = new String(message, java.nio.charset.StandardCharsets.ISO_8859_1);
        java.util.regex.Matcher via = java.util.regex.Pattern
                .compile("(?im)^(via|v)[ \\t]*:(?:[^\\r\\n]|\\r\\n[ \\t])*?/(?:[ \\t]|\\r\\n[ \\t])*(UDP|TLS)").matcher(text);
        if (!via.find()) {
            return message;
        }
        String rewritten = text.substring(0, via.start(2)) + "TCP" + text.substring(via.end(2));
        return rewritten.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    }
}
