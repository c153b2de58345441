package dev.vitrine.browser;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.function.Predicate;

/**
 * A TCP proxy on loopback in front of one HTTP/1.1 server, for tests that break a browser's
 * connections on purpose. {@link #cut()} closes every connection it carries and holds the ones
 * that arrive after it: their requests are read and recorded, but nothing is forwarded until
 * {@link #resume()}. The head of every request that comes through is recorded in order, so a
 * test can see what a reconnecting client asked for.
 *
 * <pre>{@code
 * LoopbackProxy proxy = LoopbackProxy.bind();   // its origin is known before the server starts
 * proxy.start(server.appListenUrl());
 * page.navigate(proxy.origin() + "/");
 * int before = proxy.requests().size();
 * proxy.cut();                                  // the page loses its connections
 * LoopbackProxy.Request again = proxy.awaitRequest(before, r -> r.target().startsWith("/v1/"), Duration.ofSeconds(10));
 * proxy.resume();                               // held connections reach the server
 * }</pre>
 */
final class LoopbackProxy implements AutoCloseable {
    /** A request head as the client sent it; header names in lower case. */
    record Request(String method, String target, Map<String, String> headers) {
        Optional<String> header(String name) {
            return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
        }

        /** Parses a head without its final empty line. */
        static Request parse(String head) {
            String[] lines = head.split("\r\n");
            String[] requestLine = lines[0].split(" ");
            Map<String, String> headers = new HashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon > 0) {
                    headers.put(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).strip());
                }
            }
            return new Request(requestLine[0], requestLine.length > 1 ? requestLine[1] : "", Map.copyOf(headers));
        }
    }

    private final ServerSocket listener;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    /** Open (count 0) unless cut; a connection waits here before it first reaches the server. */
    private volatile CountDownLatch gate = new CountDownLatch(0);
    private volatile InetSocketAddress upstream;

    private LoopbackProxy(ServerSocket listener) {
        this.listener = listener;
    }

    /** Takes a free loopback port; nothing is accepted before {@link #start}. */
    static LoopbackProxy bind() {
        try {
            return new LoopbackProxy(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind the proxy to a loopback port", e);
        }
    }

    /** The origin browsers reach the proxy at, {@code http://localhost:<port>}. */
    URI origin() {
        return URI.create("http://localhost:" + listener.getLocalPort());
    }

    /** Forwards every connection to {@code server}, an {@code http://host:port} URL. */
    void start(URI server) {
        upstream = new InetSocketAddress(server.getHost(), server.getPort());
        Thread.ofVirtual().name("loopback-proxy-accept").start(this::accept);
    }

    /** Closes every connection the proxy carries now, and holds new ones until {@link #resume()}. */
    void cut() {
        gate = new CountDownLatch(1);
        for (Socket socket : List.copyOf(sockets)) {
            close(socket);
        }
    }

    /** Lets held and new connections through to the server. */
    void resume() {
        gate.countDown();
    }

    /** Every request head received so far, in the order they arrived. */
    List<Request> requests() {
        return List.copyOf(requests);
    }

    /**
     * Waits until a request received after the first {@code skip} ones matches.
     *
     * @throws AssertionError if none did within {@code timeout}
     */
    Request awaitRequest(int skip, Predicate<Request> match, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<Request> seen = requests();
            for (Request request : seen.subList(Math.min(skip, seen.size()), seen.size())) {
                if (match.test(request)) {
                    return request;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no matching request reached the proxy within " + timeout + "; it saw " + seen);
            }
            Thread.sleep(20);
        }
    }

    @Override
    public void close() {
        quietly(listener);
        List.copyOf(sockets).forEach(this::close);
        gate.countDown();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                client.setTcpNoDelay(true);
                sockets.add(client);
                Thread.ofVirtual().name("loopback-proxy-connection").start(() -> carry(client));
            } catch (IOException e) {
                return; // the listener was closed
            }
        }
    }

    /** Client to server: records request heads, connects to the server on the first bytes once the gate is open. */
    private void carry(Socket client) {
        HeadReader heads = new HeadReader();
        Socket server = null;
        try {
            InputStream in = client.getInputStream();
            byte[] buffer = new byte[16 * 1024];
            int count;
            while ((count = in.read(buffer)) != -1) {
                heads.accept(buffer, count);
                if (server == null) {
                    gate.await();
                    if (client.isClosed()) {
                        return;
                    }
                    server = new Socket();
                    server.setTcpNoDelay(true);
                    sockets.add(server);
                    server.connect(upstream);
                    Socket from = server;
                    Thread.ofVirtual().name("loopback-proxy-answer").start(() -> answer(from, client));
                }
                server.getOutputStream().write(buffer, 0, count);
            }
        } catch (IOException e) {
            // either side closed, or the proxy cut the connection
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            close(client);
            if (server != null) {
                close(server);
            }
        }
    }

    /** Server to client, until either side closes. */
    private void answer(Socket server, Socket client) {
        try (InputStream in = server.getInputStream()) {
            OutputStream out = client.getOutputStream();
            in.transferTo(out);
        } catch (IOException e) {
            // either side closed, or the proxy cut the connection
        } finally {
            close(client);
            close(server);
        }
    }

    private void close(Socket socket) {
        sockets.remove(socket);
        quietly(socket);
    }

    private static void quietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // already closed
        }
    }

    /** Splits one connection's client bytes into request heads, skipping {@code Content-Length} bodies. */
    private final class HeadReader {
        private final StringBuilder pending = new StringBuilder();
        private long bodyLeft;

        void accept(byte[] bytes, int count) {
            pending.append(new String(bytes, 0, count, StandardCharsets.ISO_8859_1));
            while (true) {
                int skip = (int) Math.min(bodyLeft, pending.length());
                pending.delete(0, skip);
                bodyLeft -= skip;
                int end = pending.indexOf("\r\n\r\n");
                if (bodyLeft > 0 || end < 0) {
                    return;
                }
                Request request = Request.parse(pending.substring(0, end));
                pending.delete(0, end + 4);
                requests.add(request);
                bodyLeft = request.header("Content-Length").map(Long::parseLong).orElse(0L);
            }
        }
    }
}
