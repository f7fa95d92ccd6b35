package io.anomalyze;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/**
 * Reads JSON documents (model files and their sidecars) into trees with Jackson's streaming
 * parser alone. Setting up the full {@link Json#MAPPER} costs about 0.15 s on a cold JVM,
 * which every {@code evaluate} or {@code score} run would otherwise pay before its first
 * record. Numbers go through Jackson's fast double parser, which rounds exactly as
 * {@link Double#parseDouble} does. Nesting depth is bounded by the parser's own limit (1,000).
 */
public final class JsonDocuments {

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            .build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private JsonDocuments() {
    }

    /**
     * The one JSON value in {@code bytes}.
     *
     * @throws com.fasterxml.jackson.core.JacksonException if the bytes are not exactly one JSON value;
     *         its message names the line and column
     */
    public static JsonNode read(byte[] bytes) throws IOException {
        try (JsonParser parser = FACTORY.createParser(bytes)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new JsonParseException(parser, "no JSON value (the file is empty)");
            }
            JsonNode root = value(parser, first);
            if (parser.nextToken() != null) {
                throw new JsonParseException(parser, "more content after the end of the JSON value");
            }
            return root;
        }
    }

    /** A parse problem in words, with the line and column where it was found. */
    public static String describe(com.fasterxml.jackson.core.JacksonException e) {
        com.fasterxml.jackson.core.JsonLocation at = e.getLocation();
        return at == null || at.getLineNr() < 1 ? e.getOriginalMessage()
                : e.getOriginalMessage() + ", line " + at.getLineNr() + ", column " + at.getColumnNr();
    }

    private static JsonNode value(JsonParser parser, JsonToken token) throws IOException {
        switch (token) {
            case START_OBJECT: {
                ObjectNode object = NODES.objectNode();
                String name;
                while ((name = parser.nextFieldName()) != null) {
                    object.set(name, value(parser, parser.nextToken()));
                }
                return object;
            }
            case START_ARRAY: {
                ArrayNode array = NODES.arrayNode();
                JsonToken next;
                while ((next = parser.nextToken()) != JsonToken.END_ARRAY) {
                    array.add(value(parser, next));
                }
                return array;
            }
            case VALUE_NUMBER_FLOAT:
                return NODES.numberNode(parser.getDoubleValue());
            case VALUE_NUMBER_INT:
                return switch (parser.getNumberType()) {
                    case INT -> NODES.numberNode(parser.getIntValue());
                    case LONG -> NODES.numberNode(parser.getLongValue());
                    default -> NODES.numberNode(parser.getBigIntegerValue());
                };
            case VALUE_STRING:
                return NODES.textNode(parser.getText());
            case VALUE_TRUE:
                return NODES.booleanNode(true);
            case VALUE_FALSE:
                return NODES.booleanNode(false);
            case VALUE_NULL:
                return NODES.nullNode();
            default:
                throw new JsonParseException(parser, "unexpected " + token);
        }
    }
}
