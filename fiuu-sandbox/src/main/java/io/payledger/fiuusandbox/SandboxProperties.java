package io.payledger.fiuusandbox;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The one merchant account the sandbox serves, and where it sends notifications (in real Fiuu
 * these URLs are registered in the merchant portal). The keys are DEVELOPMENT keys.
 */
@ConfigurationProperties("sandbox")
record SandboxProperties(String merchantId, String verifyKey, String secretKey, String notificationUrl,
                         String refundNotificationUrl, Duration resendInterval, int maxResends) {

    SandboxProperties {
        resendInterval = resendInterval == null ? Duration.ofSeconds(15) : resendInterval;
        maxResends = maxResends <= 0 ? 4 : maxResends;
    }
}
