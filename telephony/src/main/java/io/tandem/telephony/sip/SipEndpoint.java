package io.tandem.telephony.sip;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import gov.nist.javax.sip.DialogTimeoutEvent;
import gov.nist.javax.sip.SipListenerExt;
import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.stack.SIPDialog;
import gov.nist.javax.sip.stack.SIPServerTransaction;
import gov.nist.javax.sip.stack.SIPTransactionStack;
import io.tandem.telephony.sip.transport.FlowRouter;
import io.tandem.telephony.sip.transport.TandemMessageProcessorFactory;
import javax.sip.Dialog;
import javax.sip.DialogState;
import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.ListeningPoint;
import javax.sip.ObjectInUseException;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipFactory;
import javax.sip.SipListener;
import javax.sip.SipProvider;
import javax.sip.SipStack;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionAlreadyExistsException;
import javax.sip.TransactionTerminatedEvent;
import javax.sip.address.AddressFactory;
import javax.sip.header.HeaderFactory;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import javax.sip.header.CSeqHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.ToHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Response;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One SIP endpoint: a JAIN-SIP RI stack with one provider listening on UDP and TCP on the same
 * address and port. Every request the stack delivers is first screened by
 * {@link RequestValidator}; a rejected request is answered with the validator's status and
 * reason and never reaches the {@link SipHandler}. Messages the stack cannot parse are dropped
 * by the RI and counted in {@link #droppedMalformed()}; nothing a peer sends stops the endpoint.
 *
 * <p>Several endpoints may live in one JVM; each stack gets a unique name.
 */
public final class SipEndpoint implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SipEndpoint.class);
    private static final AtomicInteger STACK_IDS = new AtomicInteger();
    private static final int BIND_ATTEMPTS = 20;
    /** Serialises stack creation so each endpoint can tell which RI event thread is its own. */
    private static final Object STACK_CREATION = new Object();

    private final SipStack stack;
    private final SipProvider provider;
    private final String stackName;
    private final InetAddress address;
    private final int port;
    private final int tlsPort;
    private final HeaderFactory headerFactory;
    private final AddressFactory addressFactory;
    private final MessageFactory messageFactory;
    private final SipMessages messages;
    private final AtomicLong droppedMalformed;
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong handlerFailures = new AtomicLong();
    private final OverloadValve.Refusals overloadRefusals;
    /**
     * Option tags a {@code Require} may name (RFC 3261 §8.2.2.3): RFC 4028 session timers and RFC 3891 Replaces, which
     * the node's B2BUA and our user agent implement; any other gets 420.
     */
    private final RequestValidator validator = new RequestValidator(Set.of("timer", "replaces"), false);
    private volatile SipHandler handler;
    private FlowRouter flows;
    private SipListener dispatcher;
    private List<Thread> eventScanners = List.of();

    private SipEndpoint(SipStack stack, SipProvider provider, String stackName, InetAddress address, int port,
                        int tlsPort, SipFactory factory, String userAgent) throws javax.sip.PeerUnavailableException {
        this.stack = stack;
        this.provider = provider;
        this.stackName = stackName;
        this.address = address;
        this.port = port;
        this.tlsPort = tlsPort;
        this.headerFactory = factory.createHeaderFactory();
        this.addressFactory = factory.createAddressFactory();
        this.messageFactory = factory.createMessageFactory();
        this.messages = new SipMessages(headerFactory, addressFactory, messageFactory, address, port, userAgent);
        this.messages.tlsPort(tlsPort);
        this.droppedMalformed = CountingMessageParserFactory.counterFor(stackName);
        this.overloadRefusals = OverloadValve.refusalsFor(stackName);
    }

    /**
     * Starts an endpoint on {@code address}:{@code port} (UDP and TCP; port 0 picks a free port
     * number usable by both).
     *
     * @param userAgent value of the User-Agent / Server headers this endpoint puts in messages
     * @param handler   receives every request that passed validation, and every response
     */
    public static SipEndpoint open(InetAddress address, int port, String userAgent, SipHandler handler)
            throws IOException {
        return open(address, port, userAgent, handler, StackLimits.USER_AGENT);
    }

    /**
     * How much the RI may hold and run at once, and when a server turns new work away.
     *
     * @param threads               threads that parse and handle received messages; a handler that waits on a
     *                              database (a node's registrar and B2BUA wait on Redis) needs more than the cores
     * @param maxServerTransactions server transactions held before the RI drops new requests: over UDP a completed
     *                              non-INVITE transaction lives 32 s (Timer J, RFC 3261 §17.2.2), so a registrar
     *                              answering 2,000 REGISTERs/s holds 64,000 of them
     * @param workQueueLimit        received datagrams waiting for a worker thread past which a new INVITE or a
     *                              REGISTER is answered 503 ({@link OverloadValve}); {@link #NO_OVERLOAD_REFUSAL}
     *                              refuses nothing (a user agent)
     * @param retryAfterSeconds     the Retry-After of that 503 (RFC 3261 §20.33)
     */
    public record StackLimits(int threads, int maxServerTransactions, int workQueueLimit, int retryAfterSeconds) {
        /** A work-queue limit that turns overload refusal off. */
        public static final int NO_OVERLOAD_REFUSAL = -1;
        /** Enough for a user agent. */
        public static final StackLimits USER_AGENT = new StackLimits(4, 10_000);

        public StackLimits {
            if (threads < 1 || maxServerTransactions < 1) {
                throw new IllegalArgumentException("threads and maxServerTransactions must be positive");
            }
            if (workQueueLimit < NO_OVERLOAD_REFUSAL || retryAfterSeconds < 0) {
                throw new IllegalArgumentException("workQueueLimit must be >= 0 (or NO_OVERLOAD_REFUSAL) and "
                        + "retryAfterSeconds >= 0");
            }
        }

        /** Limits that never refuse for overload. */
        public StackLimits(int threads, int maxServerTransactions) {
            this(threads, maxServerTransactions, NO_OVERLOAD_REFUSAL, 0);
        }

        boolean refusesOverload() {
            return workQueueLimit != NO_OVERLOAD_REFUSAL;
        }
    }

    /** As {@link #open(InetAddress, int, String, SipHandler)}, with a server's limits. */
    public static SipEndpoint open(InetAddress address, int port, String userAgent, SipHandler handler,
            StackLimits limits) throws IOException {
        return open(address, port, userAgent, handler, limits, null);
    }

    /**
     * As {@link #open(InetAddress, int, String, SipHandler, StackLimits)}, with a TLS listening point as well when
     * {@code tls} is not null (RFC 3261 §26.2.1: SIP over TLS on its own port, 5061 by default).
     */
    public static SipEndpoint open(InetAddress address, int port, String userAgent, SipHandler handler,
            StackLimits limits, TlsSettings tls) throws IOException {
        String stackName = "tandem-sip-" + STACK_IDS.incrementAndGet();
        SipFactory factory = SipFactory.getInstance();
        factory.setPathName("gov.nist");
        SipStack stack;
        List<Thread> scanners;
        synchronized (STACK_CREATION) {
            Set<Thread> before = eventScannerThreads();
            try {
                Properties properties = stackProperties(stackName, limits);
                if (tls != null) {
                    tls.apply(properties);
                }
                stack = factory.createSipStack(properties);
            } catch (javax.sip.PeerUnavailableException e) {
                throw new IOException("cannot create SIP stack: " + e.getMessage(), e);
            }
            Set<Thread> created = eventScannerThreads();
            created.removeAll(before);
            scanners = List.copyOf(created);
        }
        IOException last = null;
        for (int attempt = 0; attempt < (port == 0 ? BIND_ATTEMPTS : 1); attempt++) {
            int candidate = port == 0 ? freeUdpPort(address) : port;
            ListeningPoint udp = null;
            ListeningPoint tcp = null;
            ListeningPoint tlsPoint = null;
            String listening = "UDP/TCP on " + address.getHostAddress() + ":" + candidate;
            try {
                udp = stack.createListeningPoint(address.getHostAddress(), candidate, ListeningPoint.UDP);
                tcp = stack.createListeningPoint(address.getHostAddress(), candidate, ListeningPoint.TCP);
                SipProvider provider = stack.createSipProvider(udp);
                provider.addListeningPoint(tcp);
                int tlsPort = 0;
                if (tls != null) {
                    tlsPort = tls.port() == 0 ? freeTcpPort(address) : tls.port();
                    listening = "TLS on " + address.getHostAddress() + ":" + tlsPort;
                    tlsPoint = stack.createListeningPoint(address.getHostAddress(), tlsPort, ListeningPoint.TLS);
                    provider.addListeningPoint(tlsPoint);
                }
                SipEndpoint endpoint = new SipEndpoint(stack, provider, stackName, address, candidate, tlsPort,
                        factory, userAgent);
                endpoint.handler = handler;
                endpoint.flows = (FlowRouter) stack.getRouter();
                endpoint.eventScanners = scanners;
                endpoint.dispatcher = endpoint.new Dispatcher();
                provider.addSipListener(endpoint.dispatcher);
                stack.start();
                LOG.info("SIP endpoint {} listening on {}:{} (UDP+TCP){}", stackName, address.getHostAddress(),
                        candidate, tls == null ? "" : ", TLS on " + tlsPort);
                return endpoint;
            } catch (Exception e) {
                last = new IOException("cannot listen for " + listening + ": " + e.getMessage(), e);
                deleteQuietly(stack, tlsPoint);
                deleteQuietly(stack, tcp);
                deleteQuietly(stack, udp);
            }
        }
        stack.stop();
        scanners.forEach(Thread::interrupt);
        CountingMessageParserFactory.forget(stackName);
        OverloadValve.forget(stackName);
        throw last;
    }

    static Properties stackProperties(String stackName, StackLimits limits) {
        Properties p = new Properties();
        p.setProperty("javax.sip.STACK_NAME", stackName);
        // Dialogs are created explicitly by the user agent (RFC 3261 §12), not for every request.
        p.setProperty("javax.sip.AUTOMATIC_DIALOG_SUPPORT", "off");
        p.setProperty("gov.nist.javax.sip.STACK_LOGGER", Slf4jStackLogger.class.getName());
        p.setProperty("gov.nist.javax.sip.SERVER_LOGGER", Slf4jServerLogger.class.getName());
        p.setProperty("gov.nist.javax.sip.TRACE_LEVEL", "32");
        p.setProperty("gov.nist.javax.sip.LOG_MESSAGE_CONTENT", "false");
        p.setProperty("gov.nist.javax.sip.MESSAGE_PARSER_FACTORY", CountingMessageParserFactory.class.getName());
        p.setProperty("gov.nist.javax.sip.THREAD_POOL_SIZE", Integer.toString(limits.threads()));
        // UDP datagrams read into one kept buffer, not a fresh 64 kB array per packet (the RI's way).
        p.setProperty("gov.nist.javax.sip.MESSAGE_PROCESSOR_FACTORY",
                TandemMessageProcessorFactory.class.getName());
        // In-dialog requests to a TCP/TLS peer go over the connection it opened (RFC 5923), see FlowRouter.
        p.setProperty("javax.sip.ROUTER_PATH", FlowRouter.class.getName());
        p.setProperty("javax.sip.USE_ROUTER_FOR_ALL_URIS", "true");
        p.setProperty("gov.nist.javax.sip.REENTRANT_LISTENER", "true");
        // A body larger than this is refused by the RI before it allocates for it.
        p.setProperty("gov.nist.javax.sip.MAX_MESSAGE_SIZE", "65536");
        p.setProperty("gov.nist.javax.sip.CACHE_CLIENT_CONNECTIONS", "true");
        p.setProperty("gov.nist.javax.sip.CACHE_SERVER_CONNECTIONS", "true");
        p.setProperty("gov.nist.javax.sip.MAX_CONNECTIONS", "512");
        p.setProperty("gov.nist.javax.sip.MAX_SERVER_TRANSACTIONS", Integer.toString(limits.maxServerTransactions()));
        // Not a ceiling on the node's outgoing INVITEs and BYEs: the RI (1.3.0-91, SIPTransactionStack
        // .addTransactionHash) only waits for room when its count of client transactions not yet completed passes
        // this, and with the property set it never increments that count (only completions decrement it), so it
        // neither refuses nor blocks; completed ones leave the table after Timer D/K as they would anyway.
        p.setProperty("gov.nist.javax.sip.MAX_CLIENT_TRANSACTIONS", "10000");
        p.setProperty("gov.nist.javax.sip.DELIVER_UNSOLICITED_NOTIFY", "true");
        p.setProperty("gov.nist.javax.sip.AGGRESSIVE_CLEANUP", "true");
        // The RI's default ("Normal") encodes each ended transaction's request to bytes and parses it again when
        // the transaction is removed: a fifth of a registrar's CPU under load (JFR). Keeping the parsed request
        // until removal costs a little memory instead.
        p.setProperty("gov.nist.javax.sip.RELEASE_REFERENCES_STRATEGY", "None");
        p.setProperty("gov.nist.javax.sip.RELIABLE_CONNECTION_KEEP_ALIVE_TIMEOUT", "-1");
        if (limits.refusesOverload()) {
            OverloadValve.configure(p, limits.workQueueLimit(), limits.retryAfterSeconds());
        }
        return p;
    }

    /**
     * The RI's EventScannerThread is not a daemon and its forceStop() leaves it parked on an
     * empty queue forever; we find the one each stack starts so close() can interrupt it.
     */
    private static Set<Thread> eventScannerThreads() {
        Set<Thread> threads = new HashSet<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if ("EventScannerThread".equals(t.getName())) {
                threads.add(t);
            }
        }
        return threads;
    }

    private static int freeUdpPort(InetAddress address) throws IOException {
        try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(address, 0))) {
            return probe.getLocalPort();
        }
    }

    private static int freeTcpPort(InetAddress address) throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, address)) {
            return probe.getLocalPort();
        }
    }

    private static void deleteQuietly(SipStack stack, ListeningPoint lp) {
        if (lp == null) {
            return;
        }
        try {
            stack.deleteListeningPoint(lp);
        } catch (ObjectInUseException | RuntimeException e) {
            LOG.debug("cannot delete listening point {}", lp, e);
        }
    }

    /** Replaces the handler (e.g. once the user agent that owns this endpoint is built). */
    public void setHandler(SipHandler handler) {
        this.handler = handler;
    }

    public InetAddress address() {
        return address;
    }

    public int port() {
        return port;
    }

    /** The TLS listening port, 0 when this endpoint has none. */
    public int tlsPort() {
        return tlsPort;
    }

    public String stackName() {
        return stackName;
    }

    public SipProvider provider() {
        return provider;
    }

    public SipMessages messages() {
        return messages;
    }

    public HeaderFactory headerFactory() {
        return headerFactory;
    }

    public AddressFactory addressFactory() {
        return addressFactory;
    }

    public MessageFactory messageFactory() {
        return messageFactory;
    }

    /** Messages the stack dropped because they did not parse or lacked mandatory headers. */
    public long droppedMalformed() {
        return droppedMalformed.get();
    }

    /** Requests answered with an error by {@link RequestValidator}. */
    public long rejected() {
        return rejected.get();
    }

    /** New INVITEs answered 503 because the stack was overloaded ({@link StackLimits#workQueueLimit()}). */
    public long overloadRefusedInvites() {
        return overloadRefusals.invites.get();
    }

    /** REGISTERs answered 503 because the stack was overloaded. */
    public long overloadRefusedRegisters() {
        return overloadRefusals.registers.get();
    }

    /** Exceptions thrown by the handler (each is a bug in our code; the endpoint keeps running). */
    public long handlerFailures() {
        return handlerFailures.get();
    }

    /**
     * The server transaction for a request event: the one the stack made, or a new one.
     * Returns empty for a retransmission whose transaction already exists (RFC 3261 §17.2.1:
     * the stack absorbs it) and for requests that cannot have one (ACK).
     */
    public Optional<ServerTransaction> serverTransaction(RequestEvent event) {
        if (event.getServerTransaction() != null) {
            return Optional.of(event.getServerTransaction());
        }
        if (Request.ACK.equals(event.getRequest().getMethod())) {
            return Optional.empty();
        }
        try {
            return Optional.of(provider.getNewServerTransaction(event.getRequest()));
        } catch (TransactionAlreadyExistsException e) {
            return Optional.empty();
        } catch (Exception e) {
            LOG.debug("no server transaction for {}: {}", event.getRequest().getMethod(), e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * Answers a request: through its server transaction when it has one, statelessly otherwise.
     * Failures to send are logged, never thrown: the peer may already be gone.
     */
    public void respond(RequestEvent event, Response response) {
        try {
            ServerTransaction tx = event.getServerTransaction();
            if (tx == null && !Request.ACK.equals(event.getRequest().getMethod())) {
                try {
                    tx = provider.getNewServerTransaction(event.getRequest());
                } catch (TransactionAlreadyExistsException retransmission) {
                    // A retransmission handled while the first copy is being answered: its transaction answers
                    // both (RFC 3261 §17.2.3); a stateless answer here would be a second, different response.
                    LOG.debug("{} already has a transaction; not answered twice", event.getRequest().getMethod());
                    return;
                } catch (Exception e) {
                    LOG.debug("no server transaction for {}: {}", event.getRequest().getMethod(), e.getMessage());
                }
            }
            if (tx != null) {
                tx.sendResponse(response);
            } else {
                provider.sendResponse(response);
            }
        } catch (Exception e) {
            LOG.debug("cannot send {} {}: {}", response.getStatusCode(), response.getReasonPhrase(), e.getMessage());
        }
    }

    /**
     * Answers statelessly through the provider (RFC 3261 §8.2.7, §18.2.2: to the top Via's received/rport): no server
     * transaction is made or kept. False when it could not be sent (logged at debug: the caller counts it).
     */
    public boolean respondStateless(Response response) {
        try {
            provider.sendResponse(response);
            return true;
        } catch (Exception e) {
            LOG.debug("cannot send {} statelessly: {}", response.getStatusCode(), e.getMessage());
            return false;
        }
    }

    /**
     * As {@link #respondStateless(Response)}, sending {@code encoded} (the response's own encoding, kept by the caller
     * to repeat to retransmissions) instead of encoding it a second time: over UDP it leaves from the listening socket
     * to the top Via's received/rport (else its sent-by), where the RI would send it (RFC 3261 §18.2.2, RFC 3581 §4).
     */
    public boolean respondStateless(Response response, String encoded) {
        ViaHeader via = (ViaHeader) response.getHeader(ViaHeader.NAME);
        if (via == null || !"udp".equalsIgnoreCase(via.getTransport())) {
            return respondStateless(response);
        }
        String host = via.getReceived() != null ? via.getReceived() : via.getHost();
        int port = via.getRPort() > 0 ? via.getRPort() : via.getPort() > 0 ? via.getPort() : 5060;
        try {
            // A literal address (what received holds, and the sent-by of nearly every phone) is not looked up.
            if (TandemMessageProcessorFactory.sendDatagram((SIPTransactionStack) stack,
                    encoded.getBytes(StandardCharsets.UTF_8), InetAddress.getByName(host), port)) {
                Slf4jServerLogger.sent(encoded, address.getHostAddress() + ":" + this.port, host + ":" + port);
                return true;
            }
        } catch (IOException e) {
            LOG.debug("cannot send {} statelessly to {}:{}: {}", response.getStatusCode(), host, port,
                    e.getMessage());
            return false;
        }
        return respondStateless(response);
    }

    /**
     * Lets the stack forget the transaction it made, unmapped, for a request the application answers statelessly. The
     * RI holds such a transaction as "pending" until the listener returns, and drops a retransmission of the request
     * that arrives meanwhile without telling the listener: a phone whose retransmission crossed the answer's way out
     * while the handler was still finishing (notifying others of a registration, say) would get no answer to it.
     * Once forgotten, the retransmission reaches the listener, which repeats the answer it kept.
     */
    public void forgetPending(Request answered) {
        if (answered instanceof SIPRequest request) {
            SIPTransactionStack transactions = (SIPTransactionStack) stack;
            SIPServerTransaction pending = transactions.findPendingTransaction(request.getTransactionId());
            if (pending != null) {
                transactions.removePendingTransaction(pending);
            }
        }
    }

    /**
     * Lets the stack forget a non-INVITE server transaction over UDP that has sent its final answer, instead of holding
     * it for Timer J (64×T1 = 32 s, RFC 3261 §17.2.2) only to repeat that answer to retransmissions: the caller has
     * kept the answer and repeats it itself. The transaction's dialog goes first when the answer ended it (a BYE's
     * 2xx, RFC 3261 §15.1.2): the stack would otherwise take a retransmission for an out-of-sequence request of that
     * dialog (its CSeq is not above the one seen) and drop it unanswered before the caller sees it.
     *
     * @return false, and nothing released, for an INVITE, a reliable transport, a transaction without a final answer
     *         or one whose dialog lives on
     */
    public boolean releaseAnswered(ServerTransaction st) {
        if (!(st instanceof SIPServerTransaction tx) || tx.isInviteTransaction() || tx.isReliable()
                || tx.getLastResponseStatusCode() < Response.OK) {
            return false;
        }
        Dialog dialog = tx.getDialog();
        if (dialog != null && dialog.getState() != DialogState.TERMINATED) {
            return false;
        }
        SIPTransactionStack transactions = (SIPTransactionStack) stack;
        if (dialog instanceof SIPDialog ended) {
            transactions.removeDialog(ended);
        }
        transactions.removeTransaction(tx);
        // Out of the table, the transaction still lives until Timer J fires: the RI's task for it holds it, and
        // cannot be cancelled. Let go of the ended dialog now, or it keeps the dialog and all it references (the
        // INVITE's transaction, request and 2xx with their SDP) for 32 s, copied by every young collection meanwhile.
        tx.setDialog(null, null);
        return true;
    }

    /** Server transactions the stack holds now (over UDP a completed non-INVITE one stays 32 s, Timer J). */
    public int serverTransactions() {
        return ((SIPTransactionStack) stack).getServerTransactionTableSize();
    }

    @Override
    public void close() {
        // The RI's event-scanner thread (not a daemon) only ends once its provider is deleted;
        // stop() alone would leave it behind and keep the JVM alive.
        try {
            provider.removeSipListener(dispatcher);
            for (ListeningPoint lp : provider.getListeningPoints()) {
                provider.removeListeningPoint(lp);
                deleteQuietly(stack, lp);
            }
            stack.deleteSipProvider(provider);
        } catch (ObjectInUseException | RuntimeException e) {
            LOG.debug("cannot delete provider of {}: {}", stackName, e.getMessage());
        }
        try {
            stack.stop();
        } catch (RuntimeException e) {
            LOG.debug("error stopping stack {}", stackName, e);
        }
        eventScanners.forEach(Thread::interrupt);
        CountingMessageParserFactory.forget(stackName);
        OverloadValve.forget(stackName);
        LOG.debug("SIP endpoint {} closed", stackName);
    }

    /** The only JAIN-SIP listener: screens requests, then hands every event to the handler. */
    private final class Dispatcher implements SipListenerExt {

        /** A handler that throws must not take the stack's thread down: counted and logged, the next event goes on. */
        private void deliver(String what, Runnable call) {
            try {
                call.run();
            } catch (RuntimeException e) {
                handlerFailures.incrementAndGet();
                LOG.warn(what, e);
            }
        }

        @Override
        public void processRequest(RequestEvent event) {
            Request request = event.getRequest();
            try {
                Optional<Rejection> rejection = validator.validate(request);
                if (rejection.isPresent()) {
                    rejected.incrementAndGet();
                    if (!Request.ACK.equals(request.getMethod())) {
                        respondWithoutTransaction(rejectionResponse(request, rejection.get()));
                    }
                    return;
                }
                if (Request.INVITE.equals(request.getMethod())) {
                    flows.learn((SIPMessage) request, ((FromHeader) request.getHeader(FromHeader.NAME)).getTag());
                }
                handler.onRequest(event);
            } catch (RuntimeException e) {
                handlerFailures.incrementAndGet();
                LOG.warn("request {} failed in handler", request.getMethod(), e);
            }
        }

        @Override
        public void processResponse(ResponseEvent event) {
            Response response = event.getResponse();
            CSeqHeader cseq = (CSeqHeader) response.getHeader(CSeqHeader.NAME);
            if (response.getStatusCode() / 100 == 2 && cseq != null && Request.INVITE.equals(cseq.getMethod())) {
                flows.learn((SIPMessage) response, ((ToHeader) response.getHeader(ToHeader.NAME)).getTag());
            }
            deliver("response handling failed", () -> handler.onResponse(event));
        }

        @Override
        public void processTimeout(TimeoutEvent event) {
            deliver("timeout handling failed", () -> handler.onTimeout(event));
        }

        @Override
        public void processIOException(IOExceptionEvent event) {
            deliver("transport error handling failed", () -> handler.onTransportError(event));
        }

        @Override
        public void processTransactionTerminated(TransactionTerminatedEvent event) {
            deliver("transaction termination handling failed", () -> handler.onTransactionTerminated(event));
        }

        @Override
        public void processDialogTimeout(DialogTimeoutEvent event) {
            deliver("dialog timeout handling failed", () -> handler.onDialogTimeout(event));
        }

        @Override
        public void processDialogTerminated(DialogTerminatedEvent event) {
            if (event.getDialog() != null && event.getDialog().getCallId() != null) {
                flows.forget(event.getDialog().getCallId().getCallId(), event.getDialog().getRemoteTag());
            }
            deliver("dialog termination handling failed", () -> handler.onDialogTerminated(event));
        }
    }

    private Response rejectionResponse(Request request, Rejection rejection) {
        Response response = messages.responseTo(request, rejection.status(), rejection.reason());
        try {
            for (String tag : rejection.unsupported()) {
                // RFC 3261 §8.2.2.3: a 420 lists the extensions we do not support.
                response.addHeader(headerFactory.createUnsupportedHeader(tag));
            }
            if (rejection.status() == Response.UNSUPPORTED_MEDIA_TYPE) {
                // RFC 3261 §8.2.3: a 415 says which bodies we do accept.
                response.setHeader(headerFactory.createAcceptHeader("application", "sdp"));
            }
        } catch (java.text.ParseException e) {
            LOG.debug("cannot decorate {} response: {}", rejection.status(), e.getMessage());
        }
        return response;
    }

    /**
     * A rejected request may be too broken for the transaction layer (bad branch, odd CSeq),
     * so the answer is sent statelessly (RFC 3261 §8.2: UAS may reject before any transaction).
     */
    private void respondWithoutTransaction(Response response) {
        respondStateless(response);
    }
}
