package io.tandem.agent.engine;

import java.io.IOException;

/**
 * The SIP and media engine under the softphone. The one shipped is pure Java on the {@code telephony} module
 * ({@link TelephonyPhoneEngine}); a pjsua2 engine could sit behind the same interface. Every method returns at once;
 * what follows arrives on the {@link PhoneListener} (on an engine thread, never the FX thread).
 */
public interface PhoneEngine extends AutoCloseable {

    /** Binds SIP and starts registering to the first of {@link PhoneAccount#registrars()} that answers. */
    void start(PhoneAccount account, PhoneListener listener) throws IOException;

    /** Where registration stands now. */
    RegistrationStatus registration();

    /** Places an outgoing call to an extension, a queue number or a full SIP URI. */
    PhoneCall dial(String target);

    /** Unregisters, hangs up whatever is up and releases the ports. */
    @Override
    void close();
}
