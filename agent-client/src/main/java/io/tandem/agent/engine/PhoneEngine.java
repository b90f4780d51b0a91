package io.tandem.agent.engine;

import java.io.IOException;

/**
 * The SIP and media engine under the softphone: PJSIP's pjsua2 through JNI ({@code engine.pjsua2}, built where its
 * native library is) or pure Java on the {@code telephony} module ({@link TelephonyPhoneEngine}); {@link PhoneEngines}
 * chooses. Every method returns at once; what follows arrives on the {@link PhoneListener} (on an engine thread,
 * never the FX thread).
 */
public interface PhoneEngine extends AutoCloseable {

    /** Binds SIP and starts registering to the first of {@link PhoneAccount#registrars()} that answers. */
    void start(PhoneAccount account, PhoneListener listener) throws IOException;

    /** Where registration stands now. */
    RegistrationStatus registration();

    /** A URI that reaches this phone without a registrar, e.g. {@code sip:1001@127.0.0.1:5070} (after start). */
    String directUri();

    /** Places an outgoing call to an extension, a queue number or a full SIP URI. */
    PhoneCall dial(String target);

    /** Unregisters, hangs up whatever is up and releases the ports. */
    @Override
    void close();
}
