package io.tandem.backend.queuecall;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import javax.sip.SipFactory;
import javax.sip.message.Request;
import org.junit.jupiter.api.Test;

class CallerDetailsTest {

    static Request invite(String... headers) throws Exception {
        SipFactory factory = SipFactory.getInstance();
        factory.setPathName("gov.nist");
        StringBuilder raw = new StringBuilder("""
                INVITE sip:7000@demo SIP/2.0\r
                Via: SIP/2.0/UDP 127.0.0.2:5070;branch=z9hG4bK-1\r
                From: <sip:1001@demo>;tag=1\r
                To: <sip:7000@demo>\r
                Call-ID: details-1\r
                CSeq: 1 INVITE\r
                Max-Forwards: 70\r
                """);
        for (String header : headers) {
            raw.append(header).append("\r\n");
        }
        raw.append("Content-Length: 0\r\n\r\n");
        return factory.createMessageFactory().createRequest(raw.toString());
    }

    @Test
    void readsPrioritySkillsAndData() throws Exception {
        CallerDetails details = CallerDetails.parse(invite("X-Tandem-Priority: 7",
                "X-Tandem-Skills: billing:3, french", "X-Tandem-Data: crm=42; lang=fr ; note=VIP caller"));
        assertThat(details.priority()).isEqualTo(7);
        assertThat(details.skills()).containsEntry("billing", 3).containsEntry("french", 1).hasSize(2);
        assertThat(details.data()).containsEntry("crm", "42").containsEntry("lang", "fr")
                .containsEntry("note", "VIP caller");
    }

    @Test
    void absentHeadersKeepTheDefaults() throws Exception {
        Request plain = invite();
        assertThat(CallerDetails.present(plain)).isFalse();
        assertThat(CallerDetails.parse(plain)).isEqualTo(CallerDetails.NONE);
    }

    @Test
    void malformedValuesNameTheirHeader() {
        for (List<String> bad : List.of(List.of("X-Tandem-Priority: 10", "X-Tandem-Priority"),
                List.of("X-Tandem-Priority: high", "X-Tandem-Priority"),
                List.of("X-Tandem-Skills: billing:x", "X-Tandem-Skills"),
                List.of("X-Tandem-Skills: bil ling", "X-Tandem-Skills"),
                List.of("X-Tandem-Data: novalue", "X-Tandem-Data"),
                List.of("X-Tandem-Data: k=" + "v".repeat(65), "X-Tandem-Data"),
                List.of("X-Tandem-Data: k=" + "v; k=v".repeat(300), "X-Tandem-Data"))) {
            assertThatThrownBy(() -> CallerDetails.parse(invite(bad.get(0))))
                    .isInstanceOf(CallerDetails.Malformed.class).hasMessageStartingWith("Bad " + bad.get(1) + ":");
        }
    }
}
