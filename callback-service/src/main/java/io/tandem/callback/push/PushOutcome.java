package io.tandem.callback.push;

/** What a push network made of a push. */
public sealed interface PushOutcome {

    /** The name in metrics and logs. */
    String label();

    /** The provider's id of an accepted push, else its reason. */
    String detail();

    /** The network took the push; {@code providerId} is its id for it (apns-id, FCM message name, webhook's). */
    record Accepted(String providerId) implements PushOutcome {
        @Override
        public String label() {
            return "accepted";
        }

        @Override
        public String detail() {
            return providerId;
        }
    }

    /** The network refused this push, with its reason; retrying the same push will not help. */
    record Refused(String reason) implements PushOutcome {
        @Override
        public String label() {
            return "refused";
        }

        @Override
        public String detail() {
            return reason;
        }
    }

    /**
     * The network says the token is gone (APNs 410 / {@code Unregistered} / {@code BadDeviceToken}, FCM
     * {@code UNREGISTERED} / 404): drop the device's push binding.
     */
    record DeadToken(String reason) implements PushOutcome {
        @Override
        public String label() {
            return "dead-token";
        }

        @Override
        public String detail() {
            return reason;
        }
    }

    /** The network could not be reached or failed (5xx, I/O, timeout) after the provider's own retries. */
    record Failed(String reason) implements PushOutcome {
        @Override
        public String label() {
            return "failed";
        }

        @Override
        public String detail() {
            return reason;
        }
    }
}
