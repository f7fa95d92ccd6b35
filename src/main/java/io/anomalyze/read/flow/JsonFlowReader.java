package io.anomalyze.read.flow;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a flow given as one JSON object of named fields, the shape of {@code /predict}'s
 * {@code log} and of the events Logstash, Filebeat and Vector ship: flow features in any
 * dialect {@link FlowFeatures#indexOf} knows, plus the flow's identity (Flow ID, addresses,
 * ports, protocol, start time) and its label when it has one. Nested objects are read by their
 * dotted path, so Elastic Common Schema events ({@code {"source": {"ip": ...}}}) work too.
 *
 * <p>Values are read as in files: a feature missing from the object is 0, a number in a string
 * is a number, Infinity, NaN, null and empty strings are 0, and {@code Fwd Header Length.1}
 * defaults to {@code Fwd Header Length}. Other fields are ignored. Each record is read
 * straight into the batch's arrays: by {@link JsonFlowScanner} from its bytes when it is plain
 * JSON (nearly every record a sensor sends), else by Jackson's parser, which also words the
 * reason a record is refused; field names are looked up once per distinct name.
 */
public final class JsonFlowReader {

    static final int IGNORED = -1;
    static final int FLOW_ID = -2;
    static final int SOURCE_IP = -3;
    static final int DESTINATION_IP = -4;
    static final int SOURCE_PORT = -5;
    static final int PROTOCOL = -6;
    static final int TRANSPORT = -7;
    static final int START = -8;
    static final int END = -9;
    static final int LABEL = -10;
    /** Distinct field names remembered; past this, names are looked up each time. */
    private static final int MAX_REMEMBERED_NAMES = 10_000;
    private static final int MAX_DEPTH = 8;
    private static final DateTimeFormatter[] LOCAL_TIMES = {
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss[.SSSSSS][.SSS]", Locale.ROOT),
            DateTimeFormatter.ofPattern("dd/MM/yyyy HH:mm[:ss]", Locale.ROOT),
            DateTimeFormatter.ofPattern("dd/MM/yyyy hh:mm:ss a", Locale.ROOT),
    };

    private static final Map<String, Integer> IDENTITY_KEYS = Map.ofEntries(
            Map.entry("flowid", FLOW_ID), Map.entry("flow.id", FLOW_ID),
            Map.entry("srcip", SOURCE_IP), Map.entry("sourceip", SOURCE_IP), Map.entry("source.ip", SOURCE_IP),
            Map.entry("source.address", SOURCE_IP), Map.entry("srcaddr", SOURCE_IP),
            Map.entry("dstip", DESTINATION_IP), Map.entry("destinationip", DESTINATION_IP),
            Map.entry("destination.ip", DESTINATION_IP), Map.entry("destination.address", DESTINATION_IP),
            Map.entry("dstaddr", DESTINATION_IP),
            Map.entry("srcport", SOURCE_PORT), Map.entry("sourceport", SOURCE_PORT), Map.entry("source.port", SOURCE_PORT),
            Map.entry("destination.port", 0),
            Map.entry("protocol", PROTOCOL), Map.entry("network.iananumber", PROTOCOL),
            Map.entry("network.transport", TRANSPORT),
            Map.entry("timestamp", START), Map.entry("@timestamp", START), Map.entry("event.start", START),
            Map.entry("flowstarttime", START), Map.entry("event.end", END),
            Map.entry("label", LABEL));

    private final JsonFactory factory;
    private final Map<String, Integer> slots = new HashMap<>();
    /** The field name that gave each feature of the record being read, or null. */
    final String[] namedBy = new String[FlowFeatures.COUNT];
    private final StringBuilder path = new StringBuilder(64);
    /** Reads the plain records that make nearly all of a stream; null to read every record with Jackson's parser. */
    private final JsonFlowScanner scanner;
    private String problem;
    private String lastStartText;
    private long lastStartMicros;

    public JsonFlowReader() {
        this(true);
    }

    /** @param scan whether plain records are read by {@link JsonFlowScanner} (the tests compare both ways) */
    JsonFlowReader(boolean scan) {
        this.scanner = scan ? new JsonFlowScanner(this, MAX_REMEMBERED_NAMES, MAX_DEPTH) : null;
        this.factory = JsonFactory.builder()
                // Correctly rounded like Double.parseDouble, so values equal a file's, only faster.
                .enable(com.fasterxml.jackson.core.StreamReadFeature.USE_FAST_DOUBLE_PARSER)
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH * 2).build())
                .build();
    }

    /**
     * Appends the flow held in {@code bytes[offset, offset + length)} to {@code batch}, which
     * must have room.
     *
     * @param line the record's position, kept as the verdict's line
     * @return null when the flow was appended, else why the bytes are not a flow record
     */
    public String read(byte[] bytes, int offset, int length, FlowBatch batch, long line) {
        int row = batch.size;
        clear(batch, row);
        if (scanner == null || !scanner.scan(bytes, offset, length, batch, row)) {
            // Not the plain shape the scanner reads: the full parser reads it, or says why not.
            clear(batch, row);
            String problem = parse(bytes, offset, length, batch, row);
            if (problem != null) {
                return problem;
            }
        }
        int base = row * FlowFeatures.COUNT;
        boolean any = false;
        for (String name : namedBy) {
            any |= name != null;
        }
        if (!any) {
            return "names none of the 78 flow features (such as \"" + FlowFeatures.name(0)
                    + "\", \"Flow Duration\" or \"Dst Port\")";
        }
        float[] f = batch.features;
        if (namedBy[FlowFeatures.FWD_HEADER_LENGTH_COPY] == null) {
            f[base + FlowFeatures.FWD_HEADER_LENGTH_COPY] = f[base + FlowFeatures.FWD_HEADER_LENGTH];
        }
        if (namedBy[0] != null) {
            batch.dstPort[row] = (int) f[base];
        }
        if (batch.startMicros[row] != FlowBatch.NO_TIME && batch.endMicros[row] == FlowBatch.NO_TIME && namedBy[1] != null) {
            // Flow Duration is in microseconds.
            batch.endMicros[row] = batch.startMicros[row] + (long) f[base + 1];
        }
        batch.line[row] = line;
        batch.size++;
        return null;
    }

    private void clear(FlowBatch batch, int row) {
        int base = row * FlowFeatures.COUNT;
        Arrays.fill(batch.features, base, base + FlowFeatures.COUNT, 0f);
        Arrays.fill(namedBy, null);
        batch.clearIdentity(row);
        batch.label[row] = null;
    }

    /** Reads the record with Jackson's parser; null when read, else why the bytes are not a flow record. */
    private String parse(byte[] bytes, int offset, int length, FlowBatch batch, int row) {
        problem = null;
        try (JsonParser p = factory.createParser(bytes, offset, length)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return "not a JSON object of flow fields";
            }
            path.setLength(0);
            if (!readObject(p, batch, row, 0)) {
                return problem;
            }
            if (p.nextToken() != null) {
                return "more than one JSON value in the record";
            }
        } catch (IOException e) {
            String message = e.getMessage() == null ? e.toString() : e.getMessage();
            int cut = message.indexOf('\n');
            return "not valid JSON (" + (cut > 0 ? message.substring(0, cut) : message) + ")";
        }
        return null;
    }

    /** Reads the fields of the object whose START_OBJECT was just read; false with {@link #problem} set on bad input. */
    private boolean readObject(JsonParser p, FlowBatch batch, int row, int depth) throws IOException {
        int pathLength = path.length();
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            if (value == JsonToken.START_OBJECT) {
                if (depth >= MAX_DEPTH) {
                    p.skipChildren();
                    continue;
                }
                path.setLength(pathLength);
                path.append(name).append('.');
                if (!readObject(p, batch, row, depth + 1)) {
                    return false;
                }
                path.setLength(pathLength);
                continue;
            }
            String key = name;
            if (pathLength > 0) {
                path.setLength(pathLength);
                key = path.append(name).toString();
                path.setLength(pathLength);
            }
            int slot = slot(key);
            if (slot == IGNORED) {
                p.skipChildren();
                continue;
            }
            if (value == JsonToken.START_ARRAY) {
                problem = "field \"" + key + "\": expected a single value, found an array";
                return false;
            }
            if (slot >= 0) {
                if (namedBy[slot] != null) {
                    problem = "\"" + namedBy[slot] + "\" and \"" + key + "\" both name the flow feature "
                            + FlowFeatures.name(slot) + "; send it once";
                    return false;
                }
                namedBy[slot] = key;
                double v = number(p, value, key, slot);
                if (problem != null) {
                    return false;
                }
                batch.features[row * FlowFeatures.COUNT + slot] = (float) v;
            } else if (value != JsonToken.VALUE_NULL) {
                boolean isNumber = value == JsonToken.VALUE_NUMBER_INT || value == JsonToken.VALUE_NUMBER_FLOAT;
                identity(slot, p.getText(), isNumber, isNumber ? p.getDoubleValue() : 0, batch, row);
            }
        }
        if (t != JsonToken.END_OBJECT) {
            problem = "not valid JSON (an object field name was expected)";
            return false;
        }
        return true;
    }

    /** The feature index or identity slot a field name (dotted path) names. */
    int slot(String key) {
        Integer known = slots.get(key);
        if (known != null) {
            return known;
        }
        int slot = FlowFeatures.indexOf(key);
        if (slot < 0) {
            Integer id = IDENTITY_KEYS.get(FlowFeatures.key(key));
            slot = id == null ? IGNORED : id;
        }
        if (slots.size() < MAX_REMEMBERED_NAMES) {
            slots.put(key, slot);
        }
        return slot;
    }

    /** A feature value: a number, or a string holding one (Infinity and NaN are 0, as in files). */
    private double number(JsonParser p, JsonToken value, String key, int feature) throws IOException {
        switch (value) {
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                double d = p.getDoubleValue();
                return Double.isFinite(d) ? d : 0;
            }
            case VALUE_NULL -> {
                return 0;
            }
            case VALUE_STRING -> {
                String t = p.getText().strip();
                try {
                    return FlowFeatures.parseValue(t);
                } catch (NumberFormatException e) {
                    problem = "field \"" + key + "\" (" + FlowFeatures.name(feature) + "): not a number: \"" + (t.length() > 40 ? t.substring(0, 40) + "..." : t) + "\"";
                    return 0;
                }
            }
            default -> {
                problem = "field \"" + key + "\": expected a number, found " + (value == JsonToken.VALUE_TRUE || value == JsonToken.VALUE_FALSE
                        ? "a boolean" : value.name().toLowerCase(Locale.ROOT));
                return 0;
            }
        }
    }

    /** A feature value given as a string, by {@link FlowFeatures#parseValue}; NaN when the text is not a number. */
    static double numberText(String text) {
        try {
            return FlowFeatures.parseValue(text);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /**
     * An identity field's value: its text, and for a number token its value. Values that cannot
     * be understood are left unknown rather than refused.
     */
    boolean identity(int slot, String text, boolean isNumber, double number, FlowBatch batch, int row) {
        switch (slot) {
            case FLOW_ID -> batch.flowId[row] = text;
            case SOURCE_IP -> batch.srcAddress[row] = text;
            case DESTINATION_IP -> batch.dstAddress[row] = text;
            case SOURCE_PORT -> batch.srcPort[row] = port(text);
            case PROTOCOL -> {
                int n = FlowBatch.protocolNumber(text);
                if (n != FlowBatch.UNKNOWN) {
                    batch.protocol[row] = n;
                }
            }
            case TRANSPORT -> {
                if (batch.protocol[row] == FlowBatch.UNKNOWN) {
                    batch.protocol[row] = FlowBatch.protocolNumber(text);
                }
            }
            case START -> {
                if (isNumber) {
                    batch.startMicros[row] = micros(true, number, text);
                } else {
                    // Senders repeat one timestamp for many flows: parse each text once.
                    if (!text.equals(lastStartText)) {
                        lastStartText = text;
                        lastStartMicros = micros(false, 0, text);
                    }
                    batch.startMicros[row] = lastStartMicros;
                }
            }
            case END -> batch.endMicros[row] = micros(isNumber, number, text);
            case LABEL -> batch.label[row] = FlowLabels.normalise(text);
            default -> {
            }
        }
        return true;
    }

    private static int port(String text) {
        try {
            int port = Integer.parseInt(text.strip());
            return port >= 0 && port <= 65535 ? port : FlowBatch.UNKNOWN;
        } catch (NumberFormatException e) {
            return FlowBatch.UNKNOWN;
        }
    }

    /**
     * Microseconds since 1970 from ISO-8601 text, CICFlowMeter's timestamp forms (read as UTC),
     * or a number of epoch seconds or milliseconds; {@link FlowBatch#NO_TIME} when not understood.
     */
    static long micros(boolean isNumber, double v, String text) {
        if (isNumber) {
            // Below 1e11 a number is seconds (1e11 s is the year 5138), else milliseconds.
            return v < 1e11 ? (long) (v * 1e6) : (long) (v * 1e3);
        }
        String t = text.strip();
        try {
            Instant i = Instant.parse(t);
            return i.getEpochSecond() * 1_000_000L + i.getNano() / 1000;
        } catch (DateTimeParseException e) {
            // Not an instant with a zone: try the local forms below.
        }
        for (DateTimeFormatter f : LOCAL_TIMES) {
            try {
                Instant i = LocalDateTime.parse(t, f).toInstant(ZoneOffset.UTC);
                return i.getEpochSecond() * 1_000_000L + i.getNano() / 1000;
            } catch (DateTimeParseException e) {
                // Next form.
            }
        }
        try {
            Instant i = LocalDateTime.parse(t).toInstant(ZoneOffset.UTC);
            return i.getEpochSecond() * 1_000_000L + i.getNano() / 1000;
        } catch (DateTimeParseException e) {
            return FlowBatch.NO_TIME;
        }
    }
}
