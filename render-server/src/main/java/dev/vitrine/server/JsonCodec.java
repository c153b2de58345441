package dev.vitrine.server;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Reads API request bodies and writes API responses. A body is accepted only when it is
 * declared JSON, fits the size limit, is valid UTF-8 and parses strictly (no unknown
 * fields, no duplicate keys, no numbers standing in for strings, nothing after the value);
 * each failure is its own error code, so a client can tell what to fix.
 */
final class JsonCodec {
    private static final String JSON = "application/json";

    private final ObjectMapper mapper = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .withCoercionConfig(LogicalType.Textual, config -> config
                    .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .build();
    private final DataSize limit;

    JsonCodec(DataSize limit) {
        this.limit = limit;
    }

    /** The largest body {@link #read} accepts. */
    DataSize limit() {
        return limit;
    }

    /** Reads the body of a blocking exchange as {@code type}; throws {@link ApiException} on bad input. */
    <T> T read(HttpServerExchange exchange, Class<T> type) {
        requireJsonContentType(exchange);
        return decode(readLimited(exchange), type);
    }

    /**
     * Decodes a body that passed the type and size checks: never null, or an {@link ApiException}
     * with a 400 and its code.
     */
    <T> T decode(byte[] body, Class<T> type) {
        String text = decodeUtf8(body);
        if (text.isBlank()) {
            throw ApiException.badRequest("malformed_json", "the request body is empty; send a JSON object");
        }
        try {
            T value = mapper.readValue(text, type);
            if (value == null) {
                // Jackson reads a bare "null" as no object rather than as a type mismatch.
                throw ApiException.badRequest("invalid_field", "the body has the wrong JSON type; send a JSON object");
            }
            return value;
        } catch (UnrecognizedPropertyException e) {
            throw ApiException.badRequest("unknown_field", "unknown field '" + e.getPropertyName()
                    + "'; known fields: " + e.getKnownPropertyIds());
        } catch (MismatchedInputException e) {
            String field = e.getPath().isEmpty() ? "the body" : "field '" + e.getPath().get(0).getFieldName() + "'";
            throw ApiException.badRequest("invalid_field", field + " has the wrong JSON type");
        } catch (JsonProcessingException e) {
            var location = e.getLocation();
            String where = location == null ? "" : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
            throw ApiException.badRequest("malformed_json", "the body is not valid JSON" + where + ": " + e.getOriginalMessage());
        }
    }

    byte[] write(Object value) {
        try {
            return mapper.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }

    void send(HttpServerExchange exchange, int status, Object value) {
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json; charset=utf-8");
        exchange.getResponseSender().send(ByteBuffer.wrap(write(value)));
    }

    private static void requireJsonContentType(HttpServerExchange exchange) {
        String contentType = exchange.getRequestHeaders().getFirst(Headers.CONTENT_TYPE);
        if (contentType == null) {
            throw ApiException.unsupportedMediaType(JSON + " (the Content-Type header is missing)");
        }
        String[] parts = contentType.split(";");
        String mediaType = parts[0].strip().toLowerCase(Locale.ROOT);
        if (!mediaType.equals(JSON)) {
            throw ApiException.unsupportedMediaType(JSON);
        }
        for (int i = 1; i < parts.length; i++) {
            String parameter = parts[i].strip().toLowerCase(Locale.ROOT).replace("\"", "");
            if (parameter.startsWith("charset=") && !parameter.equals("charset=utf-8")) {
                throw ApiException.unsupportedMediaType(JSON + " in UTF-8");
            }
        }
    }

    private byte[] readLimited(HttpServerExchange exchange) {
        long declared = exchange.getRequestContentLength();
        if (declared > limit.bytes()) {
            throw ApiException.payloadTooLarge(limit);
        }
        try (InputStream in = exchange.getInputStream()) {
            byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit.bytes() + 1));
            if (body.length > limit.bytes()) {
                throw ApiException.payloadTooLarge(limit);
            }
            return body;
        } catch (IOException e) {
            throw ApiException.badRequest("body_unreadable", "the request body could not be read: the client stopped sending");
        }
    }

    /** Decodes {@code body} as strict UTF-8; throws 400 {@code invalid_utf8} on a malformed byte sequence. */
    static String decodeUtf8(byte[] body) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body))
                    .toString();
        } catch (CharacterCodingException e) {
            throw ApiException.badRequest("invalid_utf8", "the request body is not valid UTF-8");
        }
    }

    /** True when the text holds a lone surrogate, which UTF-8 cannot store without changing it. */
    static boolean hasLoneSurrogate(CharSequence text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                    continue;
                }
                return true;
            }
            if (Character.isLowSurrogate(c)) {
                return true;
            }
        }
        return false;
    }
}
