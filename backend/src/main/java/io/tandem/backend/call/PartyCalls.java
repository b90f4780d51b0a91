package io.tandem.backend.call;

/**
 * Told when a party whose leg this node holds enters or leaves an answered direct call (extension to extension,
 * not a queue call). The ACD listens: an agent on a direct call gets no queue offer, and is offered again at once
 * when the call ends. Called on the owed-writes thread, in order, retried through a Redis outage.
 */
public interface PartyCalls {

    /** Nobody listens (a node without the ACD). */
    PartyCalls NONE = new PartyCalls() {
        @Override
        public void joined(String tenant, String party) {
        }

        @Override
        public void left(String tenant, String party) {
        }
    };

    void joined(String tenant, String party);

    void left(String tenant, String party);
}
