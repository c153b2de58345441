package dev.vitrine.browser;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An attacker's servers on loopback: an HTTP listener that records every request, a raw TCP
 * listener that records every connection (also one that never sends a byte, like a
 * preconnect), and a UDP listener that records every datagram (like a WebRTC STUN request).
 * Chromium maps {@code *.test} names to loopback in the browser tests, so payloads can name
 * hosts like {@code attacker.test}; a marker in the host name ({@code m1x2.attacker.test}) tells
 * whose request it was.
 *
 * <p>Each hit gets a sequence number when it arrives: {@link #mark()} before an attempt and
 * {@link #hitsSince(long)} after it give what arrived in between. At most {@link #MAX_HITS} hits
 * are kept.
 */
final class Canary implements AutoCloseable {
    enum Channel { HTTP, TCP, UDP }

    /** One arrival: {@code summary} is one line for people, {@code content} the first bytes received. */
    record Hit(long sequence, Channel channel, String summary, String content) {
        boolean mentions(String text) {
            return summary.contains(text) || content.contains(text);
        }
    }

    static final int MAX_HITS = 10_000;
    private static final int MAX_CONTENT_BYTES = 4_096;
    /** How long a TCP connection may take to send its first bytes before it is recorded without them. */
    private static final int TCP_READ_TIMEOUT_MILLIS = 250;
    private static final byte[] STUN_MAGIC_COOKIE = {0x21, 0x12, (byte) 0xA4, 0x42};
    /**
     * What every HTTP request gets. As a top-level page it names an inline icon, so Chromium
     * does not follow a navigation to the canary with a request for /favicon.ico that would
     * land among the next test's hits.
     */
    private static final byte[] PAGE = "<!doctype html><link rel=icon href=\"data:,\"><title>canary</title>".getBytes(StandardCharsets.UTF_8);

    private final HttpServer http;
    private final ServerSocket tcp;
    private final DatagramSocket udp;
    private final ExecutorService listeners = Executors.newFixedThreadPool(3, runnable -> {
        Thread thread = new Thread(runnable, "canary-listener");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicLong sequence = new AtomicLong();
    private final List<Hit> hits = new ArrayList<>();

    Canary() {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try {
            http = HttpServer.create(new InetSocketAddress(loopback, 0), 64);
            tcp = new ServerSocket(0, 64, loopback);
            udp = new DatagramSocket(0, loopback);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the canary listeners", e);
        }
        http.createContext("/", exchange -> {
            long arrived = sequence.incrementAndGet();
            byte[] body = exchange.getRequestBody().readNBytes(MAX_CONTENT_BYTES);
            String line = exchange.getRequestMethod() + " " + exchange.getRequestURI();
            String host = String.valueOf(exchange.getRequestHeaders().getFirst("Host"));
            record(new Hit(arrived, Channel.HTTP, line + " (Host: " + host + ")",
                    line + "\nHost: " + host + "\n\n" + new String(body, StandardCharsets.UTF_8)));
            exchange.getResponseHeaders().set("Access-Control-Allow-Origin", "*");
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, PAGE.length);
            exchange.getResponseBody().write(PAGE);
            exchange.close();
        });
        http.start();
        listeners.execute(this::acceptTcp);
        listeners.execute(this::receiveUdp);
    }

    /** Port of the HTTP listener. */
    int port() {
        return http.getAddress().getPort();
    }

    int tcpPort() {
        return tcp.getLocalPort();
    }

    int udpPort() {
        return udp.getLocalPort();
    }

    /** The HTTP canary under an attacker-looking host name, e.g. {@code http://attacker.test:41234}. */
    String url() {
        return "http://attacker.test:" + port();
    }

    /** The HTTP canary under a host name that carries a marker, e.g. {@code http://m3k.attacker.test:41234}. */
    String url(String marker) {
        return "http://" + marker + ".attacker.test:" + port();
    }

    /** The HTTP canary by its loopback address, for payloads that avoid name resolution. */
    String loopbackUrl() {
        return "http://127.0.0.1:" + port();
    }

    /** The HTTP requests so far, as {@code "GET /path"}. */
    List<String> hits() {
        return hitsSince(0).stream()
                .filter(hit -> hit.channel() == Channel.HTTP)
                .map(hit -> hit.content().substring(0, hit.content().indexOf('\n')))
                .toList();
    }

    /** The sequence number of the latest arrival; what arrives later has a larger one. */
    long mark() {
        return sequence.get();
    }

    /** Every hit on any listener with a sequence number above {@code mark}, in order of arrival. */
    List<Hit> hitsSince(long mark) {
        synchronized (hits) {
            return hits.stream().filter(hit -> hit.sequence() > mark).sorted(Comparator.comparingLong(Hit::sequence)).toList();
        }
    }

    private void record(Hit hit) {
        synchronized (hits) {
            if (hits.size() < MAX_HITS) {
                hits.add(hit);
            }
        }
    }

    private void acceptTcp() {
        while (!tcp.isClosed()) {
            try (Socket connection = tcp.accept()) {
                long arrived = sequence.incrementAndGet();
                connection.setSoTimeout(TCP_READ_TIMEOUT_MILLIS);
                byte[] first = readSome(connection.getInputStream());
                String content = new String(first, StandardCharsets.ISO_8859_1);
                String summary = first.length == 0 ? "connection, no bytes sent"
                        : "connection, " + first.length + " bytes: " + firstLine(content);
                record(new Hit(arrived, Channel.TCP, summary, content));
            } catch (SocketException e) {
                return; // closed
            } catch (IOException e) {
                // one broken connection is still recorded by the next accept; keep listening
            }
        }
    }

    private void receiveUdp() {
        byte[] buffer = new byte[MAX_CONTENT_BYTES];
        while (!udp.isClosed()) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                udp.receive(packet);
            } catch (IOException e) {
                return; // closed
            }
            long arrived = sequence.incrementAndGet();
            String kind = isStunRequest(packet) ? "STUN binding request" : "datagram";
            record(new Hit(arrived, Channel.UDP, kind + ", " + packet.getLength() + " bytes",
                    new String(packet.getData(), 0, packet.getLength(), StandardCharsets.ISO_8859_1)));
        }
    }

    private static boolean isStunRequest(DatagramPacket packet) {
        byte[] data = packet.getData();
        if (packet.getLength() < 20 || data[0] != 0x00 || data[1] != 0x01) {
            return false;
        }
        for (int i = 0; i < STUN_MAGIC_COOKIE.length; i++) {
            if (data[4 + i] != STUN_MAGIC_COOKIE[i]) {
                return false;
            }
        }
        return true;
    }

    private static byte[] readSome(InputStream in) throws IOException {
        byte[] buffer = new byte[MAX_CONTENT_BYTES];
        int read = 0;
        try {
            int n;
            while (read < buffer.length && (n = in.read(buffer, read, buffer.length - read)) > 0) {
                read += n;
                if (read >= 4 && new String(buffer, 0, read, StandardCharsets.ISO_8859_1).contains("\r\n\r\n")) {
                    break; // an HTTP request head is complete
                }
            }
        } catch (SocketTimeoutException e) {
            // a silent connection (a preconnect) or a slow one: keep what arrived
        }
        return Arrays.copyOf(buffer, read);
    }

    private static String firstLine(String content) {
        int end = content.indexOf('\n');
        String line = end < 0 ? content : content.substring(0, end);
        return line.strip().replaceAll("[^\\x20-\\x7e]", "?");
    }

    @Override
    public void close() {
        http.stop(0);
        try {
            tcp.close();
        } catch (IOException e) {
            // closing anyway
        }
        udp.close();
        listeners.shutdownNow();
        try {
            listeners.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
