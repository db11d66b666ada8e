package io.payledger.fiuusandbox;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The one merchant account the sandbox serves, and where it sends notifications (in real Fiuu
 * these URLs are registered in the merchant portal), and how long a refund stays pending (Fiuu takes 7-14 days;
 * the sandbox, seconds). The keys are DEVELOPMENT keys.
 */
@ConfigurationProperties("sandbox")
record SandboxProperties(String merchantId, String verifyKey, String secretKey, String notificationUrl,
                         String refundNotificationUrl, Duration resendInterval, int maxResends, Duration refundSettleAfter) {

    SandboxProperties {
        refundSettleAfter = refundSettleAfter == null ? Duration.ofSeconds(2) : refundSettleAfter;
        resendInterval = resendInterval == null ? Duration.ofSeconds(15) : resendInterval;
        maxResends = maxResends <= 0 ? 4 : maxResends;
    }
}
