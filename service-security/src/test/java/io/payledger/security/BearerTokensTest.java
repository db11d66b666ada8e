package io.payledger.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;

class BearerTokensTest {

    private static final String KEY = "a-test-key-of-at-least-thirty-two-characters";
    private static final JwtDecoder DECODER = BearerTokens.decoder(new JwtProperties(null, KEY, "payledger-test", null));

    @Test
    void aTokenSignedWithTheKeyForOurAudienceAndIssuerIsTrusted() throws Exception {
        assertThat(DECODER.decode(signed(claims -> claims)).getClaimAsStringList("roles")).containsExactly("merchant");
    }

    @Test
    void aMerchantTokenWithoutAMerchantIdGrantsNoMerchantRoleButKeepsTheOthers() throws Exception {
        var converter = BearerTokens.rolesFromClaim();
        var withoutId = DECODER.decode(signed(claims -> claims.claim("merchant_id", null)));
        var malformedId = DECODER.decode(signed(claims -> claims.claim("merchant_id", "m 1; drop")));
        var alsoFinance = DECODER.decode(signed(claims -> claims.claim("merchant_id", null)
                .claim("roles", List.of("merchant", "finance"))));
        var numericRoles = DECODER.decode(signed(claims -> claims.claim("roles", 42)));

        assertThat(converter.convert(withoutId).getAuthorities()).isEmpty();
        assertThat(converter.convert(malformedId).getAuthorities()).isEmpty();
        assertThat(converter.convert(alsoFinance).getAuthorities()).extracting(Object::toString).containsExactly("ROLE_finance");
        assertThat(converter.convert(numericRoles).getAuthorities()).isEmpty();
        assertThat(converter.convert(DECODER.decode(signed(claims -> claims))).getAuthorities())
                .extracting(Object::toString).containsExactly("ROLE_merchant");
    }

    @Test
    void anExpiredTokenIsRefused() {
        assertRefused(claims -> claims.issueTime(Date.from(Instant.now().minusSeconds(900)))
                .expirationTime(Date.from(Instant.now().minusSeconds(120))), "expired");
    }

    @Test
    void aTokenNotYetValidIsRefused() {
        assertRefused(claims -> claims.notBeforeTime(Date.from(Instant.now().plusSeconds(600))), "used before");
    }

    @Test
    void aTokenForAnotherAudienceIsRefused() {
        assertRefused(claims -> claims.audience("somebody-else"), "aud");
    }

    @Test
    void aTokenFromAnotherIssuerIsRefused() {
        assertRefused(claims -> claims.issuer("https://evil.example"), "iss");
    }

    @Test
    void aTokenSignedWithAnotherKeyIsRefused() throws Exception {
        String forged = sign(claims(claims -> claims), new MACSigner("another-key-of-at-least-thirty-two-characters!"));

        assertThatThrownBy(() -> DECODER.decode(forged)).isInstanceOf(JwtException.class);
    }

    @Test
    void anUnsignedTokenIsRefused() {
        String unsigned = new PlainJWT(claims(claims -> claims)).serialize(); // {"alg":"none"}

        assertThatThrownBy(() -> DECODER.decode(unsigned)).isInstanceOf(JwtException.class);
    }

    @Test
    void anRsaSignedTokenIsRefusedWhereOnlyTheSharedKeyIsTrusted() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        String rsa = sign(claims(claims -> claims), new RSASSASigner((RSAPrivateKey) generator.generateKeyPair().getPrivate()),
                JWSAlgorithm.RS256);

        assertThatThrownBy(() -> DECODER.decode(rsa)).isInstanceOf(JwtException.class);
    }

    @Test
    void aServiceToldNoKeyRefusesToStart() {
        assertThatThrownBy(() -> BearerTokens.decoder(new JwtProperties(null, null, null, null)))
                .hasMessageContaining("will not run without knowing whom to trust");
        assertThatThrownBy(() -> BearerTokens.decoder(new JwtProperties("", "too-short", null, null)))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theSecretNeverAppearsInThePropertiesDescription() {
        assertThat(new JwtProperties(null, KEY, null, null).toString()).doesNotContain(KEY);
    }

    private static void assertRefused(UnaryOperator<JWTClaimsSet.Builder> change, String reason) {
        assertThatThrownBy(() -> DECODER.decode(signed(change))).isInstanceOf(JwtException.class)
                .hasMessageContaining(reason);
    }

    private static String signed(UnaryOperator<JWTClaimsSet.Builder> change) throws JOSEException {
        return sign(claims(change), new MACSigner(KEY.getBytes(StandardCharsets.UTF_8)));
    }

    private static JWTClaimsSet claims(UnaryOperator<JWTClaimsSet.Builder> change) {
        Instant now = Instant.now();
        return change.apply(new JWTClaimsSet.Builder().subject("merchant-1").issuer("payledger-test")
                .audience("payledger").issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(300)))
                .claim("roles", List.of("merchant")).claim("merchant_id", "m-1")).build();
    }

    private static String sign(JWTClaimsSet claims, com.nimbusds.jose.JWSSigner signer) throws JOSEException {
        return sign(claims, signer, JWSAlgorithm.HS256);
    }

    private static String sign(JWTClaimsSet claims, com.nimbusds.jose.JWSSigner signer, JWSAlgorithm algorithm)
            throws JOSEException {
        SignedJWT jwt = new SignedJWT(new JWSHeader(algorithm), claims);
        jwt.sign(signer);
        return jwt.serialize();
    }
}
