package io.payledger.security;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where tokens come from. Production sets {@code jwkSetUri} (the identity provider's keys) or a
 * {@code secret} from the environment; nothing is configured by default, so a service that was
 * not told whom to trust does not start. The local stack and the tests pass the documented
 * development key.
 *
 * @param issuer   required issuer ({@code iss}), if set
 * @param audience required audience ({@code aud}); {@code payledger} unless set
 */
@ConfigurationProperties("payledger.security.jwt")
public record JwtProperties(String jwkSetUri, String secret, String issuer, String audience) {

    public JwtProperties {
        jwkSetUri = blankToNull(jwkSetUri);
        secret = blankToNull(secret);
        issuer = blankToNull(issuer);
        audience = audience == null || audience.isBlank() ? "payledger" : audience;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    @Override
    public String toString() {
        return "JwtProperties[jwkSetUri=" + jwkSetUri + ", secret=" + (secret == null ? "none" : "(set)")
                + ", issuer=" + issuer + ", audience=" + audience + "]";
    }
}
