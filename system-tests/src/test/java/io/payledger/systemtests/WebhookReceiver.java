package io.payledger.systemtests;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** A merchant's webhook endpoint on loopback: records what arrives; refuses the first N deliveries with 500. */
final class WebhookReceiver implements AutoCloseable {

    record Delivery(String eventId, String signature, String body, int answered) { }

    private final HttpServer server;
    final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
    private final AtomicInteger refusalsLeft = new AtomicInteger();

    WebhookReceiver() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/webhooks", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            int status = refusalsLeft.getAndUpdate(left -> Math.max(0, left - 1)) > 0 ? 500 : 200;
            deliveries.add(new Delivery(exchange.getRequestHeaders().getFirst("PayLedger-Event-Id"),
                    exchange.getRequestHeaders().getFirst("PayLedger-Signature"), body, status));
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/webhooks";
    }

    void refuseNext(int count) {
        refusalsLeft.set(count);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
