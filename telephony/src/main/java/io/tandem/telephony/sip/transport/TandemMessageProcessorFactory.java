package io.tandem.telephony.sip.transport;

import gov.nist.javax.sip.stack.MessageProcessor;
import gov.nist.javax.sip.stack.OIOMessageProcessorFactory;
import gov.nist.javax.sip.stack.SIPTransactionStack;
import java.io.IOException;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The RI's message processors ({@code gov.nist.javax.sip.MESSAGE_PROCESSOR_FACTORY}), except UDP, which is
 * {@link ReusingBufferUdpProcessor}. Named by class in the stack's properties; the RI creates it.
 */
public final class TandemMessageProcessorFactory extends OIOMessageProcessorFactory {

    /** The UDP processors of this factory's stack (one per UDP listening point). */
    private final List<ReusingBufferUdpProcessor> udpProcessors = new CopyOnWriteArrayList<>();

    /**
     * Datagrams received on {@code stack}'s UDP listening points and not yet taken by a worker thread: how far the
     * stack is behind. 0 for a stack whose processors are not ours.
     */
    public static int queuedDatagrams(SIPTransactionStack stack) {
        return stack.getMessageProcessorFactory() instanceof TandemMessageProcessorFactory factory
                ? factory.queuedDatagrams() : 0;
    }

    /**
     * Sends an already encoded message from {@code stack}'s UDP listening socket; false when the stack's processors
     * are not ours or it listens on no UDP (the caller then sends through the RI).
     */
    public static boolean sendDatagram(SIPTransactionStack stack, byte[] datagram, InetAddress to, int port)
            throws IOException {
        if (!(stack.getMessageProcessorFactory() instanceof TandemMessageProcessorFactory factory)
                || factory.udpProcessors.isEmpty()) {
            return false;
        }
        factory.udpProcessors.get(0).send(datagram, to, port);
        return true;
    }

    private int queuedDatagrams() {
        int queued = 0;
        for (ReusingBufferUdpProcessor processor : udpProcessors) {
            queued += processor.queued();
        }
        return queued;
    }

    @Override
    public MessageProcessor createMessageProcessor(SIPTransactionStack stack, InetAddress address, int port,
            String transport) throws IOException {
        if ("udp".equalsIgnoreCase(transport)) {
            ReusingBufferUdpProcessor processor = new ReusingBufferUdpProcessor(address, stack, port,
                    udpProcessors::remove);
            markUdp(stack);
            udpProcessors.add(processor);
            return processor;
        }
        return super.createMessageProcessor(stack, address, port, transport);
    }

    /**
     * What the RI's factory does beside creating its UDP processor: it sets the stack's protected {@code udpFlag},
     * which makes UDP requests leave from the listening socket (so responses come back to it) rather than from a
     * new socket each.
     */
    private static void markUdp(SIPTransactionStack stack) throws IOException {
        try {
            java.lang.reflect.Field udp = SIPTransactionStack.class.getDeclaredField("udpFlag");
            udp.setAccessible(true);
            udp.setBoolean(stack, true);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IOException("this JAIN-SIP RI has no SIPTransactionStack.udpFlag to set", e);
        }
    }
}
