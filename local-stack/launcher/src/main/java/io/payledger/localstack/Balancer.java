package io.payledger.localstack;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small round-robin HTTP load balancer for the local stack's replicas, on the service's documented
 * port, as a Kubernetes Service would be. A request goes to the next replica; only when a replica
 * refuses the connection (it is down, so the request never reached it) is the next one tried, so a
 * request is never sent twice to a replica that may have acted on it.
 */
final class Balancer implements AutoCloseable {

    /** Headers the HTTP client sets itself, or that belong to one hop only. */
    private static final Set<String> NOT_FORWARDED = Set.of("connection", "content-length", "expect", "host",
            "upgrade", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding", "http2-settings");

    private final String name;
    private final List<Integer> replicaPorts;
    private final HttpServer server;
    private final ExecutorService workers;
    private final HttpClient client;
    private final AtomicInteger next = new AtomicInteger();

    static {
        // without it JDK's HttpServer holds a response's body back for the client's delayed ACK (Nagle): 40 ms a
        // request. Read once, when the first HttpServer starts: the launcher's JVM arguments set it too.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private Balancer(String name, int port, List<Integer> replicaPorts) throws IOException {
        this.name = name;
        this.replicaPorts = List.copyOf(replicaPorts);
        this.workers = Executors.newFixedThreadPool(128, runnable -> {
            Thread thread = new Thread(runnable, name + "-balancer");
            thread.setDaemon(true);
            return thread;
        });
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).executor(workers).build();
        this.server = HttpServer.create(new InetSocketAddress("localhost", port), 512);
        server.createContext("/", this::forward);
        server.setExecutor(workers);
        server.start();
    }

    static Balancer start(String name, int port, List<Integer> replicaPorts) {
        try {
            return new Balancer(name, port, replicaPorts);
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen on port " + port + " for " + name, e);
        }
    }

    private void forward(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            int first = Math.floorMod(next.getAndIncrement(), replicaPorts.size());
            for (int attempt = 0; attempt < replicaPorts.size(); attempt++) {
                int port = replicaPorts.get((first + attempt) % replicaPorts.size());
                try {
                    HttpResponse<byte[]> answer = client.send(request(exchange, port, body), HttpResponse.BodyHandlers.ofByteArray());
                    reply(exchange, answer);
                    return;
                } catch (ConnectException | HttpConnectTimeoutException down) {
                    // never reached this replica: try the next
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                } catch (IOException midway) {
                    break;   // the replica may have acted on it: do not send it again
                }
            }
            byte[] problem = ("{\"type\":\"about:blank\",\"title\":\"Bad Gateway\",\"status\":502,\"detail\":\"no "
                    + name + " replica answered\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/problem+json");
            exchange.sendResponseHeaders(502, problem.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(problem);
            }
        }
    }

    private static HttpRequest request(HttpExchange exchange, int port, byte[] body) {
        URI target = URI.create("http://localhost:" + port + exchange.getRequestURI().toString());
        HttpRequest.Builder request = HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(60))
                .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        exchange.getRequestHeaders().forEach((header, values) -> {
            if (!NOT_FORWARDED.contains(header.toLowerCase(Locale.ROOT))) {
                values.forEach(value -> request.header(header, value));
            }
        });
        return request.build();
    }

    private static void reply(HttpExchange exchange, HttpResponse<byte[]> answer) throws IOException {
        answer.headers().map().forEach((header, values) -> {
            if (!NOT_FORWARDED.contains(header.toLowerCase(Locale.ROOT)) && !header.startsWith(":")) {
                exchange.getResponseHeaders().put(header, values);
            }
        });
        byte[] body = answer.body();
        exchange.sendResponseHeaders(answer.statusCode(), body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
