package io.tandem.telephony.rtp;

import java.io.IOException;
import java.net.InetAddress;

/** Opens media streams on a local address, taking ports from a bounded range. */
public interface MediaStreamFactory extends AutoCloseable {

    /**
     * Binds a new RTP/RTCP port pair on {@code bindAddress}.
     *
     * @throws IOException when no port pair in the range is free (the caller answers 503)
     */
    MediaStream open(InetAddress bindAddress) throws IOException;

    @Override
    void close();
}
