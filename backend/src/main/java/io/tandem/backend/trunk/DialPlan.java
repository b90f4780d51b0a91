package io.tandem.backend.trunk;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How a tenant's users dial outside and how far a number is (ITU-T E.164 and a national numbering plan's
 * prefixes): after the {@code outsidePrefix}, the {@code internationalPrefix} starts an international number, the
 * {@code nationalPrefix} a national one (area code and subscriber number), anything else is a subscriber number in
 * the tenant's own {@code areaCode}. A number dialled as E.164 ({@code +4930...}) needs no outside prefix. A number
 * in the tenant's country and area is local, elsewhere in the country national, in another country international.
 *
 * <p>A tenant without a plan has {@link #NONE}: only E.164 numbers go out, and every one counts as international
 * (the strictest class), since without a country code no number can be told nearer.
 *
 * @param countryCode         E.164 country code, digits ({@code 49}); empty: every number is international
 * @param areaCode            the tenant's own area code without the national prefix ({@code 30}); empty: no local
 * @param nationalPrefix      dialled before an area code ({@code 0})
 * @param internationalPrefix dialled before a country code ({@code 00})
 * @param outsidePrefix       dialled before an outside number ({@code 0}); empty: only E.164 numbers go out
 */
public record DialPlan(String countryCode, String areaCode, String nationalPrefix, String internationalPrefix,
        String outsidePrefix) {

    /** No plan: E.164 only, all international. */
    public static final DialPlan NONE = new DialPlan("", "", "", "", "");

    /** Digits only, as many as any prefix or code takes. */
    static final Pattern DIGITS = Pattern.compile("[0-9]{0,8}");
    private static final Pattern NUMBER = Pattern.compile("[0-9]{3,20}");
    private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{2,19}");

    public DialPlan {
        countryCode = countryCode == null ? "" : countryCode;
        areaCode = areaCode == null ? "" : areaCode;
        nationalPrefix = nationalPrefix == null ? "" : nationalPrefix;
        internationalPrefix = internationalPrefix == null ? "" : internationalPrefix;
        outsidePrefix = outsidePrefix == null ? "" : outsidePrefix;
    }

    /** An outside number: as dialled, in E.164, and its class. */
    public record OutsideNumber(String dialled, String e164, DialPermission reach) {
    }

    /** What {@code dialled} is to this plan: an outside number, or empty (an extension, or no number at all). */
    public Optional<OutsideNumber> classify(String dialled) {
        if (dialled == null) {
            return Optional.empty();
        }
        if (E164.matcher(dialled).matches()) {
            return Optional.of(new OutsideNumber(dialled, dialled, reach(dialled)));
        }
        if (outsidePrefix.isEmpty() || !dialled.startsWith(outsidePrefix)) {
            return Optional.empty();
        }
        String rest = dialled.substring(outsidePrefix.length());
        if (!NUMBER.matcher(rest).matches()) {
            return Optional.empty();
        }
        String e164;
        // The international prefix first: it usually starts with the national one (00 and 0).
        if (!internationalPrefix.isEmpty() && rest.startsWith(internationalPrefix)) {
            e164 = "+" + rest.substring(internationalPrefix.length());
        } else if (!nationalPrefix.isEmpty() && rest.startsWith(nationalPrefix)) {
            e164 = "+" + countryCode + rest.substring(nationalPrefix.length());
        } else {
            e164 = "+" + countryCode + areaCode + rest;
        }
        return E164.matcher(e164).matches() ? Optional.of(new OutsideNumber(dialled, e164, reach(e164)))
                : Optional.empty();
    }

    private DialPermission reach(String e164) {
        if (countryCode.isEmpty() || !e164.startsWith("+" + countryCode)) {
            return DialPermission.INTERNATIONAL;
        }
        String national = e164.substring(1 + countryCode.length());
        return !areaCode.isEmpty() && national.startsWith(areaCode) ? DialPermission.LOCAL : DialPermission.NATIONAL;
    }
}
