package io.tandem.telephony.sip;

import gov.nist.javax.sip.SipStackImpl;
import gov.nist.javax.sip.header.RetryAfter;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import gov.nist.javax.sip.stack.MessageChannel;
import gov.nist.javax.sip.stack.SIPMessageValve;
import io.tandem.telephony.sip.transport.TandemMessageProcessorFactory;
import java.io.IOException;
import java.text.ParseException;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import javax.sip.InvalidArgumentException;
import javax.sip.SipStack;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers a new call or registration 503 with Retry-After when the stack is overloaded (RFC 3261 §21.5.4: the
 * client tries another server, RFC 3263 §4.3, or comes back later), instead of letting the RI drop it silently:
 * the RI discards datagrams that waited more than 8 s for a worker and new requests at random once its server
 * transactions pass 80 % of their maximum. See {@link Admission} for what is refused; the answer is stateless
 * (RFC 3261 §8.2: no transaction is spent on what we turn away).
 *
 * <p>The RI instantiates the valve by name ({@code gov.nist.javax.sip.SIP_MESSAGE_VALVE}) inside the stack's
 * constructor and runs it on the worker thread before any transaction lookup; its settings come from the stack's
 * properties, and its counters are kept by stack name for {@link SipEndpoint}.
 */
public final class OverloadValve implements SIPMessageValve {

    private static final Logger log = LoggerFactory.getLogger(OverloadValve.class);
    /** Stack property: datagrams waiting for a worker past which new work is refused. */
    static final String WORK_QUEUE_LIMIT = "io.tandem.sip.WORK_QUEUE_LIMIT";
    /** Stack property: the seconds a refused client is asked to wait (Retry-After). */
    static final String RETRY_AFTER = "io.tandem.sip.OVERLOAD_RETRY_AFTER";
    private static final Map<String, Refusals> REFUSALS = new ConcurrentHashMap<>();

    private SipStackImpl stack;
    private String stackName;
    private Admission admission;
    private int retryAfterSeconds;
    private Refusals refusals;
    private final Admission.Load load = new Admission.Load() {
        @Override
        public int queuedDatagrams() {
            return TandemMessageProcessorFactory.queuedDatagrams(stack);
        }

        @Override
        public int serverTransactions() {
            return stack.getServerTransactionTableSize();
        }
    };
    /** The start and the end of an overload are logged once each. */
    private final OverloadEpisode episode = new OverloadEpisode();

    public OverloadValve() {
        // instantiated reflectively by the RI
    }

    /** New calls and registrations refused for overload, per stack. */
    static final class Refusals {
        final AtomicLong invites = new AtomicLong();
        final AtomicLong registers = new AtomicLong();
    }

    static Refusals refusalsFor(String stackName) {
        return REFUSALS.computeIfAbsent(stackName, n -> new Refusals());
    }

    static void forget(String stackName) {
        REFUSALS.remove(stackName);
    }

    /** The stack properties that switch the valve on. */
    static void configure(Properties properties, int workQueueLimit, int retryAfterSeconds) {
        properties.setProperty("gov.nist.javax.sip.SIP_MESSAGE_VALVE", OverloadValve.class.getName());
        properties.setProperty(WORK_QUEUE_LIMIT, Integer.toString(workQueueLimit));
        properties.setProperty(RETRY_AFTER, Integer.toString(retryAfterSeconds));
    }

    @Override
    public void init(SipStack sipStack) {
        stack = (SipStackImpl) sipStack;
        Properties properties = stack.getConfigurationProperties();
        stackName = properties.getProperty("javax.sip.STACK_NAME");
        int maxServerTransactions = Integer.parseInt(properties.getProperty(
                "gov.nist.javax.sip.MAX_SERVER_TRANSACTIONS", "5000").trim());
        // The RI's low-water mark: from there it drops new server transactions at random.
        admission = new Admission(Integer.parseInt(properties.getProperty(WORK_QUEUE_LIMIT).trim()),
                Math.max(1, maxServerTransactions * 80 / 100));
        retryAfterSeconds = Integer.parseInt(properties.getProperty(RETRY_AFTER).trim());
        refusals = refusalsFor(stackName);
    }

    @Override
    public boolean processRequest(SIPRequest request, MessageChannel channel) {
        String method = request.getMethod();
        boolean hasToTag = request.getTo() != null && request.getTo().getTag() != null;
        if (!Admission.startsNewWork(method, hasToTag)) {
            return true;
        }
        long now = System.nanoTime();
        if (!admission.refuses(method, hasToTag, load)) {
            long refused = episode.admitted(now);
            if (refused >= 0) {
                log.info("SIP stack {} takes new calls and registrations again after refusing {} for overload in {} ms",
                        stackName, refused, episode.lastedMillis());
            }
            return true;
        }
        (Request.INVITE.equals(method) ? refusals.invites : refusals.registers).incrementAndGet();
        if (episode.refused(now)) {
            log.warn("SIP stack {} overloaded ({} datagrams waiting for a worker, limit {}; {} server transactions,"
                    + " limit {}): new calls and registrations get 503 Retry-After {} s", stackName,
                    load.queuedDatagrams(), admission.workQueueLimit(), load.serverTransactions(),
                    admission.serverTransactionLimit(), retryAfterSeconds);
        }
        refuse(request, channel);
        return false;
    }

    private void refuse(SIPRequest request, MessageChannel channel) {
        SIPResponse response = request.createResponse(Response.SERVICE_UNAVAILABLE, "Overloaded");
        try {
            // RFC 3261 §8.2.6.2: a final response carries a To tag.
            response.getTo().setTag(SipMessages.newToken());
            RetryAfter retryAfter = new RetryAfter();
            retryAfter.setRetryAfter(retryAfterSeconds);
            response.setHeader(retryAfter);
            channel.sendMessage(response);
        } catch (IOException | InvalidArgumentException | ParseException e) {
            // The refused request is gone either way; the client retransmits (UDP) or times out.
            log.warn("cannot send 503 to an overload-refused {}: {}", request.getMethod(), e.getMessage());
        }
    }

    @Override
    public boolean processResponse(Response response, MessageChannel channel) {
        return true; // responses always go through: they end transactions that already hold resources
    }

    @Override
    public void destroy() {
        // nothing held: the counters are dropped by SipEndpoint.close()
    }
}
