package io.payledger.saga.command;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.springframework.stereotype.Component;

/** The bearer token that identifies this service to command-service with the gateway role. */
@Component
class GatewayToken {

    private static final Duration LIFETIME = Duration.ofMinutes(10);

    private final CommandServiceProperties properties;
    private volatile String current;
    private volatile Instant renewAt = Instant.MIN;

    GatewayToken(CommandServiceProperties properties) {
        this.properties = properties;
        if (properties.token() == null && (properties.tokenSecret() == null || properties.tokenSecret().length() < 32)) {
            throw new IllegalStateException("set payledger.command-service.token, or token-secret (HS256, >= 32 characters)");
        }
    }

    String bearer() {
        if (properties.token() != null) {
            return properties.token();
        }
        if (Instant.now().isAfter(renewAt)) {
            current = mint();
            renewAt = Instant.now().plus(LIFETIME.dividedBy(2));
        }
        return current;
    }

    private String mint() {
        Instant now = Instant.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder().subject("gateway-saga").issuer(properties.tokenIssuer())
                .audience("payledger").issueTime(Date.from(now)).notBeforeTime(Date.from(now.minusSeconds(5)))
                .expirationTime(Date.from(now.plus(LIFETIME))).claim("roles", List.of("gateway")).build();
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
            jwt.sign(new MACSigner(properties.tokenSecret().getBytes(StandardCharsets.UTF_8)));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign the gateway token", e);
        }
    }
}
