package io.tandem.backend.conference;

import io.tandem.telephony.media.MediaSource;

/** {@code first} (a tone, a prompt) until it ends, then {@code next} (the mix): nothing allocated per frame. */
final class Then implements MediaSource {

    private final MediaSource first;
    private final MediaSource next;
    /** Read by the stream's media thread only. */
    private boolean firstOver;

    Then(MediaSource first, MediaSource next) {
        this.first = first;
        this.next = next;
    }

    @Override
    public boolean read(short[] frame) {
        if (!firstOver) {
            if (first.read(frame)) {
                return true;
            }
            firstOver = true;
        }
        return next.read(frame);
    }

    @Override
    public void close() {
        first.close();
        next.close();
    }
}
