package io.anomalyze.capture;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** Counts skipped records by reason (and by link type for unsupported ones), in the order reasons first occur. */
final class SkipTally {

    private String[] labels = new String[16];
    private SkipReason[] reasons = new SkipReason[16];
    private int[] linkTypes = new int[16];
    private long[] counts = new long[16];
    private int size;
    /** Slot of each reason other than {@link SkipReason#UNSUPPORTED_LINK_TYPE}, or -1 until it first occurs. */
    private final int[] slotOf = new int[SkipReason.values().length];

    SkipTally() {
        Arrays.fill(slotOf, -1);
    }

    void add(SkipReason reason, int linkType) {
        add(reason, linkType, 1);
    }

    void add(SkipReason reason, int linkType, long n) {
        int slot = reason == SkipReason.UNSUPPORTED_LINK_TYPE ? linkSlot(linkType) : slotOf[reason.ordinal()];
        if (slot < 0) {
            slot = newSlot(reason, linkType);
        }
        counts[slot] += n;
    }

    private int linkSlot(int linkType) {
        for (int i = 0; i < size; i++) {
            if (reasons[i] == SkipReason.UNSUPPORTED_LINK_TYPE && linkTypes[i] == linkType) {
                return i;
            }
        }
        return -1;
    }

    private int newSlot(SkipReason reason, int linkType) {
        if (size == labels.length) {
            labels = Arrays.copyOf(labels, size * 2);
            reasons = Arrays.copyOf(reasons, size * 2);
            linkTypes = Arrays.copyOf(linkTypes, size * 2);
            counts = Arrays.copyOf(counts, size * 2);
        }
        labels[size] = reason == SkipReason.UNSUPPORTED_LINK_TYPE ? reason.label() + " " + linkType : reason.label();
        reasons[size] = reason;
        linkTypes[size] = linkType;
        if (reason != SkipReason.UNSUPPORTED_LINK_TYPE) {
            slotOf[reason.ordinal()] = size;
        }
        return size++;
    }

    long total() {
        long total = 0;
        for (int i = 0; i < size; i++) {
            total += counts[i];
        }
        return total;
    }

    /** Adds the counts of this tally to {@code into}. */
    void addTo(Map<String, Long> into) {
        for (int i = 0; i < size; i++) {
            into.merge(labels[i], counts[i], Long::sum);
        }
    }

    Map<String, Long> toMap() {
        Map<String, Long> map = new LinkedHashMap<>();
        addTo(map);
        return map;
    }
}
