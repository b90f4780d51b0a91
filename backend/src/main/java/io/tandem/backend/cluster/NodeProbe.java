package io.tandem.backend.cluster;

import io.micrometer.core.instrument.Counter;
import io.tandem.backend.node.sip.InboundRequest;
import io.tandem.backend.node.sip.NodeSignalling;
import io.tandem.backend.node.sip.SipFeature;
import io.tandem.backend.node.sip.TrunkSignature;
import io.tandem.telephony.sip.SipMessages;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import javax.sip.ClientTransaction;
import javax.sip.ObjectInUseException;
import javax.sip.ResponseEvent;
import javax.sip.TimeoutEvent;
import javax.sip.address.Address;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's side of the vote ({@link NodeVotes}): every {@code tandem.cluster.voting.probe-interval} it sends
 * OPTIONS (RFC 3261 §11: a capabilities query, no call is set up) to the SIP address in each other live node's
 * heartbeat, the port the inter-node trunk's INVITEs go to, labelled with {@link TrunkSignature#ORIGIN}. Any response
 * proves the node's SIP stack is reached and answers: a vote "reachable"; none within
 * {@code probe-timeout}, {@code misses} times in a row, a vote "unreachable". Each round also decides on this node itself, so a node whose voters
 * have all gone comes back into dialling. Votes go to Redis on the probe's own thread, never on a SIP thread.
 */
final class NodeProbe implements SipFeature {

    private static final Logger log = LoggerFactory.getLogger(NodeProbe.class);

    /** A probe on its way: which node it asks, and the live nodes as the round found them. */
    private record Probed(String node, Set<String> live) {
    }

    private final NodeRegistry registry;
    private final NodeVotes votes;
    private final NodeSignalling signalling;
    private final ScheduledExecutorService executor;
    private final VotingProperties properties;
    private final String self;
    /** Probes awaiting their answer, by client transaction; at most one per other live node. */
    private final Map<ClientTransaction, Probed> pending = new ConcurrentHashMap<>();
    /** The nodes with a probe on its way, so a slow node is not asked again before its answer or deadline. */
    private final Set<String> asking = ConcurrentHashMap.newKeySet();
    /** Probes in a row each node left unanswered; the voting thread only. */
    private final Map<String, Integer> missed = new ConcurrentHashMap<>();
    /** Rounds and votes that failed (Redis away, most likely); each is logged. */
    private final Counter failures;
    private volatile ScheduledFuture<?> task;

    NodeProbe(NodeRegistry registry, NodeVotes votes, NodeSignalling signalling, ScheduledExecutorService executor,
            VotingProperties properties, Counter failures) {
        this.failures = failures;
        this.registry = registry;
        this.votes = votes;
        this.signalling = signalling;
        this.executor = executor;
        this.properties = properties;
        this.self = signalling.nodeId();
    }

    /** Starts probing once the node's SIP endpoint is open and it has joined the cluster. */
    synchronized void start() {
        if (!properties.enabled() || task != null) {
            return;
        }
        long every = properties.probeInterval().toMillis();
        task = executor.scheduleWithFixedDelay(this::roundSafely, every, every, TimeUnit.MILLISECONDS);
        log.info("node '{}' probes the other nodes every {} ms and votes on their reachability", self, every);
    }

    /** Stops probing: the node is leaving the cluster. */
    synchronized void stop() {
        if (task != null) {
            task.cancel(false);
            task = null;
        }
    }

    @Override
    public Set<String> methods() {
        return Set.of();
    }

    @Override
    public void onRequest(InboundRequest request) {
        throw new IllegalStateException("claims no method");
    }

    @Override
    public void onResponse(ResponseEvent event) {
        ClientTransaction tx = event.getClientTransaction();
        if (tx == null || event.getResponse().getStatusCode() < 200) {
            return;
        }
        Probed probed = pending.remove(tx);
        if (probed != null) {
            // any final answer, even an error, proves the node's SIP stack is reached and answers
            handOff(probed, NodeVotes.Vote.REACHABLE);
        }
    }

    @Override
    public void onTimeout(TimeoutEvent event) {
        Probed probed = event.getClientTransaction() == null ? null : pending.remove(event.getClientTransaction());
        if (probed != null) {
            handOff(probed, NodeVotes.Vote.UNREACHABLE);
        }
    }

    /** One round: decide on this node, then probe every other live node not already being asked. */
    void round() {
        List<NodeInfo> alive = registry.aliveNodes();
        Set<String> live = new HashSet<>();
        alive.forEach(node -> live.add(node.id()));
        live.add(self);
        votes.decide(self, live);
        for (NodeInfo node : alive) {
            if (!node.id().equals(self) && node.sip() != null && asking.add(node.id())) {
                send(node, Set.copyOf(live));
            }
        }
    }

    private void roundSafely() {
        try {
            round();
        } catch (RuntimeException e) {
            failures.increment();
            log.warn("node '{}': voting round failed (next in {}): {}", self, properties.probeInterval(),
                    e.toString());
        }
    }

    private void send(NodeInfo node, Set<String> live) {
        Probed probed = new Probed(node.id(), live);
        try {
            SipMessages m = signalling.endpoint().messages();
            URI target = m.addresses().createURI(node.sip());
            Address us = m.addresses().createAddress(m.addresses().createSipURI("tandem", signalling.host()));
            Request options = m.outOfDialog(Request.OPTIONS, target, us, SipMessages.newToken(),
                    m.addresses().createAddress(target), SipMessages.newToken() + "@tandem-vote", 1, "udp", null);
            ViaHeader via = (ViaHeader) options.getHeader(ViaHeader.NAME);
            via.setHost(signalling.host());
            via.setPort(signalling.sipPort());
            options.setHeader(signalling.header(TrunkSignature.ORIGIN, self));
            ClientTransaction tx = signalling.endpoint().provider().getNewClientTransaction(options);
            pending.put(tx, probed);
            executor.schedule(() -> expire(tx), properties.probeTimeout().toMillis(), TimeUnit.MILLISECONDS);
            tx.sendRequest();
        } catch (Exception e) {
            // nothing left: unreachable from here as far as this round can tell (counted by the signalling)
            signalling.failed("options", "to node " + node.id() + " (" + node.sip() + ")", e);
            pending.values().remove(probed);
            asking.remove(node.id());
            vote(probed, NodeVotes.Vote.UNREACHABLE);
        }
    }

    /** The probe's deadline: unanswered by now, the node is unreachable from here. */
    private void expire(ClientTransaction tx) {
        Probed probed = pending.remove(tx);
        if (probed == null) {
            return; // answered in time
        }
        try {
            tx.terminate(); // no use waiting for Timer F: a late answer would find no one to tell
        } catch (ObjectInUseException e) {
            log.debug("probe of node '{}' still in use as it expired", probed.node());
        }
        vote(probed, NodeVotes.Vote.UNREACHABLE);
    }

    /** From a SIP thread: the vote goes to Redis on the probe's thread. */
    private void handOff(Probed probed, NodeVotes.Vote vote) {
        try {
            executor.execute(() -> vote(probed, vote));
        } catch (RejectedExecutionException stopping) {
            asking.remove(probed.node()); // the node is shutting down: no vote to cast
        }
    }

    private void vote(Probed probed, NodeVotes.Vote vote) {
        asking.remove(probed.node());
        if (vote == NodeVotes.Vote.REACHABLE) {
            missed.remove(probed.node());
        } else if (missed.merge(probed.node(), 1, Integer::sum) < properties.misses()) {
            log.info("node '{}': probe of node '{}' unanswered; it votes unreachable after {} in a row", self,
                    probed.node(), properties.misses());
            return;
        }
        try {
            votes.vote(probed.node(), self, vote, probed.live());
        } catch (RuntimeException e) {
            failures.increment();
            log.warn("node '{}': could not vote {} on node '{}': {}", self, vote.wire(), probed.node(),
                    e.toString());
        }
    }
}
