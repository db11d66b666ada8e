package io.payledger.saga.notification;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.payledger.saga.fiuu.FiuuProperties;
import io.payledger.saga.payment.FiuuOrders;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Fiuu's side of API.md: notifications (nbcb=2), callbacks (nbcb=1, answered CBTOKEN:MPSTATOK),
 * refund notifications, and the browser return. The signature is checked before anything else;
 * every notification is stored raw with the result; a verified one is acknowledged only once it is
 * stored, and a forged one is refused with 401 and changes nothing. The browser return only
 * redirects: it is never trusted with state.
 */
@RestController
@RequestMapping("/fiuu")
class FiuuNotificationController {

    private static final Logger log = LoggerFactory.getLogger(FiuuNotificationController.class);
    static final String CALLBACK_ACK = "CBTOKEN:MPSTATOK";

    private final NotificationInbox inbox;
    private final FiuuProperties fiuu;
    private final FiuuOrders orders;
    private final ObjectMapper json = new ObjectMapper();

    FiuuNotificationController(NotificationInbox inbox, FiuuProperties fiuu, FiuuOrders orders) {
        this.inbox = inbox;
        this.fiuu = fiuu;
        this.orders = orders;
    }

    @PostMapping("/notifications")
    ResponseEntity<String> notification(HttpServletRequest request) throws IOException {
        return receive(new FiuuNotification(fields(request)), "notification", "OK");
    }

    @PostMapping("/callbacks")
    ResponseEntity<String> callback(HttpServletRequest request) throws IOException {
        return receive(new FiuuNotification(fields(request)), "callback", CALLBACK_ACK);
    }

    @PostMapping("/refund-notifications")
    ResponseEntity<String> refundNotification(HttpServletRequest request) throws IOException {
        FiuuRefundNotification notification = new FiuuRefundNotification(fields(request));
        boolean verified = notification.verifiedWith(fiuu.secretKey());
        inbox.store(NotificationInbox.Kind.REFUND, notification.refId(), notification.status(), "refund",
                notification.fields(), verified);
        if (!verified) {
            log.warn("refused a refund notification for RefID {} whose signature does not verify", notification.refId());
            return forged();
        }
        return ResponseEntity.ok().contentType(MediaType.TEXT_PLAIN).body("OK");
    }

    @GetMapping("/return")
    ResponseEntity<Void> browserReturn(HttpServletRequest request) throws IOException {
        return redirectBack(fields(request));
    }

    @PostMapping("/return")
    ResponseEntity<Void> browserReturnPost(HttpServletRequest request) throws IOException {
        return redirectBack(fields(request));
    }

    private ResponseEntity<String> receive(FiuuNotification notification, String channel, String acknowledgement) {
        boolean verified = notification.verifiedWith(fiuu.secretKey());
        boolean stored = inbox.store(NotificationInbox.Kind.PAYMENT, notification.tranId(), notification.status(),
                channel, notification.fields(), verified);
        if (!verified) {
            log.warn("refused a {} for order {} whose skey does not verify", channel, notification.orderId());
            return forged();
        }
        if (!stored) {
            log.debug("repeat {} for tranID {} status {}", channel, notification.tranId(), notification.status());
        }
        return ResponseEntity.ok().contentType(MediaType.TEXT_PLAIN).body(acknowledgement);
    }

    private ResponseEntity<Void> redirectBack(Map<String, String> fields) {
        String orderId = fields.getOrDefault("orderid", "");
        return orders.find(orderId)
                .filter(order -> order.returnUrl() != null)
                .<ResponseEntity<Void>>map(order -> ResponseEntity.status(HttpStatus.SEE_OTHER)
                        .location(URI.create(order.returnUrl())).build())
                .orElse(ResponseEntity.notFound().build());
    }

    /** A body that claims to be JSON and is not a JSON object: Fiuu never sends one. */
    static final class MalformedNotification extends RuntimeException {
        MalformedNotification() {
            super("not a JSON object", null, false, false);
        }
    }

    @ExceptionHandler(MalformedNotification.class)
    ResponseEntity<String> malformed() {
        return ResponseEntity.badRequest().contentType(MediaType.TEXT_PLAIN).body("malformed notification");
    }

    private static ResponseEntity<String> forged() {
        return ResponseEntity.status(HttpStatus.UNAUTHORIZED).contentType(MediaType.TEXT_PLAIN).body("invalid signature");
    }

    /** Fiuu posts form fields, or JSON; both are one flat map of strings here. */
    private Map<String, String> fields(HttpServletRequest request) throws IOException {
        Map<String, String> fields = new HashMap<>();
        String contentType = request.getContentType();
        if (contentType != null && contentType.startsWith(MediaType.APPLICATION_JSON_VALUE)) {
            JsonNode body;
            try {
                body = json.readTree(request.getInputStream());
            } catch (JsonProcessingException notJson) {
                throw new MalformedNotification();
            }
            if (body == null || !body.isObject()) {
                throw new MalformedNotification();
            }
            body.fields().forEachRemaining(field -> fields.put(field.getKey(), field.getValue().isValueNode()
                    ? field.getValue().asText() : field.getValue().toString()));
        } else {
            request.getParameterMap().forEach((name, values) -> fields.put(name, values.length == 0 ? "" : values[0]));
        }
        return fields;
    }
}
