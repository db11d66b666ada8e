package io.payledger.saga.command;

import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Where command-service is and how the saga proves it is the gateway service: a bearer token from
 * the environment ({@code token}), or a signing secret ({@code tokenSecret}, HS256) from which
 * short-lived tokens are minted, as the local stack does with the development key.
 */
@Validated
@ConfigurationProperties("payledger.command-service")
public record CommandServiceProperties(@NotBlank String url, String token, String tokenSecret, String tokenIssuer) {

    public CommandServiceProperties {
        // an empty setting (as application.yml leaves them) means "not set"
        token = blankToNull(token);
        tokenSecret = blankToNull(tokenSecret);
        tokenIssuer = blankToNull(tokenIssuer);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    @Override
    public String toString() {
        return "CommandServiceProperties[url=" + url + "]";
    }
}
