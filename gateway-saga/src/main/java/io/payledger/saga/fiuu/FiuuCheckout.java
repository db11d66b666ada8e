package io.payledger.saga.fiuu;

import io.payledger.events.money.Money;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/**
 * The hosted payment page URL for an order: Fiuu's /RMS/pay/{MID}/ with amount, orderid, currency,
 * optional bill fields and the extended vcode, which signs the currency as well as the amount and the order:
 * a customer who edits {@code cur} on the URL is turned away by Fiuu. The customer's card never touches us.
 */
@Component
public class FiuuCheckout {

    private final FiuuProperties fiuu;

    public FiuuCheckout(FiuuProperties fiuu) {
        this.fiuu = fiuu;
    }

    /**
     * @param sale true for a sale (captured at once), false for a pre-authorisation captured later. Real
     *             Fiuu takes this from the merchant's portal settings; we also send it as {@code txn_type}
     *             (the Direct API's SALS/AUTS) so that the sandbox can play both.
     */
    public String url(String orderId, Money amount, boolean sale, String merchantReference, String description,
                      String returnUrl, String callbackUrl) {
        String wireAmount = FiuuAmounts.toWire(amount);
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("amount", wireAmount);
        fields.put("orderid", orderId);
        fields.put("cur", amount.currency());
        // the merchant's own reference, so that Fiuu's portal shows which order this is
        fields.put("bill_desc", description == null || description.isBlank() ? merchantReference
                : merchantReference + ": " + description);
        fields.put("txn_type", sale ? "SALS" : "AUTS");
        if (returnUrl != null) {
            fields.put("returnurl", returnUrl);
        }
        if (callbackUrl != null) {
            fields.put("callbackurl", callbackUrl);
        }
        fields.put("vcode", FiuuSignatures.extendedVcode(wireAmount, fiuu.merchantId(), orderId, fiuu.verifyKey(),
                amount.currency()));
        String query = fields.entrySet().stream()
                .map(field -> field.getKey() + "=" + URLEncoder.encode(field.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return fiuu.paymentUrl() + "/RMS/pay/" + fiuu.merchantId() + "/?" + query;
    }
}
