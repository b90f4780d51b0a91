package io.tandem.backend.campaign;

import java.util.Map;

/**
 * A customer a campaign calls.
 *
 * @param id       unique in the campaign: the number itself (a number is called once per campaign)
 * @param number   E.164 ({@code +4930123456})
 * @param timeZone an IANA zone ({@code Europe/Berlin}): the call windows are in the contact's local time
 * @param name     how the agent's offer names the contact; may be empty
 * @param data     the list's other columns, shown with the offer
 */
public record Contact(String id, String number, String timeZone, String name, Map<String, String> data) {

    public Contact {
        name = name == null ? "" : name;
        data = data == null ? Map.of() : Map.copyOf(data);
    }
}
