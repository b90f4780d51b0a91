package io.tandem.telephony.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A seeded mutator: input {@code i} of a campaign is a function of (seed, i) alone, so a finding is replayed from
 * the two numbers the report prints, and a replacement worker after a hang resumes where the stuck one stopped.
 * Each input is a corpus entry with one to three stacked mutations, each named in {@link Mutation#shape()}.
 */
public final class Mutator {
    /** Values that sit on the edges parsers get wrong: zero, sign, 16/31/32/63-bit limits, overlong digit runs. */
    private static final String[] NUMBER_EDGES = {"0", "-1", "1", "255", "256", "65535", "65536", "2147483647",
            "2147483648", "-2147483648", "4294967296", "9223372036854775807", "99999999999999999999", "", "00000",
            "1e9", "0x10"};
    private static final int[] BYTE_EDGES = {0x00, 0x01, 0x7F, 0x80, 0xFF, 0x20, 0x0D, 0x0A};

    private final long seed;
    private final List<byte[]> corpus;
    private final boolean binary;

    /**
     * @param binary true for RTP/RTCP: header fields are set to edge values instead of editing text lines and
     *               digit runs
     */
    public Mutator(long seed, List<byte[]> corpus, boolean binary) {
        if (corpus.isEmpty()) {
            throw new IllegalArgumentException("a mutator needs at least one seed input");
        }
        this.seed = seed;
        this.corpus = List.copyOf(corpus);
        this.binary = binary;
    }

    /** The mutated input and the mutations that made it, e.g. "wsinv.dat: line-swap, number-edge". */
    public record Mutation(String shape, byte[] bytes) {
    }

    public Mutation mutate(long index) {
        SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + index);
        int from = random.nextInt(corpus.size());
        byte[] bytes = corpus.get(from);
        StringBuilder shape = new StringBuilder("seed ").append(from).append(':');
        int rounds = 1 + random.nextInt(3);
        for (int r = 0; r < rounds; r++) {
            Op op = binary ? BINARY_OPS[random.nextInt(BINARY_OPS.length)] : TEXT_OPS[random.nextInt(TEXT_OPS.length)];
            bytes = apply(op, bytes, random);
            shape.append(' ').append(op.label);
        }
        return new Mutation(shape.toString(), bytes);
    }

    private enum Op {
        BIT_FLIP("bit-flip"), BYTE_INSERT("byte-insert"), BYTE_DELETE("byte-delete"), BYTE_DUPLICATE("byte-duplicate"),
        TRUNCATE("truncate"), SPLICE("splice"), LINE_DUPLICATE("line-duplicate"), LINE_REMOVE("line-remove"),
        LINE_SWAP("line-swap"), NUMBER_EDGE("number-edge"), HEADER_FIELD_EDGE("header-field-edge"),
        LENGTH_FIELD_EDGE("length-field-edge"), PADDING_EDGE("padding-edge");

        final String label;

        Op(String label) {
            this.label = label;
        }
    }

    private static final Op[] TEXT_OPS = {Op.BIT_FLIP, Op.BYTE_INSERT, Op.BYTE_DELETE, Op.BYTE_DUPLICATE, Op.TRUNCATE,
            Op.SPLICE, Op.LINE_DUPLICATE, Op.LINE_REMOVE, Op.LINE_SWAP, Op.NUMBER_EDGE, Op.NUMBER_EDGE};
    private static final Op[] BINARY_OPS = {Op.BIT_FLIP, Op.BYTE_INSERT, Op.BYTE_DELETE, Op.BYTE_DUPLICATE,
            Op.TRUNCATE, Op.SPLICE, Op.HEADER_FIELD_EDGE, Op.HEADER_FIELD_EDGE, Op.LENGTH_FIELD_EDGE, Op.PADDING_EDGE};

    private byte[] apply(Op op, byte[] in, SplittableRandom random) {
        return switch (op) {
            case BIT_FLIP -> bitFlip(in, random);
            case BYTE_INSERT -> insert(in, random.nextInt(in.length + 1),
                    new byte[]{(byte) (random.nextBoolean() ? BYTE_EDGES[random.nextInt(BYTE_EDGES.length)]
                            : random.nextInt(256))});
            case BYTE_DELETE -> in.length == 0 ? in : delete(in, random.nextInt(in.length), 1 + random.nextInt(8));
            case BYTE_DUPLICATE -> duplicate(in, random);
            case TRUNCATE -> Arrays.copyOf(in, in.length == 0 ? 0 : random.nextInt(in.length));
            case SPLICE -> splice(in, corpus.get(random.nextInt(corpus.size())), random);
            case LINE_DUPLICATE, LINE_REMOVE, LINE_SWAP -> lines(op, in, random);
            case NUMBER_EDGE -> numberEdge(in, random);
            case HEADER_FIELD_EDGE -> headerFieldEdge(in, random);
            case LENGTH_FIELD_EDGE -> lengthFieldEdge(in, random);
            case PADDING_EDGE -> paddingEdge(in, random);
        };
    }

    private static byte[] bitFlip(byte[] in, SplittableRandom random) {
        if (in.length == 0) {
            return in;
        }
        byte[] out = in.clone();
        int flips = 1 + random.nextInt(4);
        for (int i = 0; i < flips; i++) {
            int at = random.nextInt(out.length);
            out[at] ^= (byte) (1 << random.nextInt(8));
        }
        return out;
    }

    private static byte[] insert(byte[] in, int at, byte[] what) {
        byte[] out = new byte[in.length + what.length];
        System.arraycopy(in, 0, out, 0, at);
        System.arraycopy(what, 0, out, at, what.length);
        System.arraycopy(in, at, out, at + what.length, in.length - at);
        return out;
    }

    private static byte[] delete(byte[] in, int at, int count) {
        int n = Math.min(count, in.length - at);
        byte[] out = new byte[in.length - n];
        System.arraycopy(in, 0, out, 0, at);
        System.arraycopy(in, at + n, out, at, in.length - at - n);
        return out;
    }

    private static byte[] duplicate(byte[] in, SplittableRandom random) {
        if (in.length == 0) {
            return in;
        }
        int at = random.nextInt(in.length);
        int n = 1 + random.nextInt(Math.min(64, in.length - at));
        return insert(in, at, Arrays.copyOfRange(in, at, at + n));
    }

    /** The head of one input and the tail of another, cut at random points. */
    private static byte[] splice(byte[] in, byte[] other, SplittableRandom random) {
        int head = in.length == 0 ? 0 : random.nextInt(in.length + 1);
        int tail = other.length == 0 ? 0 : random.nextInt(other.length + 1);
        byte[] out = Arrays.copyOf(in, head + other.length - tail);
        System.arraycopy(other, tail, out, head, other.length - tail);
        return out;
    }

    /** Header lines (or SDP lines) duplicated, removed or swapped; the line ends are kept as they were. */
    private static byte[] lines(Op op, byte[] in, SplittableRandom random) {
        List<byte[]> lines = splitLines(in);
        if (lines.isEmpty()) {
            return in;
        }
        int a = random.nextInt(lines.size());
        switch (op) {
            case LINE_DUPLICATE -> lines.add(a, lines.get(a));
            case LINE_REMOVE -> lines.remove(a);
            default -> {
                int b = random.nextInt(lines.size());
                byte[] t = lines.get(a);
                lines.set(a, lines.get(b));
                lines.set(b, t);
            }
        }
        int size = 0;
        for (byte[] l : lines) {
            size += l.length;
        }
        byte[] out = new byte[size];
        int pos = 0;
        for (byte[] l : lines) {
            System.arraycopy(l, 0, out, pos, l.length);
            pos += l.length;
        }
        return out;
    }

    private static List<byte[]> splitLines(byte[] in) {
        List<byte[]> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < in.length; i++) {
            if (in[i] == '\n') {
                lines.add(Arrays.copyOfRange(in, start, i + 1));
                start = i + 1;
            }
        }
        if (start < in.length) {
            lines.add(Arrays.copyOfRange(in, start, in.length));
        }
        return lines;
    }

    /** A run of digits (Content-Length, CSeq, Max-Forwards, a port, a payload type...) replaced by an edge value. */
    private static byte[] numberEdge(byte[] in, SplittableRandom random) {
        List<int[]> runs = new ArrayList<>();
        for (int i = 0; i < in.length; ) {
            if (in[i] >= '0' && in[i] <= '9') {
                int j = i;
                while (j < in.length && in[j] >= '0' && in[j] <= '9') {
                    j++;
                }
                runs.add(new int[]{i, j});
                i = j;
            } else {
                i++;
            }
        }
        if (runs.isEmpty()) {
            return in;
        }
        int[] run = runs.get(random.nextInt(runs.size()));
        byte[] edge = NUMBER_EDGES[random.nextInt(NUMBER_EDGES.length)].getBytes(StandardCharsets.US_ASCII);
        return insert(delete(in, run[0], run[1] - run[0]), run[0], edge);
    }

    /**
     * RTP/RTCP first two octets: version, padding, extension, CSRC count / report count, marker and payload type
     * (RTCP packet type) set to edge values.
     */
    private static byte[] headerFieldEdge(byte[] in, SplittableRandom random) {
        if (in.length < 2) {
            return in;
        }
        byte[] out = in.clone();
        switch (random.nextInt(5)) {
            case 0 -> out[0] = (byte) ((out[0] & 0x3F) | (random.nextInt(4) << 6)); // version 0..3
            case 1 -> out[0] = (byte) ((out[0] & 0xF0) | 0x0F); // 15 CSRCs / 15 report blocks
            case 2 -> out[0] ^= 0x30; // padding and extension bits toggled
            case 3 -> out[1] = (byte) ((out[1] & 0x80) | (random.nextBoolean() ? 72 + random.nextInt(5) : 127));
            default -> out[1] = (byte) (200 + random.nextInt(6)); // an RTCP packet type, or one past BYE/APP
        }
        return out;
    }

    /** A 16-bit length (RTCP length, RTP header extension length, sequence number) set to 0, 1 or 0xFFFF. */
    private static byte[] lengthFieldEdge(byte[] in, SplittableRandom random) {
        if (in.length < 4) {
            return in;
        }
        byte[] out = in.clone();
        // Offset 2: RTCP length / RTP sequence number; 12 + 4 * CSRCs + 2: the RTP extension length.
        int csrcs = out[0] & 0x0F;
        int at = random.nextBoolean() ? 2 : 12 + 4 * csrcs + 2;
        if (random.nextInt(4) == 0) {
            at = random.nextInt(out.length - 1) & ~1;
        }
        if (at + 1 >= out.length) {
            return out;
        }
        int value = switch (random.nextInt(3)) {
            case 0 -> 0;
            case 1 -> 1;
            default -> 0xFFFF;
        };
        out[at] = (byte) (value >>> 8);
        out[at + 1] = (byte) value;
        return out;
    }

    /** The padding bit set and the last octet, the padding count, set to an edge value. */
    private static byte[] paddingEdge(byte[] in, SplittableRandom random) {
        if (in.length == 0) {
            return in;
        }
        byte[] out = in.clone();
        out[0] |= 0x20;
        out[out.length - 1] = (byte) BYTE_EDGES[random.nextInt(BYTE_EDGES.length)];
        return out;
    }
}
