package io.payledger.command.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.payledger.localstack.tokens.DevTokens;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;

/** A small HTTP client for the command API, as a merchant or the gateway would call it. */
public final class Api {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final int port;

    Api(int port) {
        this.port = port;
    }

    /** The command API of a command-service listening on this port. */
    public static Api on(int port) {
        return new Api(port);
    }

    public record Reply(int status, JsonNode body, HttpResponse<String> raw) {
        public String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }
    }

    public static String newMerchant() {
        return "m-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public static String createBody(String reference, long amount, String captureMethod) {
        return """
                {"merchantReference":"%s","amount":%d,"currency":"MYR","captureMethod":"%s",
                 "customer":{"name":"Aisyah","email":"a@example.com","phone":"+60123456789"},
                 "returnUrl":"https://shop.example/return"}""".formatted(reference, amount, captureMethod);
    }

    public Reply create(String merchant, String idempotencyKey, String body) {
        return post("/v1/payments", DevTokens.merchant(merchant), idempotencyKey, body);
    }

    /** A manual-capture payment of 1050 MYR, authorised by the gateway, ready to capture. */
    public String authorisedPayment(String merchant) {
        Reply created = create(merchant, UUID.randomUUID().toString(),
                createBody("ORD-" + UUID.randomUUID().toString().substring(0, 8), 1050, "manual"));
        String id = created.body().get("id").asText();
        gateway(id, "/authorisation", "{\"amount\":1050,\"currency\":\"MYR\",\"gatewayTransactionId\":\"3000001\"}");
        return id;
    }

    public Reply merchant(String merchant, String path, String idempotencyKey, String body) {
        return post(path, DevTokens.merchant(merchant), idempotencyKey, body);
    }

    public Reply gateway(String paymentId, String outcome, String body) {
        return post("/internal/v1/payments/" + paymentId + outcome, DevTokens.withRoles("gateway-saga", "gateway"),
                null, body);
    }

    public Reply get(String path, String token) {
        return send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).GET()
                .header("Authorization", "Bearer " + token));
    }

    public Reply post(String path, String token, String idempotencyKey, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body == null ? "" : body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return send(request);
    }

    private static Reply send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json = response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body());
            return new Reply(response.statusCode(), json, response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
