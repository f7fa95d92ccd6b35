package io.anomalyze.analysis;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.anomalyze.Json;
import io.anomalyze.detect.Severity;

/** A {@link Timeline.Result} as stored and served: bucket start and width in microseconds, counts per severity. */
public final class TimelineJson {

    private TimelineJson() {
    }

    /** The JSON form, or null for no timeline. */
    public static ObjectNode of(Timeline.Result r) {
        if (r == null) {
            return null;
        }
        ObjectNode o = Json.object();
        o.put("startMicros", r.startMicros());
        o.put("bucketMicros", r.widthMicros());
        o.put("records", r.records());
        ArrayNode severities = o.putArray("severities");
        for (Severity s : Severity.values()) {
            severities.add(s.label());
        }
        ArrayNode buckets = o.putArray("counts");
        for (long[] bucket : r.counts()) {
            ArrayNode b = buckets.addArray();
            for (long n : bucket) {
                b.add(n);
            }
        }
        return o;
    }
}
