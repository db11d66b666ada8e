package io.payledger.fiuusandbox;

import java.net.URI;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.HtmlUtils;

/**
 * The hosted payment page: /RMS/pay/{MID}/ checks the vcode (the extended one, which signs the currency,
 * unless the account is set to take the basic one) and shows the order with a "pay" and a "decline"
 * button. The choice creates a transaction, notifies the merchant and sends the browser back to the return
 * URL with the (unsigned-for-trust) result fields. As on Fiuu, an order can be paid again: after a decline,
 * after the merchant gave up on it, or a second time; each payment is a transaction of its own.
 */
@RestController
class HostedPageController {

    private final SandboxProperties properties;
    private final SandboxState state;
    private final Notifier notifier;

    HostedPageController(SandboxProperties properties, SandboxState state, Notifier notifier) {
        this.properties = properties;
        this.state = state;
        this.notifier = notifier;
    }

    @GetMapping(value = "/RMS/pay/{mid}/", produces = MediaType.TEXT_HTML_VALUE)
    ResponseEntity<String> page(@PathVariable("mid") String mid, @RequestParam Map<String, String> order) {
        String problem = invalid(mid, order);
        if (problem != null) {
            return ResponseEntity.badRequest().contentType(MediaType.TEXT_HTML).body("<p>" + HtmlUtils.htmlEscape(problem) + "</p>");
        }
        StringBuilder hidden = new StringBuilder();
        order.forEach((name, value) -> hidden.append("<input type=\"hidden\" name=\"").append(HtmlUtils.htmlEscape(name))
                .append("\" value=\"").append(HtmlUtils.htmlEscape(value)).append("\">"));
        String html = """
                <!doctype html><html><head><title>Fiuu sandbox</title></head><body>
                <h1>Fiuu sandbox checkout</h1>
                <p>Order <b>%s</b>: %s %s</p>
                <form method="post" action="/RMS/pay/%s/decide">%s
                <button name="outcome" value="pay">Pay</button>
                <button name="outcome" value="decline">Decline</button>
                </form></body></html>""".formatted(HtmlUtils.htmlEscape(order.get("orderid")),
                HtmlUtils.htmlEscape(order.getOrDefault("cur", "MYR")), HtmlUtils.htmlEscape(order.get("amount")),
                HtmlUtils.htmlEscape(mid), hidden);
        return ResponseEntity.ok().contentType(MediaType.TEXT_HTML).body(html);
    }

    @PostMapping("/RMS/pay/{mid}/decide")
    ResponseEntity<String> decide(@PathVariable("mid") String mid, @RequestParam Map<String, String> order) {
        String problem = invalid(mid, order);
        if (problem != null) {
            return ResponseEntity.badRequest().body(problem);
        }
        String orderId = order.get("orderid");
        SandboxState.Scenario scenario = state.scenario;
        boolean declined = "decline".equals(order.get("outcome")) || "decline".equals(scenario.mode())
                || order.get("amount").equals(scenario.declineAmount());
        boolean pending = !declined && "pending".equals(scenario.mode());
        boolean sale = !"AUTS".equals(order.get("txn_type"));
        SandboxState.Status settled = sale ? SandboxState.Status.CAPTURED : SandboxState.Status.AUTHORIZED;
        SandboxState.Transaction transaction = new SandboxState.Transaction(state.nextTranId(), orderId,
                order.get("amount"), order.getOrDefault("cur", "MYR"), sale,
                declined ? SandboxState.Status.FAILED : pending ? SandboxState.Status.PENDING : settled);
        if (transaction.status == SandboxState.Status.CAPTURED) {
            transaction.capturedAmount = transaction.amount;
        }
        state.add(transaction);
        if (pending) {
            Runnable heldBack = notifier.pendingNotification(transaction, order.get("callbackurl"));
            notifier.later(() -> {
                transaction.status = settled;
                transaction.capturedAmount = sale ? transaction.amount : null;
                notifier.notifyPayment(transaction, order.get("callbackurl"));
                heldBack.run();
            }, scenario.settleAfterMillis());
        } else {
            notifier.notifyPayment(transaction, order.get("callbackurl"));
        }
        String returnUrl = order.get("returnurl");
        if (returnUrl == null || returnUrl.isBlank()) {
            return ResponseEntity.ok("status " + transaction.statusCode() + " tranID " + transaction.tranId);
        }
        String separator = returnUrl.contains("?") ? "&" : "?";
        return ResponseEntity.status(HttpStatus.SEE_OTHER)
                .location(URI.create(returnUrl + separator + Notifier.form(notifier.fieldsOf(transaction, null)))).build();
    }

    private String invalid(String mid, Map<String, String> order) {
        if (!properties.merchantId().equals(mid)) {
            return "unknown merchant " + mid;
        }
        String orderId = order.get("orderid");
        String amount = order.get("amount");
        if (orderId == null || !orderId.matches("[A-Za-z0-9_-]{1,40}") || amount == null || !amount.matches("\\d+(\\.\\d{1,2})?")) {
            return "orderid and amount are required";
        }
        if (!SandboxSignatures.vcodeValid(order.get("vcode"), amount, mid, orderId, properties.verifyKey(),
                order.getOrDefault("cur", "MYR"), state.faults().acceptBasicVcode())) {
            return "invalid vcode";
        }
        return null;
    }
}
