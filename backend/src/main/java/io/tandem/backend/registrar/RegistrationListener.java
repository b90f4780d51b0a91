package io.tandem.backend.registrar;

/**
 * Told after this node's registrar took a REGISTER that left the user at least one live contact (and after the 200
 * went out), so a feature waiting for a device — a call ringing a user woken by push — can reach the new contact.
 * Called on the SIP thread: an implementation hands the work to its own thread.
 */
public interface RegistrationListener {

    void registered(String tenant, String user);
}
