package io.tandem.callback.room;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * The order in which a queue that wakes by tiers ({@code park.wake: tiers}) wakes its sleeping members: by member tier,
 * lowest first, and within a tier by penalty (lower first, as the ACD prefers), then in member order. The devices of
 * one member share its place.
 *
 * @param devices the devices to wake, in that order
 * @param tierOf  each device's tier, index for index
 */
record TierPlan(List<Woken> devices, List<Integer> tierOf) {

    /** A member without a readable tier is in tier 1 with penalty 0, as a queue definition's member defaults to. */
    static final Placing DEFAULT_PLACING = new Placing(1, 0);

    /** A member's tier (1-9) and penalty (0-100), from the queue's {@code q:<n>:tiers} hash. */
    record Placing(int tier, int penalty) {
    }

    TierPlan {
        devices = List.copyOf(devices);
        tierOf = List.copyOf(tierOf);
    }

    /**
     * The plan for {@code devices} (in member order, as {@link WakeList#whom} finds them), placed by the queue's
     * {@code tiers} hash: member → {@code <tier>|<penalty>}.
     */
    static TierPlan of(List<Woken> devices, Map<String, String> tiers) {
        record Placed(Woken device, Placing placing, int order) {
        }
        List<Placed> placed = new ArrayList<>();
        for (int i = 0; i < devices.size(); i++) {
            Woken device = devices.get(i);
            placed.add(new Placed(device, placing(tiers.get(device.user())), i));
        }
        placed.sort(Comparator.comparingInt((Placed p) -> p.placing().tier())
                .thenComparingInt(p -> p.placing().penalty()).thenComparingInt(Placed::order));
        return new TierPlan(placed.stream().map(Placed::device).toList(),
                placed.stream().map(p -> p.placing().tier()).toList());
    }

    /** {@code <tier>|<penalty>} as the nodes' {@code queue_save.lua} writes it; {@link #DEFAULT_PLACING} otherwise. */
    static Placing placing(String value) {
        if (value == null || !value.matches("[1-9]\\|[0-9]{1,3}")) {
            return DEFAULT_PLACING;
        }
        int bar = value.indexOf('|');
        return new Placing(Integer.parseInt(value.substring(0, bar)), Integer.parseInt(value.substring(bar + 1)));
    }

    /** The lowest tier with a device to wake; empty when there is none. */
    OptionalInt firstTier() {
        return tierOf.isEmpty() ? OptionalInt.empty() : OptionalInt.of(tierOf.get(0));
    }

    /** The lowest tier above {@code tier} with a device to wake; empty when {@code tier} is the last. */
    OptionalInt tierAfter(int tier) {
        return tierOf.stream().mapToInt(Integer::intValue).filter(t -> t > tier).findFirst();
    }

    /** The devices of tiers up to {@code tier}, in the plan's order: who is woken once {@code tier}'s turn came. */
    List<Woken> upTo(int tier) {
        List<Woken> woken = new ArrayList<>();
        for (int i = 0; i < devices.size() && tierOf.get(i) <= tier; i++) {
            woken.add(devices.get(i));
        }
        return woken;
    }
}
