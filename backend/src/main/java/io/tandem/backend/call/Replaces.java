package io.tandem.backend.call;

import java.util.Locale;
import java.util.Optional;
import javax.sip.Dialog;
import javax.sip.header.FromHeader;

/**
 * The dialog a Replaces header names (RFC 3891 §6.1: {@code call-id;to-tag=..;from-tag=..[;early-only]}), the tags as
 * the receiver of the header sees the dialog: {@code to-tag} is its own (local) tag, {@code from-tag} the far end's.
 */
record Replaces(String callId, String toTag, String fromTag, boolean earlyOnly) {

    /** The header's value parsed; empty when the Call-ID or either tag is missing (RFC 3891 §3: 400 or ignored). */
    static Optional<Replaces> parse(String value) {
        if (value == null) {
            return Optional.empty();
        }
        String[] parts = value.split(";");
        String callId = parts[0].strip();
        String toTag = null;
        String fromTag = null;
        boolean earlyOnly = false;
        for (int i = 1; i < parts.length; i++) {
            String part = parts[i].strip();
            int eq = part.indexOf('=');
            String name = (eq < 0 ? part : part.substring(0, eq)).strip().toLowerCase(Locale.ROOT);
            String val = eq < 0 ? "" : part.substring(eq + 1).strip();
            switch (name) {
                case "to-tag" -> toTag = val;
                case "from-tag" -> fromTag = val;
                case "early-only" -> earlyOnly = true;
                default -> {
                    // RFC 3891 §6.1: other generic parameters are allowed and mean nothing to us
                }
            }
        }
        if (callId.isEmpty() || toTag == null || toTag.isEmpty() || fromTag == null || fromTag.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Replaces(callId, toTag, fromTag, earlyOnly));
    }

    /**
     * The Replaces value naming {@code leg}'s dialog as the node sees it (to-tag ours, from-tag the far end's); empty
     * while the leg has no dialog with both tags yet.
     */
    static Optional<Replaces> of(Leg leg) {
        String local;
        String remote;
        if (leg.isCaller() && leg.invite != null) {
            FromHeader from = (FromHeader) leg.invite.getHeader(FromHeader.NAME);
            local = leg.toTag;
            remote = from == null ? null : from.getTag();
        } else {
            Dialog dialog = leg.dialog();
            local = dialog == null ? null : dialog.getLocalTag();
            remote = dialog == null ? null : dialog.getRemoteTag();
        }
        if (local == null || remote == null) {
            return Optional.empty();
        }
        return Optional.of(new Replaces(leg.callId, local, remote, false));
    }

    /** The header's value (RFC 3891 §6.1), as a node forwards it over the trunk. */
    String value() {
        return callId + ";to-tag=" + toTag + ";from-tag=" + fromTag + (earlyOnly ? ";early-only" : "");
    }

    /** This names {@code leg}'s dialog, as the node sees it. */
    boolean names(Leg leg) {
        if (!leg.callId.equals(callId)) {
            return false;
        }
        if (leg.isCaller() && leg.invite != null) {
            // We are the UAS of a caller's leg: our tag is the one we put in To, the caller's is its From tag.
            FromHeader from = (FromHeader) leg.invite.getHeader(FromHeader.NAME);
            return toTag.equals(leg.toTag) && from != null && fromTag.equals(from.getTag());
        }
        Dialog dialog = leg.dialog();
        return dialog != null && toTag.equals(dialog.getLocalTag()) && fromTag.equals(dialog.getRemoteTag());
    }
}
