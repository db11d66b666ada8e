package io.payledger.query.security;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.boot.actuate.autoconfigure.security.servlet.EndpointRequest;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.web.SecurityFilterChain;

/** Bearer JWTs as in command-service; each query call has its roles (API.md's query table). */
@Configuration(proxyBeanMethods = false)
class QuerySecurity {

    @Bean
    @Order(1)
    SecurityFilterChain managementEndpoints(HttpSecurity http) throws Exception {
        return http.securityMatcher(EndpointRequest.toAnyEndpoint())
                .authorizeHttpRequests(requests -> requests.anyRequest().permitAll()).csrf(csrf -> csrf.disable()).build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain api(HttpSecurity http) throws Exception {
        return http
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers(HttpMethod.GET, "/v1/payments/*").hasAnyRole("merchant", "finance", "auditor")
                        .requestMatchers(HttpMethod.GET, "/v1/payments").hasAnyRole("merchant", "finance")
                        .requestMatchers(HttpMethod.GET, "/v1/journal").hasRole("finance")
                        .requestMatchers(HttpMethod.GET, "/v1/balances").hasAnyRole("merchant", "finance")
                        .requestMatchers(HttpMethod.GET, "/v1/reports/trial-balance").hasAnyRole("finance", "auditor")
                        .requestMatchers(HttpMethod.GET, "/v1/audit/payments/*/events").hasAnyRole("auditor", "finance")
                        .requestMatchers(HttpMethod.GET, "/v1/audit/payments/*/state").hasRole("auditor")
                        .requestMatchers(HttpMethod.POST, "/v1/audit/verifications").hasRole("auditor")
                        .requestMatchers(HttpMethod.POST, "/v1/admin/projections/*/rebuild").hasRole("operator")
                        .requestMatchers(HttpMethod.GET, "/v1/admin/projections/*/rebuilds/*").hasRole("operator")
                        .anyRequest().denyAll())
                .oauth2ResourceServer(oauth -> oauth.jwt(jwt -> jwt.jwtAuthenticationConverter(rolesFromClaim())))
                .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(csrf -> csrf.disable())
                .build();
    }

    @Bean
    JwtDecoder jwtDecoder(@Value("${payledger.security.jwt.jwk-set-uri:}") String jwkSetUri,
                          @Value("${payledger.security.jwt.secret:}") String secret,
                          @Value("${payledger.security.jwt.issuer:}") String issuer,
                          @Value("${payledger.security.jwt.audience:payledger}") String audience) {
        NimbusJwtDecoder decoder;
        if (!jwkSetUri.isBlank()) {
            decoder = NimbusJwtDecoder.withJwkSetUri(jwkSetUri).build();
        } else if (secret.length() >= 32) {
            decoder = NimbusJwtDecoder.withSecretKey(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"))
                    .macAlgorithm(MacAlgorithm.HS256).build();
        } else {
            throw new IllegalStateException("set payledger.security.jwt.jwk-set-uri, or a secret of at least 32 characters");
        }
        List<OAuth2TokenValidator<Jwt>> validators = new ArrayList<>();
        validators.add(issuer.isBlank() ? JwtValidators.createDefault() : JwtValidators.createDefaultWithIssuer(issuer));
        validators.add(new JwtClaimValidator<Collection<String>>(JwtClaimNames.AUD,
                audiences -> audiences != null && audiences.contains(audience)));
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(validators));
        return decoder;
    }

    private static JwtAuthenticationConverter rolesFromClaim() {
        JwtAuthenticationConverter converter = new JwtAuthenticationConverter();
        converter.setJwtGrantedAuthoritiesConverter(jwt -> {
            List<String> roles = jwt.getClaimAsStringList("roles");
            List<GrantedAuthority> authorities = new ArrayList<>();
            if (roles != null) {
                roles.forEach(role -> authorities.add(new SimpleGrantedAuthority("ROLE_" + role)));
            }
            return authorities;
        });
        return converter;
    }
}
