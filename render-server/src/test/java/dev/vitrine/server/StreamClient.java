package dev.vitrine.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The producer side of {@code POST /v1/artifacts/{id}/stream} over a raw socket, so a test decides
 * when each chunk of the chunked body goes out, and can drop the connection mid-body the way a
 * crashed chat backend would.
 */
final class StreamClient implements AutoCloseable {
    /** A response: status, headers (lower-case names) and body. */
    record Response(int status, Map<String, String> headers, String body) {
    }

    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;

    private StreamClient(Socket socket) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.in = socket.getInputStream();
    }

    /** Sends the request head of a chunked stream to {@code path}; {@code apiKey} null sends none. */
    static StreamClient open(URI listenUrl, String path, String apiKey, String contentType) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(listenUrl.getHost(), listenUrl.getPort()), 5_000);
        socket.setSoTimeout(30_000);
        socket.setTcpNoDelay(true);
        StreamClient client = new StreamClient(socket);
        StringBuilder head = new StringBuilder("POST " + path + " HTTP/1.1\r\nHost: " + listenUrl.getAuthority() + "\r\n");
        if (apiKey != null) {
            head.append("Authorization: Bearer ").append(apiKey).append("\r\n");
        }
        head.append("Content-Type: ").append(contentType).append("\r\nTransfer-Encoding: chunked\r\n\r\n");
        client.out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
        client.out.flush();
        return client;
    }

    /** Sends one chunk of the body at once. */
    StreamClient send(String text) throws IOException {
        return send(text.getBytes(StandardCharsets.UTF_8));
    }

    StreamClient send(byte[] bytes) throws IOException {
        ByteArrayOutputStream chunk = new ByteArrayOutputStream(bytes.length + 16);
        chunk.writeBytes((Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        chunk.writeBytes(bytes);
        chunk.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        out.write(chunk.toByteArray()); // one write, one segment: the server reads the chunk whole
        out.flush();
        return this;
    }

    /** Ends the body and reads the answer. */
    Response finish() throws IOException {
        out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return response();
    }

    /** Reads the answer, sent before or without the end of the body. */
    Response response() throws IOException {
        String statusLine = line();
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line = line(); !line.isEmpty(); line = line()) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
        }
        int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
        byte[] body = in.readNBytes(length);
        return new Response(status, headers, new String(body, StandardCharsets.UTF_8));
    }

    /** Drops the connection without ending the body. */
    void disconnect() throws IOException {
        socket.setSoLinger(true, 0); // a reset, as when the process dies
        socket.close();
    }

    private String line() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                throw new IOException("the server closed the connection; read so far: " + line);
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
