package dev.vitrine.browser;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * {@code POST /v1/artifacts/{id}/stream} with a chunked body, as a model backend sends it: one
 * HTTP chunk per {@link #send}, written to the socket at once in a single write (no Nagle
 * delay), so the caller decides when each piece leaves.
 *
 * <pre>{@code
 * try (ChunkedPost stream = new ChunkedPost(server.appListenUrl(), server.apiKey(), id)) {
 *     stream.send("<h1>Report</h1>");
 *     int status = stream.finish(); // 201: stored as the next version
 * }
 * }</pre>
 */
final class ChunkedPost implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;

    /** Opens the connection and sends the request head; the body follows with {@link #send}. */
    ChunkedPost(URI app, String apiKey, String artifactId) throws IOException {
        socket = new Socket(app.getHost(), app.getPort());
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(20_000);
        out = socket.getOutputStream();
        out.write(("POST /v1/artifacts/" + artifactId + "/stream HTTP/1.1\r\nHost: " + app.getHost() + ":" + app.getPort()
                + "\r\nAuthorization: Bearer " + apiKey
                + "\r\nContent-Type: text/plain; charset=utf-8\r\nTransfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    void send(String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream chunk = new ByteArrayOutputStream(bytes.length + 16);
        chunk.writeBytes((Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        chunk.writeBytes(bytes);
        chunk.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        chunk.writeTo(out);
        out.flush();
    }

    /**
     * Ends the body and returns the answer's status.
     *
     * @throws IOException if the server closed the connection or answered something that is not HTTP/1.1
     */
    int finish() throws IOException {
        out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1 && b != '\n') {
            head.write(b);
        }
        String statusLine = head.toString(StandardCharsets.US_ASCII);
        if (!statusLine.startsWith("HTTP/1.1 ") || statusLine.length() < 12) {
            throw new IOException("the stream was not answered with an HTTP/1.1 status line: '" + statusLine.strip() + "'");
        }
        return Integer.parseInt(statusLine.substring(9, 12));
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
