package dev.vitrine.browser;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * One persistent HTTP/1.1 connection that sends a request and reads its answer on the
 * calling thread. The benchmark uses it instead of {@code java.net.http.HttpClient}, whose
 * hand-offs between its selector and caller threads cost more than the server's whole
 * storage call on two cores: the figures should describe the server, not the load generator.
 * Understands exactly what Vitrine answers with: a status line, headers and a
 * {@code Content-Length} body.
 */
final class KeepAliveClient implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;
    private final String host;

    KeepAliveClient(URI origin) throws IOException {
        this.socket = new Socket(origin.getHost(), origin.getPort());
        socket.setTcpNoDelay(true);
        this.out = socket.getOutputStream();
        this.in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
        this.host = origin.getHost() + ":" + origin.getPort();
    }

    /** Sends one request and returns the response body; a status other than 200 throws. */
    byte[] exchange(String method, String path, String bearer, byte[] json) throws IOException {
        StringBuilder head = new StringBuilder(256).append(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: ").append(host).append("\r\n");
        if (bearer != null) {
            head.append("Authorization: Bearer ").append(bearer).append("\r\n");
        }
        if (json != null) {
            head.append("Content-Type: application/json\r\nContent-Length: ").append(json.length).append("\r\n");
        }
        byte[] headBytes = head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII);
        byte[] request = Arrays.copyOf(headBytes, headBytes.length + (json == null ? 0 : json.length));
        if (json != null) {
            System.arraycopy(json, 0, request, headBytes.length, json.length);
        }
        out.write(request);
        out.flush();
        String status = line();
        int contentLength = -1;
        for (String header = line(); !header.isEmpty(); header = line()) {
            String lower = header.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-length:")) {
                contentLength = Integer.parseInt(lower.substring(15).strip());
            } else if (lower.startsWith("transfer-encoding:")) {
                throw new IOException("the benchmark client reads Content-Length bodies only, got " + header);
            }
        }
        if (contentLength < 0) {
            throw new IOException("answer without Content-Length: " + status);
        }
        byte[] body = in.readNBytes(contentLength);
        if (!status.startsWith("HTTP/1.1 200 ")) {
            throw new IOException(status + ": " + new String(body, StandardCharsets.UTF_8));
        }
        return body;
    }

    private String line() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(64);
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("connection closed in the middle of an answer");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
