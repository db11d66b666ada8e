package io.payledger.security;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;

/**
 * How a bearer token is trusted: signed by the configured key (RS256/ES256 from the identity
 * provider's JWK set, or HS256 with the configured secret; unsigned {@code alg: none} tokens never
 * verify), not expired, already valid ({@code nbf}), from the configured issuer, for our audience. A token's
 * signature is verified once per replica ({@link VerifiedTokens}); the rest is checked on every request.
 */
public final class BearerTokens {

    /** A merchant id as shared-events' MerchantId accepts it. */
    private static final Pattern MERCHANT_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    /** Verified tokens remembered per replica, and for how long (each use still checks expiry). */
    static final int VERIFIED_TOKENS_KEPT = 10_000;
    static final java.time.Duration VERIFIED_TOKENS_KEPT_FOR = java.time.Duration.ofMinutes(5);

    private BearerTokens() {
    }

    public static JwtDecoder decoder(JwtProperties properties) {
        NimbusJwtDecoder decoder;
        if (properties.jwkSetUri() != null) {
            decoder = NimbusJwtDecoder.withJwkSetUri(properties.jwkSetUri())
                    .jwsAlgorithm(SignatureAlgorithm.RS256).jwsAlgorithm(SignatureAlgorithm.ES256).build();
        } else if (properties.secret() != null && properties.secret().length() >= 32) {
            SecretKeySpec key = new SecretKeySpec(properties.secret().getBytes(StandardCharsets.UTF_8), "HmacSHA256");
            decoder = NimbusJwtDecoder.withSecretKey(key).macAlgorithm(MacAlgorithm.HS256).build();
        } else {
            throw new IllegalStateException("set payledger.security.jwt.jwk-set-uri, or a secret of at least 32 "
                    + "characters in payledger.security.jwt.secret: the service will not run without knowing whom to trust");
        }
        List<OAuth2TokenValidator<Jwt>> validators = new ArrayList<>();
        validators.add(properties.issuer() == null ? JwtValidators.createDefault()
                : JwtValidators.createDefaultWithIssuer(properties.issuer()));
        validators.add(new JwtClaimValidator<Collection<String>>(JwtClaimNames.AUD,
                audiences -> audiences != null && audiences.contains(properties.audience())));
        OAuth2TokenValidator<Jwt> validator = new DelegatingOAuth2TokenValidator<>(validators);
        decoder.setJwtValidator(validator);
        return new VerifiedTokens(decoder, validator, VERIFIED_TOKENS_KEPT, VERIFIED_TOKENS_KEPT_FOR);
    }

    /**
     * Spring authorities from the token's {@code roles} claim: {@code merchant} becomes {@code ROLE_merchant}.
     * A role whose claims are missing is not granted: {@code merchant} needs a well-formed {@code merchant_id},
     * without which the token could only ever be scoped to nobody; the caller is then refused at the door
     * (403) instead of failing inside a query. A {@code roles} claim that is not a list of strings grants nothing.
     */
    public static JwtAuthenticationConverter rolesFromClaim() {
        JwtAuthenticationConverter converter = new JwtAuthenticationConverter();
        converter.setJwtGrantedAuthoritiesConverter(jwt -> {
            List<GrantedAuthority> authorities = new ArrayList<>();
            for (String role : roles(jwt)) {
                if (!role.equals(Roles.MERCHANT) || hasMerchant(jwt)) {
                    authorities.add(new SimpleGrantedAuthority("ROLE_" + role));
                }
            }
            return authorities;
        });
        return converter;
    }

    private static List<String> roles(Jwt jwt) {
        if (!(jwt.getClaims().get(Roles.ROLES_CLAIM) instanceof Collection<?> roles)
                || !roles.stream().allMatch(String.class::isInstance)) {
            return List.of();
        }
        return roles.stream().map(String.class::cast).toList();
    }

    private static boolean hasMerchant(Jwt jwt) {
        Object merchant = jwt.getClaims().get(Roles.MERCHANT_CLAIM);
        return merchant instanceof String id && MERCHANT_ID.matcher(id).matches();
    }

}
