package io.tandem.telephony.media;

import java.util.List;

/**
 * The tones a caller hears while a call is being set up, per national plan. Cadences follow
 * ITU-T E.180 Supplement 2 (the per-country list) for the plans given here; the European plan
 * is the CEPT/ETSI TR 101 041 harmonised 425 Hz plan.
 */
public final class CallProgressTone {

    public enum Kind { DIAL, RINGBACK, BUSY, CONGESTION, CALL_WAITING }

    public enum Plan {
        /** 425 Hz single-frequency tones (most of Europe, and the ITU-T E.180 recommendation). */
        EUROPE,
        /** Precise Tone Plan dual-frequency tones (US, Canada). */
        NORTH_AMERICA,
        /** 400 Hz based tones of the UK (BT SIN 350). */
        UNITED_KINGDOM
    }

    private final Plan plan;
    private final Kind kind;
    private final List<ToneSegment> cadence;

    private CallProgressTone(Plan plan, Kind kind, List<ToneSegment> cadence) {
        this.plan = plan;
        this.kind = kind;
        this.cadence = cadence;
    }

    public static CallProgressTone of(Plan plan, Kind kind) {
        return new CallProgressTone(plan, kind, switch (plan) {
            case EUROPE -> europe(kind);
            case NORTH_AMERICA -> northAmerica(kind);
            case UNITED_KINGDOM -> unitedKingdom(kind);
        });
    }

    private static List<ToneSegment> europe(Kind kind) {
        return switch (kind) {
            case DIAL -> List.of(ToneSegment.tone(425, 0));
            case RINGBACK -> List.of(ToneSegment.tone(425, 1000), ToneSegment.silence(4000));
            case BUSY -> List.of(ToneSegment.tone(425, 500), ToneSegment.silence(500));
            case CONGESTION -> List.of(ToneSegment.tone(425, 250), ToneSegment.silence(250));
            case CALL_WAITING -> List.of(ToneSegment.tone(425, 200), ToneSegment.silence(200),
                    ToneSegment.tone(425, 200), ToneSegment.silence(4400));
        };
    }

    private static List<ToneSegment> northAmerica(Kind kind) {
        return switch (kind) {
            case DIAL -> List.of(ToneSegment.dual(350, 440, 0));
            case RINGBACK -> List.of(ToneSegment.dual(440, 480, 2000), ToneSegment.silence(4000));
            case BUSY -> List.of(ToneSegment.dual(480, 620, 500), ToneSegment.silence(500));
            // "Reorder": busy frequencies at twice the rate.
            case CONGESTION -> List.of(ToneSegment.dual(480, 620, 250), ToneSegment.silence(250));
            case CALL_WAITING -> List.of(ToneSegment.tone(440, 300), ToneSegment.silence(9700));
        };
    }

    private static List<ToneSegment> unitedKingdom(Kind kind) {
        return switch (kind) {
            case DIAL -> List.of(ToneSegment.dual(350, 440, 0));
            case RINGBACK -> List.of(ToneSegment.dual(400, 450, 400), ToneSegment.silence(200),
                    ToneSegment.dual(400, 450, 400), ToneSegment.silence(2000));
            case BUSY -> List.of(ToneSegment.tone(400, 375), ToneSegment.silence(375));
            case CONGESTION -> List.of(ToneSegment.tone(400, 400), ToneSegment.silence(350),
                    ToneSegment.tone(400, 225), ToneSegment.silence(525));
            case CALL_WAITING -> List.of(ToneSegment.tone(400, 100), ToneSegment.silence(4000));
        };
    }

    public Plan plan() {
        return plan;
    }

    public Kind kind() {
        return kind;
    }

    /** One period of the cadence; it repeats for as long as the tone plays. */
    public List<ToneSegment> cadence() {
        return cadence;
    }

    /** A source playing this tone until closed, at {@code amplitude} (peak, 0..32767). */
    public ToneSource source(int amplitude) {
        return new ToneSource(cadence, true, amplitude);
    }

    @Override
    public String toString() {
        return plan + " " + kind + " " + cadence;
    }
}
