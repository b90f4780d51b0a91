package io.tandem.backend.queuecall;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tandem.backend.acd.dispatch.OfferGrant;
import io.tandem.backend.node.NodeMetrics;
import io.tandem.backend.node.sip.BranchSender;
import io.tandem.backend.node.sip.OutgoingBranch;
import io.tandem.backend.routing.Route;
import io.tandem.telephony.codec.CodecSpec;
import io.tandem.telephony.media.MediaDirection;
import io.tandem.telephony.sdp.SdpNegotiator;
import io.tandem.telephony.sdp.SessionDescription;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.message.Request;

/** Each agent's branch sends through a recorder of its own. */
/**
 * Agents' phones for a queue offer without a stack: each branch is a real {@link OutgoingBranch} sending through a
 * recorder of its own, so a test sees what was sent to whom and answers for the phone.
 */
final class RecordedLines implements RingingOffer.Lines {
    final Map<String, AgentBranch> branches = new LinkedHashMap<>();
    final Map<String, ClientTransaction> transactions = new HashMap<>();
    final Map<String, List<String>> sent = new HashMap<>();
    final List<String> released = new ArrayList<>();
    private final NodeMetrics metrics = new NodeMetrics(new SimpleMeterRegistry());

    List<String> sent(String agent) {
        return sent.get(agent);
    }

    /** The agent's phone answers its INVITE with {@code status}; what that was for the branch. */
    OutgoingBranch.Step respond(String agent, int status) {
        return branches.get(agent).branch.onResponse(transactions.get(agent), null, status, 1);
    }

    @Override
    public AgentBranch ring(OfferGrant grant, OfferGrant.Reservation reservation, Route.Target target) {
        String agent = reservation.agentId();
        List<String> log = new ArrayList<>();
        sent.put(agent, log);
        BranchSender sender = new BranchSender() {
            @Override
            public Sent invite(Request invite) {
                log.add("INVITE");
                ClientTransaction tx = stub(ClientTransaction.class);
                transactions.put(agent, tx);
                return new Sent(tx, stub(Dialog.class));
            }

            @Override
            public Request ack(Dialog dialog, long cseq) {
                log.add("ACK");
                return stub(Request.class);
            }

            @Override
            public void resendAck(Dialog dialog, Request ack) {
                log.add("ACK again");
            }

            @Override
            public void cancel(ClientTransaction invite) {
                log.add("CANCEL");
            }

            @Override
            public void bye(Dialog dialog) {
                log.add("BYE");
            }
        };
        SdpNegotiator sdp = new SdpNegotiator(List.of(CodecSpec.PCMU, CodecSpec.PCMA), true);
        SessionDescription offer = sdp.createOffer(new InetSocketAddress("127.0.0.1", 30000), MediaDirection.SENDRECV);
        AgentBranch branch = new AgentBranch(null, grant, reservation, target,
                new OutgoingBranch(agent + "-leg", sender, metrics), null, sdp);
        branch.placed = new PlacedSrtp(null, offer); // a plain offer, as AgentBranch.invite sets it
        branch.branch.send(stub(Request.class));
        branches.put(agent, branch);
        return branch;
    }

    @Override
    public void release(AgentBranch branch) {
        released.add(branch.agentId);
    }

    /** An object of a JAIN-SIP interface that is only compared by identity. */
    static <T> T stub(Class<T> type) {
        Object stub = Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) ->
                switch (method.getName()) {
                    case "equals" -> proxy == args[0];
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "toString" -> type.getSimpleName();
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        return type.cast(stub);
    }
}
