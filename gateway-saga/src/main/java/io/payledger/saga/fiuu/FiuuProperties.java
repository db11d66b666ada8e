package io.payledger.saga.fiuu;

import jakarta.validation.constraints.NotBlank;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Fiuu credentials and hosts. The verify and secret keys come from the environment in every real
 * deployment; the local stack passes the sandbox's development keys.
 *
 * @param merchantId   Fiuu's MID, sent as domain / MerchantID
 * @param verifyKey    vk: signs requests
 * @param secretKey    sk: signs reversals and refunds, and verifies what Fiuu sends
 * @param paymentUrl   host of the hosted payment page, e.g. https://pay.fiuu.com
 * @param apiUrl       host of capture, reversal, refund and query APIs, e.g. https://api.fiuu.com
 * @param timeout      how long one call may take before it counts as failed
 */
@Validated
@ConfigurationProperties("payledger.fiuu")
public record FiuuProperties(@NotBlank String merchantId, @NotBlank String verifyKey, @NotBlank String secretKey,
                             @NotBlank String paymentUrl, @NotBlank String apiUrl, Duration timeout) {

    public FiuuProperties {
        timeout = timeout == null ? Duration.ofSeconds(10) : timeout;
    }

    @Override
    public String toString() {
        return "FiuuProperties[merchantId=" + merchantId + ", paymentUrl=" + paymentUrl + ", apiUrl=" + apiUrl + "]";
    }
}
