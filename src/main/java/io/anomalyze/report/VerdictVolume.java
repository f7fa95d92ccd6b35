package io.anomalyze.report;

import io.anomalyze.detect.Verdict;
import io.anomalyze.read.connection.ConnectionLayout;
import io.anomalyze.read.flow.FlowFeatures;

/** Bytes and packets of a record, from the feature texts its verdict carries, for ECS's network fields. */
public final class VerdictVolume {

    private static final int FWD_BYTES = FlowFeatures.indexOf("Total Length of Fwd Packets");
    private static final int BWD_BYTES = FlowFeatures.indexOf("Total Length of Bwd Packets");
    private static final int FWD_PACKETS = FlowFeatures.indexOf("Total Fwd Packets");
    private static final int BWD_PACKETS = FlowFeatures.indexOf("Total Backward Packets");
    private static final int SRC_BYTES = ConnectionLayout.FEATURES.indexOf("src_bytes");
    private static final int DST_BYTES = ConnectionLayout.FEATURES.indexOf("dst_bytes");

    private VerdictVolume() {
    }

    /** Both directions together; unknown (-1) where the verdict carries no feature texts. */
    public static EcsAlertWriter.Volume of(Verdict v) {
        String[] f = v.features();
        if (f == null) {
            return EcsAlertWriter.Volume.UNKNOWN;
        }
        if (f.length == FlowFeatures.COUNT) {
            return new EcsAlertWriter.Volume(sum(f[FWD_BYTES], f[BWD_BYTES]), sum(f[FWD_PACKETS], f[BWD_PACKETS]));
        }
        if (f.length >= ConnectionLayout.FEATURE_COUNT) {
            return new EcsAlertWriter.Volume(sum(f[SRC_BYTES], f[DST_BYTES]), -1);
        }
        return EcsAlertWriter.Volume.UNKNOWN;
    }

    private static long sum(String a, String b) {
        try {
            double x = Double.parseDouble(a) + Double.parseDouble(b);
            return Double.isFinite(x) && x >= 0 ? (long) x : -1;
        } catch (NumberFormatException | NullPointerException e) {
            return -1;
        }
    }
}
