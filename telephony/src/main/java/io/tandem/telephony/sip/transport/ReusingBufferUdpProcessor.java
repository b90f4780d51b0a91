package io.tandem.telephony.sip.transport;

import gov.nist.javax.sip.SipStackImpl;
import gov.nist.javax.sip.stack.DatagramQueuedMessageDispatch;
import gov.nist.javax.sip.stack.SIPTransactionStack;
import gov.nist.javax.sip.stack.UDPMessageChannel;
import gov.nist.javax.sip.stack.UDPMessageProcessor;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.SocketException;
import java.util.Arrays;
import java.util.LinkedList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RI's UDP receiver, without its garbage: the RI allocates a fresh buffer of the largest datagram (64 kB) for
 * every packet it receives and hands that buffer to a worker thread, so a node taking 2,000 REGISTERs a second made
 * 128 MB of garbage a second from the buffers alone (JFR: a quarter of everything the node allocated). This reader
 * receives into one buffer it keeps and hands the workers a copy of exactly the datagram's length. Everything after
 * the socket read (the worker threads, parsing, congestion handling) is the RI's.
 */
final class ReusingBufferUdpProcessor extends UDPMessageProcessor {

    private static final Logger log = LoggerFactory.getLogger(ReusingBufferUdpProcessor.class);
    /** The largest UDP payload (65,535 − 8 UDP − 20 IP): nothing a peer can send is cut short. */
    static final int MAX_DATAGRAM = 65_507;

    /** Told when this processor stops, so its factory no longer counts its queue. */
    private final Consumer<ReusingBufferUdpProcessor> onStop;

    ReusingBufferUdpProcessor(InetAddress address, SIPTransactionStack stack, int port,
            Consumer<ReusingBufferUdpProcessor> onStop) throws IOException {
        super(address, stack, port);
        this.onStop = onStop;
    }

    /** Datagrams received and not yet taken by a worker thread. */
    int queued() {
        return messageQueue.size();
    }

    /** Sends {@code datagram} from this listening socket, as the RI's channels do for UDP (the stack's udpFlag). */
    void send(byte[] datagram, InetAddress to, int port) throws IOException {
        sock.send(new DatagramPacket(datagram, datagram.length, to, port));
    }

    @Override
    public void stop() {
        onStop.accept(this);
        super.stop();
    }

    @Override
    public void run() {
        startWorkers();
        byte[] buffer = new byte[MAX_DATAGRAM];
        DatagramPacket received = new DatagramPacket(buffer, buffer.length);
        while (isRunning) {
            try {
                received.setData(buffer, 0, buffer.length);
                sock.receive(received);
                DatagramPacket copy = new DatagramPacket(Arrays.copyOf(buffer, received.getLength()),
                        received.getLength(), received.getSocketAddress());
                messageQueue.offer(new DatagramQueuedMessageDispatch(copy, System.currentTimeMillis()));
            } catch (SocketException e) {
                if (!isRunning) {
                    return; // stop() closed the socket
                }
                log.warn("UDP receive on port {} failed: {}", getPort(), e.getMessage());
            } catch (IOException e) {
                log.warn("UDP receive on port {} failed: {}", getPort(), e.getMessage());
            }
        }
    }

    /** The RI's worker threads, as many as the stack's thread pool size, each taking datagrams from the queue. */
    private void startWorkers() {
        messageChannels = new LinkedList<>();
        String name = ((SipStackImpl) sipStack).getStackName() + "-UDPMessageChannelThread-";
        for (int i = 0; i < workers(); i++) {
            // an (empty) subclass: the RI's constructor is protected
            messageChannels.add(new UDPMessageChannel(sipStack, this, name + i) { });
        }
    }

    private int workers() {
        String configured = ((SipStackImpl) sipStack).getConfigurationProperties()
                .getProperty("gov.nist.javax.sip.THREAD_POOL_SIZE");
        if (configured == null) {
            throw new IllegalStateException("ReusingBufferUdpProcessor needs gov.nist.javax.sip.THREAD_POOL_SIZE");
        }
        return Math.max(1, Integer.parseInt(configured.trim()));
    }
}
