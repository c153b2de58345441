package dev.vitrine.server;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Turns the body of {@code POST /v1/artifacts/{id}/stream} into text as its bytes arrive, so
 * each network read can become an event at once. Two formats: {@code text/plain} (UTF-8, the
 * model's output as it comes) and {@code application/x-ndjson} (lines {@code {"delta":"…"}},
 * optionally ending with {@code {"done":true}}), for backends that hold deltas already. Bad
 * input is an {@link ApiException} naming where it is, thrown after the valid text before it
 * was handed on. Not thread-safe: one reader at a time.
 *
 * <pre>{@code
 * StreamBody body = StreamBody.forContentType("application/x-ndjson", json);
 * body.accept(ByteBuffer.wrap("{\"delta\":\"<h1>\"}\n{\"del".getBytes(UTF_8)), text::append); // "<h1>"
 * body.accept(ByteBuffer.wrap("ta\":\"Hi\"}\n".getBytes(UTF_8)), text::append);             // "Hi"
 * body.finish(text::append);                                                               // nothing
 * }</pre>
 */
abstract sealed class StreamBody {
    static final String TEXT = "text/plain";
    static final String NDJSON = "application/x-ndjson";

    /**
     * The decoder for a request's {@code Content-Type}.
     *
     * @throws ApiException 415 for another type, or a charset other than UTF-8
     */
    static StreamBody forContentType(String contentType, JsonCodec json) {
        String expected = TEXT + "; charset=utf-8 or " + NDJSON;
        if (contentType == null) {
            throw ApiException.unsupportedMediaType(expected + " (the Content-Type header is missing)");
        }
        String[] parts = contentType.split(";");
        String mediaType = parts[0].strip().toLowerCase(Locale.ROOT);
        for (int i = 1; i < parts.length; i++) {
            String parameter = parts[i].strip().toLowerCase(Locale.ROOT).replace("\"", "");
            if (parameter.startsWith("charset=") && !parameter.equals("charset=utf-8")) {
                throw ApiException.unsupportedMediaType(expected + ", in UTF-8");
            }
        }
        return switch (mediaType) {
            case TEXT -> new PlainText();
            case NDJSON -> new Ndjson(json);
            default -> throw ApiException.unsupportedMediaType(expected);
        };
    }

    /** {@code text} or {@code ndjson}, as the {@code start} event names it. */
    abstract String format();

    /**
     * Decodes bytes just received and hands on the text they complete (nothing, or one or more
     * pieces), including the valid text before an error.
     *
     * @throws ApiException 400 {@code invalid_utf8}, {@code malformed_ndjson} or {@code invalid_text}
     */
    abstract void accept(ByteBuffer bytes, Consumer<String> text);

    /**
     * The body ended: hands on the text that was waiting for more bytes.
     *
     * @throws ApiException 400 if the body ends inside a character or with an invalid last line
     */
    abstract void finish(Consumer<String> text);

    /** True once the body said it is complete ({@code {"done":true}}); later bytes may only be blank lines. */
    boolean done() {
        return false;
    }

    private static ApiException invalidUtf8(String where) {
        return ApiException.badRequest("invalid_utf8", "the stream is not valid UTF-8 " + where
                + "; the text before it was kept as a partial version");
    }

    /** UTF-8 text, decoded strictly; a character split between two reads waits for the rest. */
    static final class PlainText extends StreamBody {
        private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        /** The start of a character whose other bytes have not arrived: at most three bytes. */
        private final ByteBuffer carry = ByteBuffer.allocate(4);
        private long consumed;

        @Override
        String format() {
            return "text";
        }

        @Override
        void accept(ByteBuffer bytes, Consumer<String> text) {
            ByteBuffer in = bytes;
            if (carry.position() > 0) {
                carry.flip();
                in = ByteBuffer.allocate(carry.remaining() + bytes.remaining()).put(carry).put(bytes).flip();
                carry.clear();
            }
            // UTF-8 never gives more UTF-16 code units than it has bytes.
            CharBuffer out = CharBuffer.allocate(in.remaining());
            CoderResult result = decoder.decode(in, out, false);
            text.accept(out.flip().toString());
            if (result.isError()) {
                throw invalidUtf8("at byte " + (consumed + in.position()));
            }
            consumed += in.position();
            carry.put(in);
        }

        @Override
        void finish(Consumer<String> text) {
            carry.flip();
            CharBuffer out = CharBuffer.allocate(8);
            if (decoder.decode(carry, out, true).isError() || decoder.flush(out).isError()) {
                throw invalidUtf8("at its end, where a character is cut off at byte " + consumed);
            }
            text.accept(out.flip().toString());
        }
    }

    /** Lines of JSON, each {@code {"delta":"…"}} or a final {@code {"done":true}}, parsed as strictly as API bodies. */
    static final class Ndjson extends StreamBody {
        record Line(String delta, Boolean done) {
        }

        private final JsonCodec json;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();
        private int lineNumber;
        private boolean done;
        /** A high surrogate ending the deltas so far, waiting for its low half in the next delta. */
        private String pendingHigh = "";

        Ndjson(JsonCodec json) {
            this.json = json;
        }

        @Override
        String format() {
            return "ndjson";
        }

        @Override
        boolean done() {
            return done;
        }

        @Override
        void accept(ByteBuffer bytes, Consumer<String> text) {
            while (bytes.hasRemaining()) {
                byte b = bytes.get();
                if (b == '\n') {
                    byte[] complete = line.toByteArray();
                    line.reset();
                    text.accept(surrogatesChecked(line(complete)));
                } else {
                    line.write(b);
                }
            }
        }

        @Override
        void finish(Consumer<String> text) {
            if (line.size() > 0) {
                byte[] last = line.toByteArray();
                line.reset();
                text.accept(surrogatesChecked(line(last)));
            }
            if (!pendingHigh.isEmpty()) {
                throw loneSurrogate();
            }
        }

        private String line(byte[] bytes) {
            lineNumber++;
            int length = bytes.length;
            if (length > 0 && bytes[length - 1] == '\r') {
                length--;
            }
            boolean blank = true;
            for (int i = 0; i < length && blank; i++) {
                blank = bytes[i] == ' ' || bytes[i] == '\t';
            }
            if (blank) {
                return "";
            }
            if (done) {
                throw malformed("line " + lineNumber + " comes after {\"done\":true}, which must be the last line");
            }
            Line parsed;
            try {
                parsed = json.decode(length == bytes.length ? bytes : java.util.Arrays.copyOf(bytes, length), Line.class);
            } catch (ApiException e) {
                if (e.code().equals("invalid_utf8")) {
                    throw invalidUtf8("on line " + lineNumber);
                }
                throw malformed("line " + lineNumber + ": " + e.getMessage());
            }
            if (parsed.delta() != null && parsed.done() != null) {
                throw malformed("line " + lineNumber + " has both 'delta' and 'done'; send one per line");
            }
            if (parsed.done() != null) {
                if (!parsed.done()) {
                    throw malformed("line " + lineNumber + ": 'done' can only be true; leave it out until the end");
                }
                done = true;
                return "";
            }
            if (parsed.delta() == null) {
                throw malformed("line " + lineNumber + " has neither 'delta' nor 'done'");
            }
            return parsed.delta();
        }

        private String surrogatesChecked(String text) {
            String joined = pendingHigh + text;
            pendingHigh = "";
            if (!joined.isEmpty() && Character.isHighSurrogate(joined.charAt(joined.length() - 1))) {
                pendingHigh = joined.substring(joined.length() - 1);
                joined = joined.substring(0, joined.length() - 1);
            }
            if (JsonCodec.hasLoneSurrogate(joined)) {
                throw loneSurrogate();
            }
            return joined;
        }

        private ApiException loneSurrogate() {
            return ApiException.badRequest("invalid_text", "a delta up to line " + lineNumber
                    + " holds a lone UTF-16 surrogate (\\ud800-\\udfff) that UTF-8 cannot store");
        }

        private static ApiException malformed(String message) {
            return ApiException.badRequest("malformed_ndjson", message
                    + "; each line must be {\"delta\":\"…\"}, optionally ending with {\"done\":true}");
        }
    }
}
