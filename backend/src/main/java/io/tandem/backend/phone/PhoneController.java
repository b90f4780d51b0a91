package io.tandem.backend.phone;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ResponseBody;

/**
 * The browser agent phone: a static page and ES module ({@code static/phone/}) that sign the agent in through the
 * agent API, set their state, show their offers from the agent WebSocket, and register and answer with WebRTC
 * through the edge's WSS and rtpengine (SIP.js, served from {@code static/phone/vendor/sip.js}). The node only
 * tells the page where the edge is.
 */
@Controller
class PhoneController {

    static final String PAGE = "/phone";
    static final String SETTINGS = "/phone/settings";

    private final PhoneProperties properties;

    PhoneController(PhoneProperties properties) {
        this.properties = properties;
    }

    @GetMapping(PAGE)
    String page() {
        return "forward:/phone/index.html";
    }

    /** Where the page's SIP stack connects; empty values mean "derive from the page's own address". */
    @GetMapping(SETTINGS)
    @ResponseBody
    PhoneSettings settings() {
        return new PhoneSettings(properties.edgeWssUri(), properties.sipDomain());
    }
}
