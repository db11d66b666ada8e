package io.payledger.security;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Browser-facing settings of a public API.
 *
 * @param allowedOrigins origins whose browser scripts may call the API (CORS); none by default, since
 *                       merchants call it from their servers
 */
@ConfigurationProperties("payledger.security.http")
public record HttpSecurityProperties(List<String> allowedOrigins) {

    public HttpSecurityProperties {
        allowedOrigins = allowedOrigins == null ? List.of() : List.copyOf(allowedOrigins);
    }
}
