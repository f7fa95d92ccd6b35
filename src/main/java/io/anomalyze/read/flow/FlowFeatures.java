package io.anomalyze.read.flow;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The 78 flow features of the CICIDS2017 MachineLearningCVE files, in their column order,
 * and the header names every common CICFlowMeter dialect uses for them.
 *
 * <p>Names are matched on a key that ignores case, spaces and underscores, so
 * {@code " Total Fwd Packets"}, {@code "total_fwd_packets"} and {@code "Total Fwd Packets"}
 * are one name. Dialects covered: the original MachineLearningCVE names (the second
 * {@code Fwd Header Length} is feature 55), GeneratedLabelledFlows/TrafficLabelling
 * ({@code Fwd Header Length.1}), the corrected CICFlowMeter names of the improved CICIDS2017
 * release ({@code Total Fwd Packet}, {@code FWD Init Win Bytes}, {@code CWR Flag Count}) and the
 * CSE-CIC-IDS2018 / CICFlowMeter-V3 short names ({@code Dst Port}, {@code Tot Fwd Pkts},
 * {@code Flow Byts/s}, {@code Init Fwd Win Byts}).
 */
public final class FlowFeatures {

    /** The canonical names, in model input order. */
    public static final List<String> NAMES = List.of(
            "Destination Port", "Flow Duration", "Total Fwd Packets", "Total Backward Packets",
            "Total Length of Fwd Packets", "Total Length of Bwd Packets", "Fwd Packet Length Max",
            "Fwd Packet Length Min", "Fwd Packet Length Mean", "Fwd Packet Length Std",
            "Bwd Packet Length Max", "Bwd Packet Length Min", "Bwd Packet Length Mean",
            "Bwd Packet Length Std", "Flow Bytes/s", "Flow Packets/s", "Flow IAT Mean", "Flow IAT Std",
            "Flow IAT Max", "Flow IAT Min", "Fwd IAT Total", "Fwd IAT Mean", "Fwd IAT Std", "Fwd IAT Max",
            "Fwd IAT Min", "Bwd IAT Total", "Bwd IAT Mean", "Bwd IAT Std", "Bwd IAT Max", "Bwd IAT Min",
            "Fwd PSH Flags", "Bwd PSH Flags", "Fwd URG Flags", "Bwd URG Flags", "Fwd Header Length",
            "Bwd Header Length", "Fwd Packets/s", "Bwd Packets/s", "Min Packet Length",
            "Max Packet Length", "Packet Length Mean", "Packet Length Std", "Packet Length Variance",
            "FIN Flag Count", "SYN Flag Count", "RST Flag Count", "PSH Flag Count", "ACK Flag Count",
            "URG Flag Count", "CWE Flag Count", "ECE Flag Count", "Down/Up Ratio", "Average Packet Size",
            "Avg Fwd Segment Size", "Avg Bwd Segment Size", "Fwd Header Length.1", "Fwd Avg Bytes/Bulk",
            "Fwd Avg Packets/Bulk", "Fwd Avg Bulk Rate", "Bwd Avg Bytes/Bulk", "Bwd Avg Packets/Bulk",
            "Bwd Avg Bulk Rate", "Subflow Fwd Packets", "Subflow Fwd Bytes", "Subflow Bwd Packets",
            "Subflow Bwd Bytes", "Init_Win_bytes_forward", "Init_Win_bytes_backward", "act_data_pkt_fwd",
            "min_seg_size_forward", "Active Mean", "Active Std", "Active Max", "Active Min", "Idle Mean",
            "Idle Std", "Idle Max", "Idle Min");

    public static final int COUNT = 78;

    /**
     * Largest magnitude a flow feature may have: the model takes floats, and a value beyond the
     * float range would become an infinity and then NaN probabilities inside the model.
     */
    public static final float MAX_MAGNITUDE = Float.MAX_VALUE;

    /**
     * Why a finite value cannot be a flow feature, or null when it can: every path that feeds
     * flows to the model (files, the JSON API) refuses the same values with the same words.
     */
    public static String outOfRange(int feature, double v) {
        return Math.abs(v) > MAX_MAGNITUDE
                ? name(feature) + " is " + v + ", beyond the float range the model takes (±3.4e38)"
                : null;
    }
    /**
     * A feature value written as text, read as files read it: blank, Infinity and NaN are 0.
     *
     * @throws NumberFormatException when the text is no number at all
     */
    public static double parseValue(String text) {
        String t = text.strip();
        if (t.isEmpty()) {
            return 0;
        }
        try {
            double d = Double.parseDouble(t);
            return Double.isFinite(d) ? d : 0;
        } catch (NumberFormatException e) {
            String lower = t.toLowerCase(Locale.ROOT);
            if (lower.equals("inf") || lower.equals("-inf") || lower.equals("+inf") || lower.equals("infinity")
                    || lower.equals("-infinity") || lower.equals("+infinity") || lower.equals("nan")) {
                return 0;
            }
            throw e;
        }
    }

    /** {@code Fwd Header Length}: its first column in the original files. */
    public static final int FWD_HEADER_LENGTH = 34;
    /**
     * The duplicate {@code Fwd Header Length} column of the original files. Dialects that write
     * the header length only once fill it from {@link #FWD_HEADER_LENGTH}: in the original
     * files the two columns are always equal.
     */
    public static final int FWD_HEADER_LENGTH_COPY = 55;

    /** Other dialects' names, as {canonical index, name} pairs. */
    private static final Object[][] ALIASES = {
            // corrected CICFlowMeter ("improved" CICIDS2017) names
            {0, "Dst Port"}, {2, "Total Fwd Packet"}, {3, "Total Bwd packets"},
            {4, "Total Length of Fwd Packet"}, {5, "Total Length of Bwd Packet"},
            {38, "Packet Length Min"}, {39, "Packet Length Max"}, {49, "CWR Flag Count"},
            {53, "Fwd Segment Size Avg"}, {54, "Bwd Segment Size Avg"}, {56, "Fwd Bytes/Bulk Avg"},
            {57, "Fwd Packet/Bulk Avg"}, {58, "Fwd Bulk Rate Avg"}, {59, "Bwd Bytes/Bulk Avg"},
            {60, "Bwd Packet/Bulk Avg"}, {61, "Bwd Bulk Rate Avg"}, {66, "FWD Init Win Bytes"},
            {67, "Bwd Init Win Bytes"}, {68, "Fwd Act Data Pkts"}, {69, "Fwd Seg Size Min"},
            // CSE-CIC-IDS2018 / CICFlowMeter-V3 short names
            {2, "Tot Fwd Pkts"}, {3, "Tot Bwd Pkts"}, {4, "TotLen Fwd Pkts"}, {5, "TotLen Bwd Pkts"},
            {6, "Fwd Pkt Len Max"}, {7, "Fwd Pkt Len Min"}, {8, "Fwd Pkt Len Mean"}, {9, "Fwd Pkt Len Std"},
            {10, "Bwd Pkt Len Max"}, {11, "Bwd Pkt Len Min"}, {12, "Bwd Pkt Len Mean"}, {13, "Bwd Pkt Len Std"},
            {14, "Flow Byts/s"}, {15, "Flow Pkts/s"}, {20, "Fwd IAT Tot"}, {25, "Bwd IAT Tot"},
            {34, "Fwd Header Len"}, {35, "Bwd Header Len"}, {36, "Fwd Pkts/s"}, {37, "Bwd Pkts/s"},
            {38, "Pkt Len Min"}, {39, "Pkt Len Max"}, {40, "Pkt Len Mean"}, {41, "Pkt Len Std"},
            {42, "Pkt Len Var"}, {43, "FIN Flag Cnt"}, {44, "SYN Flag Cnt"}, {45, "RST Flag Cnt"},
            {46, "PSH Flag Cnt"}, {47, "ACK Flag Cnt"}, {48, "URG Flag Cnt"}, {49, "CWR Flag Cnt"},
            {49, "CWE Flag Cnt"}, {50, "ECE Flag Cnt"}, {52, "Pkt Size Avg"}, {53, "Fwd Seg Size Avg"},
            {54, "Bwd Seg Size Avg"}, {55, "Fwd Header Len.1"}, {56, "Fwd Byts/b Avg"},
            {57, "Fwd Pkts/b Avg"}, {58, "Fwd Blk Rate Avg"}, {59, "Bwd Byts/b Avg"},
            {60, "Bwd Pkts/b Avg"}, {61, "Bwd Blk Rate Avg"}, {62, "Subflow Fwd Pkts"},
            {63, "Subflow Fwd Byts"}, {64, "Subflow Bwd Pkts"}, {65, "Subflow Bwd Byts"},
            {66, "Init Fwd Win Byts"}, {67, "Init Bwd Win Byts"},
    };

    private static final Map<String, Integer> BY_KEY = buildLookup();

    private FlowFeatures() {
    }

    private static Map<String, Integer> buildLookup() {
        Map<String, Integer> map = new HashMap<>();
        for (int i = 0; i < COUNT; i++) {
            put(map, NAMES.get(i), i);
        }
        for (Object[] alias : ALIASES) {
            put(map, (String) alias[1], (Integer) alias[0]);
        }
        return Map.copyOf(map);
    }

    private static void put(Map<String, Integer> map, String name, int index) {
        Integer previous = map.putIfAbsent(key(name), index);
        if (previous != null && previous != index) {
            throw new IllegalStateException("feature name " + name + " is ambiguous");
        }
    }

    /** The matching key of a header name: lower case, without spaces and underscores. */
    static String key(String name) {
        StringBuilder sb = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!Character.isWhitespace(c) && c != '_' && c != '\uFEFF') {
                sb.append(c);
            }
        }
        return sb.toString().toLowerCase(Locale.ROOT);
    }

    /**
     * The canonical index (0..77) of a feature named in any supported dialect, or -1 when the
     * name is not a flow feature. Case, spaces and underscores are ignored.
     */
    public static int indexOf(String anyDialectName) {
        if (anyDialectName == null) {
            return -1;
        }
        Integer i = BY_KEY.get(key(anyDialectName));
        return i == null ? -1 : i;
    }

    /** The canonical name of feature {@code index}. */
    public static String name(int index) {
        return NAMES.get(index);
    }
}
