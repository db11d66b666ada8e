package io.payledger.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtValidationException;

/**
 * Bearer tokens whose signature was verified, kept so that a client polling with the same token pays for the
 * signature once. Only the parse and the signature are remembered: every use runs the validators again (expiry,
 * not-before, issuer, audience), so a remembered token stops working the moment it expires. A token that fails
 * is never remembered. Bounded in entries, and each is forgotten after {@code keepFor}.
 */
final class VerifiedTokens implements JwtDecoder {

    private final JwtDecoder verifying;
    private final OAuth2TokenValidator<Jwt> validator;
    private final Cache<String, Jwt> verified;

    VerifiedTokens(JwtDecoder verifying, OAuth2TokenValidator<Jwt> validator, int maxTokens, Duration keepFor) {
        this.verifying = verifying;
        this.validator = validator;
        this.verified = Caffeine.newBuilder().maximumSize(maxTokens).expireAfterWrite(keepFor).build();
    }

    @Override
    public Jwt decode(String token) throws JwtException {
        Jwt known = verified.getIfPresent(token);
        if (known == null) {
            Jwt jwt = verifying.decode(token); // parses, verifies the signature, validates
            verified.put(token, jwt);
            return jwt;
        }
        OAuth2TokenValidatorResult result = validator.validate(known);
        if (result.hasErrors()) {
            verified.invalidate(token);
            throw new JwtValidationException("the token is no longer valid: " + result.getErrors().iterator().next()
                    .getDescription(), result.getErrors());
        }
        return known;
    }

    /** How many tokens are remembered now (tests, metrics). */
    long size() {
        verified.cleanUp();
        return verified.estimatedSize();
    }
}
