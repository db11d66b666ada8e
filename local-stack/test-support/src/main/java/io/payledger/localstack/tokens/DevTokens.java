package io.payledger.localstack.tokens;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

/**
 * Mints bearer tokens signed with the DEVELOPMENT key, for the local run and the tests.
 * Production never trusts this key: services there read a JWK set URI or a secret from the
 * environment (see README, "Security").
 */
public final class DevTokens {

    /** DEVELOPMENT KEY, public on purpose. Never configure it anywhere real. */
    public static final String DEVELOPMENT_SECRET = "payledger-DEVELOPMENT-ONLY-hs256-key-do-not-use-in-production";
    public static final String ISSUER = "payledger-dev";
    public static final String AUDIENCE = "payledger";

    private DevTokens() {
    }

    public static String merchant(String merchantId) {
        return mint("merchant-" + merchantId, List.of("merchant"), merchantId, Duration.ofHours(12));
    }

    public static String withRoles(String subject, String... roles) {
        return mint(subject, List.of(roles), null, Duration.ofHours(12));
    }

    public static String mint(String subject, List<String> roles, String merchantId, Duration validFor) {
        Instant now = Instant.now();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .subject(subject)
                .issuer(ISSUER)
                .audience(AUDIENCE)
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now.minusSeconds(5)))
                .expirationTime(Date.from(now.plus(validFor)))
                .claim("roles", roles);
        if (merchantId != null) {
            claims.claim("merchant_id", merchantId);
        }
        return sign(claims.build(), DEVELOPMENT_SECRET);
    }

    /** Signs any claims with any key: tests use it to forge tokens the services must refuse. */
    public static String sign(JWTClaimsSet claims, String secret) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
            jwt.sign(new MACSigner(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a development token", e);
        }
    }
}
