package io.anomalyze.web;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.anomalyze.InvalidInputException;
import io.anomalyze.Json;
import java.io.CharConversionException;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads a JSON request body within limits: its size, the values in
 * one array or object and in all, and strictness (no repeated key, nothing after the value). A
 * body over a limit is refused while it is read, before it is expanded in memory.
 */
final class JsonBody {

    private static final JsonFactory FACTORY = Json.MAPPER.getFactory().copy()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private static final JsonNodeFactory NODES = Json.MAPPER.getNodeFactory();

    private final JsonParser parser;
    /** Most values in one array: the records of a request, or the values of one record. */
    private final int maxArrayValues;
    /** Most fields in one object: a flow named field by field, with room for the other fields of a log event. */
    private final int maxObjectFields;
    /** Most values in a body: the most records, each of 128 values. */
    private final long maxValues;
    private long values;

    private JsonBody(JsonParser parser, WebLimits limits) {
        this.parser = parser;
        this.maxArrayValues = limits.maxPredictRecords();
        this.maxObjectFields = limits.maxJsonFields();
        this.maxValues = 128L * limits.maxPredictRecords();
    }

    /**
     * Bodies up to this size whose length is announced are read whole and parsed from memory,
     * which is cheaper than parsing from the stream for the usual request of a record or a few.
     */
    private static final int SMALL_BODY = 64 << 10;

    /**
     * The body as JSON, null when empty; 413, 408 or 400 naming the limit or the fault.
     * {@code contentLength} is the announced length, -1 when none was.
     */
    static JsonNode read(InputStream in, long contentLength, WebLimits limits) throws IOException {
        try (JsonParser p = contentLength > 0 && contentLength <= Math.min(SMALL_BODY, limits.maxJsonBytes())
                ? FACTORY.createParser(in.readNBytes((int) contentLength))
                : FACTORY.createParser(new Bounded(in, limits.maxJsonBytes()))) {
            JsonBody body = new JsonBody(p, limits);
            if (p.nextToken() == null) {
                return null;
            }
            JsonNode root = body.value("the body");
            JsonToken after = nextOrNull(p);
            if (after != null) {
                throw new InvalidInputException("the body is not valid JSON: there is more after its value (line "
                        + p.currentLocation().getLineNr() + ", column " + p.currentLocation().getColumnNr() + ")");
            }
            return root;
        } catch (JsonParseException e) {
            throw new InvalidInputException("the body is not valid JSON: " + e.getOriginalMessage() + " (line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")");
        } catch (JsonProcessingException e) {
            // Jackson's own limits: nesting deeper than 1000 levels, numbers longer than 1000 digits.
            throw InvalidInputException.limit("the body is not accepted: " + e.getOriginalMessage().replaceAll(", from `[^`]*`\\)", ")"));
        } catch (CharConversionException e) {
            throw new InvalidInputException("the body is not valid JSON text: " + e.getMessage() + "; send UTF-8");
        }
    }

    private static JsonToken nextOrNull(JsonParser p) throws IOException {
        try {
            return p.nextToken();
        } catch (JsonParseException e) {
            return JsonToken.NOT_AVAILABLE;
        }
    }

    /** The body as it arrives, refused past {@code maxBytes} (the time it may take is kept by {@link BodyPace}). */
    private static final class Bounded extends java.io.FilterInputStream {
        private final long maxBytes;
        private long read;

        Bounded(InputStream in, long maxBytes) {
            super(in);
            this.maxBytes = maxBytes;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                read += n;
                if (read > maxBytes) {
                    throw InvalidInputException.limit("the body is larger than the limit of " + (maxBytes >> 20)
                            + " MB (--max-json-mb / ANOMALYZE_MAX_JSON_MB)");
                }
            }
            return n;
        }
    }

    private JsonNode value(String where) throws IOException {
        if (++values > maxValues) {
            throw InvalidInputException.limit("the body holds more than " + maxValues + " values, over the limit per request"
                    + " (128 per record of --max-predict-records / ANOMALYZE_MAX_PREDICT_RECORDS)");
        }
        JsonToken t = parser.currentToken();
        return switch (t) {
            case START_ARRAY -> array(where);
            case START_OBJECT -> object(where);
            case VALUE_STRING -> NODES.textNode(parser.getText());
            case VALUE_NUMBER_INT -> switch (parser.getNumberType()) {
                case INT -> NODES.numberNode(parser.getIntValue());
                case LONG -> NODES.numberNode(parser.getLongValue());
                default -> NODES.numberNode(parser.getBigIntegerValue());
            };
            case VALUE_NUMBER_FLOAT -> NODES.numberNode(parser.getDoubleValue());
            case VALUE_TRUE -> NODES.booleanNode(true);
            case VALUE_FALSE -> NODES.booleanNode(false);
            case VALUE_NULL -> NODES.nullNode();
            default -> throw new InvalidInputException("the body is not valid JSON: unexpected " + t);
        };
    }

    private ArrayNode array(String where) throws IOException {
        ArrayNode a = NODES.arrayNode();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            if (a.size() >= maxArrayValues) {
                throw InvalidInputException.limit(where + " holds more than " + maxArrayValues + " values, over the limit of one array"
                        + " (--max-predict-records / ANOMALYZE_MAX_PREDICT_RECORDS)");
            }
            a.add(value(where));
        }
        return a;
    }

    private ObjectNode object(String where) throws IOException {
        ObjectNode o = NODES.objectNode();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            if (o.size() >= maxObjectFields) {
                throw InvalidInputException.limit(where + " holds more than " + maxObjectFields + " fields, over the limit of one object"
                        + " (--max-json-fields / ANOMALYZE_MAX_JSON_FIELDS)");
            }
            String name = parser.currentName();
            parser.nextToken();
            o.set(name, value("\"" + clip(name) + "\""));
        }
        return o;
    }

    private static String clip(String name) {
        String n = name.replaceAll("\\p{Cc}", "?");
        return n.length() > 60 ? n.substring(0, 60) + "..." : n;
    }
}
