package io.tandem.backend.campaign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tandem.backend.campaign.ContactList.RowError;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Contact lists as CSV: good rows taken, each bad row reported by line and column, never the whole list refused. */
class ContactListTest {

    @Test
    void goodRowsAreTakenWithTheirNameAndData() throws Exception {
        ContactList.Parsed parsed = ContactList.parse("number,timezone,name,account\r\n"
                + "+4930123456,Europe/Berlin,Erika Mustermann,A-1\r\n"
                + "+12125550100,America/New_York,\"Doe, John\",\"said \"\"call after 5\"\"\"\r\n");
        assertThat(parsed.errors()).isEmpty();
        assertThat(parsed.contacts()).containsExactly(
                new Contact("+4930123456", "+4930123456", "Europe/Berlin", "Erika Mustermann",
                        Map.of("account", "A-1")),
                new Contact("+12125550100", "+12125550100", "America/New_York", "Doe, John",
                        Map.of("account", "said \"call after 5\"")));
    }

    @Test
    void eachBadRowIsReportedByItsLineAndColumn() throws Exception {
        ContactList.Parsed parsed = ContactList.parse("""
                timezone,number
                Europe/Berlin,+4930123456
                Europe/Berlin,030123456
                Mars/Olympus,+4930999999
                Europe/Berlin,+4930123456
                Europe/Berlin
                Europe/Paris,+33142685300
                """);
        assertThat(parsed.contacts()).extracting(Contact::number).containsExactly("+4930123456", "+33142685300");
        assertThat(parsed.errors()).containsExactly(
                new RowError(3, "number", "must be an E.164 number such as +4930123456"),
                new RowError(4, "timezone", "must be an IANA time zone such as Europe/Berlin"),
                new RowError(5, "number", "+4930123456 is on the list twice"),
                new RowError(6, "", "has 1 fields, the header 2"));
    }

    @Test
    void aLineBreakInsideQuotesKeepsTheLineNumbersOfLaterRowsTrue() throws Exception {
        ContactList.Parsed parsed = ContactList.parse("number,timezone,note\n+4930123456,Europe/Berlin,\"two\nlines\"\n"
                + "bad,Europe/Berlin,x\n");
        assertThat(parsed.contacts()).singleElement().extracting(c -> c.data().get("note")).isEqualTo("two\nlines");
        assertThat(parsed.errors()).extracting(RowError::line).containsExactly(4);
    }

    @Test
    void aListWithoutTheRequiredColumnsIsRefusedWhole() {
        assertThatThrownBy(() -> ContactList.parse("phone,zone\n+4930123456,Europe/Berlin\n"))
                .isInstanceOf(ContactList.Unreadable.class).hasMessageContaining("number and timezone");
        assertThatThrownBy(() -> ContactList.parse("")).isInstanceOf(ContactList.Unreadable.class);
        assertThatThrownBy(() -> ContactList.parse("number,timezone\n\"+49,Europe/Berlin\n"))
                .hasMessageContaining("not closed");
    }
}
