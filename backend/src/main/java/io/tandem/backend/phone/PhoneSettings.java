package io.tandem.backend.phone;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What the browser phone page reads at start ({@code GET /phone/settings}). */
record PhoneSettings(@JsonProperty("edgeWssUri") String edgeWssUri, @JsonProperty("sipDomain") String sipDomain) {
}
