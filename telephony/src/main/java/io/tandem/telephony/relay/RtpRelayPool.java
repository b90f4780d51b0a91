package io.tandem.telephony.relay;

import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Several relay engines, one selector thread each, so relaying can use more than one core: one engine's packets per
 * second are bounded by what one core forwards (bench/results/telephony.md measures it). The port range is split
 * evenly between the engines; a new relay goes to the engine carrying the fewest, and to the next one when that
 * engine's share of ports is used up.
 */
public final class RtpRelayPool implements AutoCloseable {

    private final List<RtpRelayEngine> engines;

    /**
     * @param portMin first port (even)
     * @param portMax last port
     * @param threads engines wanted; fewer when the range cannot give each at least 8 ports (two relays)
     */
    public RtpRelayPool(int portMin, int portMax, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("a relay pool needs at least one thread, got " + threads);
        }
        int span = portMax - portMin + 1;
        if (span < 8) {
            throw new IllegalArgumentException("ports " + portMin + "-" + portMax + " are too few for a relay pool"
                    + " (8 at least: two relays of two port pairs)");
        }
        threads = Math.min(threads, span / 8);
        int share = (span / threads) & ~3; // whole relays: four ports each, pairs stay even
        List<RtpRelayEngine> opened = new ArrayList<>(threads);
        for (int i = 0; i < threads; i++) {
            int from = portMin + i * share;
            int to = i == threads - 1 ? portMax : from + share - 1;
            opened.add(new RtpRelayEngine(from, to));
        }
        this.engines = List.copyOf(opened);
    }

    /** As {@link RtpRelayEngine#open}, on the least busy engine that still has ports. */
    public RtpRelay open(InetAddress legABind, InetAddress legBBind) throws IOException {
        List<RtpRelayEngine> byLoad = new ArrayList<>(engines);
        byLoad.sort(Comparator.comparingInt(RtpRelayEngine::relays));
        IOException last = null;
        for (RtpRelayEngine engine : byLoad) {
            try {
                return engine.open(legABind, legBBind);
            } catch (IOException full) {
                last = full;
            }
        }
        throw last;
    }

    /** Relays open now, over every engine. */
    public int relays() {
        int n = 0;
        for (RtpRelayEngine engine : engines) {
            n += engine.relays();
        }
        return n;
    }

    /** Relay threads. */
    public int threads() {
        return engines.size();
    }

    @Override
    public void close() {
        engines.forEach(RtpRelayEngine::close);
    }
}
