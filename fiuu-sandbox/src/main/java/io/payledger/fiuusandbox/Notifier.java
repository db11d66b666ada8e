package io.payledger.fiuusandbox;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Posts notifications as Fiuu does: form fields signed with the real skey formula, to the
 * notification URL (nbcb=2) and, when the order named one, the callback URL (nbcb=1, which must
 * answer CBTOKEN:MPSTATOK). An unacknowledged one is sent again every resend interval, up to the
 * configured number of times. Faults can drop or repeat them.
 */
@Component
class Notifier {

    private static final Logger log = LoggerFactory.getLogger(Notifier.class);

    private final SandboxProperties properties;
    private final SandboxState state;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);

    Notifier(SandboxProperties properties, SandboxState state) {
        this.properties = properties;
        this.state = state;
    }

    Map<String, String> fieldsOf(SandboxState.Transaction transaction, String nbcb) {
        String status = transaction.statusCode();
        String appcode = "00".equals(status) ? "A" + transaction.tranId.substring(transaction.tranId.length() - 5) : "";
        Map<String, String> fields = new LinkedHashMap<>();
        if (nbcb != null) {
            fields.put("nbcb", nbcb);
        }
        fields.put("tranID", transaction.tranId);
        fields.put("orderid", transaction.orderId);
        fields.put("status", status);
        fields.put("domain", properties.merchantId());
        fields.put("amount", transaction.amount);
        fields.put("currency", transaction.currency);
        fields.put("paydate", transaction.paydate);
        fields.put("appcode", appcode);
        fields.put("channel", "credit");
        boolean described = "11".equals(status) && !state.faults().emptyFailureCodes();
        fields.put("error_code", described ? "CC_000" : "");
        fields.put("error_desc", described ? "declined by issuer" : "");
        fields.put("skey", SandboxSignatures.notificationSkey(transaction.tranId, transaction.orderId, status,
                properties.merchantId(), transaction.amount, transaction.currency, transaction.paydate, appcode,
                properties.secretKey()));
        return fields;
    }

    /** Sends the notification of a transaction's status as it is at this moment. */
    void notifyPayment(SandboxState.Transaction transaction, String callbackUrl) {
        notifyPayment(fieldsOf(transaction, "2"), fieldsOf(transaction, "1"), callbackUrl);
    }

    private void notifyPayment(Map<String, String> notification, Map<String, String> callback, String callbackUrl) {
        SandboxState.Faults faults = state.faults();
        if (faults.dropNotifications()) {
            log.info("dropping a notification of order {} (fault injected)", notification.get("orderid"));
            return;
        }
        for (int copy = 0; copy <= faults.duplicateNotifications(); copy++) {
            send(properties.notificationUrl(), notification, "OK", 0);
            if (callbackUrl != null && !callbackUrl.isBlank()) {
                send(callbackUrl, callback, "CBTOKEN:MPSTATOK", 0);
            }
        }
    }

    /** The pending notification, held back until after the final one when notifications are to be reordered. */
    Runnable pendingNotification(SandboxState.Transaction transaction, String callbackUrl) {
        Map<String, String> notification = fieldsOf(transaction, "2");
        Map<String, String> callback = fieldsOf(transaction, "1");
        Runnable send = () -> notifyPayment(notification, callback, callbackUrl);
        if (!state.faults().reorderNotifications()) {
            send.run();
            return () -> { };
        }
        // sent well after the final one: sending both at once would let them race and often keep their order
        return () -> later(send, 300);
    }

    void notifyRefund(Map<String, String> fields) {
        if (properties.refundNotificationUrl() != null && !state.faults().dropNotifications()) {
            send(properties.refundNotificationUrl(), fields, "", 0);
        }
    }

    private void send(String url, Map<String, String> fields, String expectedAnswer, int attempt) {
        if (url == null || url.isBlank()) {
            return;
        }
        // sent asynchronously: Fiuu notifies many payments at once, and two threads waiting on a busy
        // receiver made the sandbox, not the system under test, the bottleneck of the load test
        scheduler.schedule(() -> http.sendAsync(HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(10))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form(fields))).build(), HttpResponse.BodyHandlers.ofString())
                .whenComplete((answer, unreachable) -> {
                    boolean acknowledged = answer != null && answer.statusCode() / 100 == 2
                            && answer.body().contains(expectedAnswer);
                    if (unreachable != null) {
                        log.info("notification to {} failed: {}", url, unreachable.getMessage());
                    }
                    if (!acknowledged && attempt < properties.maxResends() && !scheduler.isShutdown()) {
                        send(url, fields, expectedAnswer, attempt + 1);
                    }
                }), attempt == 0 ? 0 : properties.resendInterval().toMillis(), TimeUnit.MILLISECONDS);
    }

    static String form(Map<String, String> fields) {
        return fields.entrySet().stream()
                .map(field -> URLEncoder.encode(field.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(field.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    void later(Runnable task, long millis) {
        scheduler.schedule(task, millis, TimeUnit.MILLISECONDS);
    }
}
