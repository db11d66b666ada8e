package io.payledger.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

class VerifiedTokensTest {

    private static final String KEY = "a-test-key-of-at-least-thirty-two-characters";
    private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");

    private final MovableClock clock = new MovableClock(NOW);
    private final JwtTimestampValidator timestamps = new JwtTimestampValidator(Duration.ZERO);
    private final AtomicInteger verifications = new AtomicInteger();
    private final JwtDecoder tokens;

    VerifiedTokensTest() {
        timestamps.setClock(clock);
        NimbusJwtDecoder signatures = NimbusJwtDecoder.withSecretKey(
                new SecretKeySpec(KEY.getBytes(StandardCharsets.UTF_8), "HmacSHA256")).macAlgorithm(MacAlgorithm.HS256).build();
        signatures.setJwtValidator(timestamps);
        JwtDecoder counting = token -> {
            verifications.incrementAndGet();
            return signatures.decode(token);
        };
        tokens = new VerifiedTokens(counting, timestamps, 100, Duration.ofMinutes(5));
    }

    @Test
    void aTokenUsedAgainIsNotVerifiedAgain() throws Exception {
        String token = signed(KEY, NOW.plusSeconds(300));
        tokens.decode(token);
        tokens.decode(token);
        tokens.decode(token);
        assertThat(verifications).hasValue(1);
    }

    @Test
    void aRememberedTokenIsRefusedTheMomentItExpires() throws Exception {
        String token = signed(KEY, NOW.plusSeconds(300));
        tokens.decode(token);
        clock.now = NOW.plusSeconds(301);
        assertThatThrownBy(() -> tokens.decode(token)).isInstanceOf(JwtException.class).hasMessageContaining("expired");
    }

    @Test
    void aTokenThatFailsIsNeverRemembered() throws Exception {
        String forged = signed("another-key-of-at-least-thirty-two-characters", NOW.plusSeconds(300));
        assertThatThrownBy(() -> tokens.decode(forged)).isInstanceOf(JwtException.class);
        assertThatThrownBy(() -> tokens.decode(forged)).isInstanceOf(JwtException.class);
        assertThat(verifications).hasValue(2);
    }

    private static String signed(String key, Instant expiry) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder().subject("merchant-1")
                .issueTime(Date.from(NOW)).expirationTime(Date.from(expiry)).build());
        jwt.sign(new MACSigner(key.getBytes(StandardCharsets.UTF_8)));
        return jwt.serialize();
    }

    private static final class MovableClock extends Clock {
        Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
