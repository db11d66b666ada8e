package io.payledger.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.annotation.PreDestroy;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.actuate.autoconfigure.security.servlet.EndpointRequest;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.CorsConfigurationSource;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;

/**
 * The part of every public API's security that is the same everywhere. A service imports this and
 * declares only its own authorisation rules, then calls {@link #apply}:
 * <pre>
 * http.authorizeHttpRequests(rules -> ...);
 * return apiSecurity.apply(http).build();
 * </pre>
 * Bearer JWTs only, no sessions, no cookies (so no CSRF surface); 401 and 403 as problem JSON;
 * strict response headers; CORS only for the configured origins; JSON bodies only, at most 64 KB;
 * per-merchant rate limits when enabled.
 */
@Configuration(proxyBeanMethods = false)
@Import(StrictInput.class)
@EnableConfigurationProperties({JwtProperties.class, HttpSecurityProperties.class, RateLimitProperties.class})
public class ApiSecurity {

    private final SecurityProblems problems;
    private final HttpSecurityProperties http;
    private final MerchantRateLimiter rateLimiter;

    public ApiSecurity(ObjectMapper json, HttpSecurityProperties http, RateLimitProperties rateLimits,
                       ObjectProvider<MeterRegistry> meters, @Value("${spring.application.name:api}") String service) {
        this.problems = new SecurityProblems(json);
        this.http = http;
        this.rateLimiter = rateLimits.enabled()
                ? new MerchantRateLimiter(rateLimits, service, meters.getIfAvailable(SimpleMeterRegistry::new)) : null;
    }

    @PreDestroy
    void closeRateLimiter() {
        if (rateLimiter != null) {
            rateLimiter.close();
        }
    }

    /** Liveness, readiness and metrics: on the management port, which is never routed publicly. */
    @Bean
    @Order(1)
    SecurityFilterChain managementEndpoints(HttpSecurity security) throws Exception {
        return security.securityMatcher(EndpointRequest.toAnyEndpoint())
                .authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
                .csrf(csrf -> csrf.disable())
                .build();
    }

    /**
     * No observation of Spring Security's filters, authentication or authorisation: each of the chain's filters would
     * otherwise be wrapped in an observation of its own on every request (measured in docs/performance.md, "The
     * HTTP edge"). The request as a whole is still observed (http.server.requests), and a refused token or role still
     * shows in its status.
     */
    @Bean
    static SecurityObservationSettings securityObservationSettings() {
        return SecurityObservationSettings.noObservations();
    }

    @Bean
    JwtDecoder jwtDecoder(JwtProperties properties) {
        return BearerTokens.decoder(properties);
    }

    public SecurityProblems problems() {
        return problems;
    }

    public HttpSecurity apply(HttpSecurity security) throws Exception {
        security.addFilterAfter(new JsonBodiesOnly(problems), BearerTokenAuthenticationFilter.class);
        if (rateLimiter != null) {
            security.addFilterAfter(new RateLimitFilter(rateLimiter, problems), JsonBodiesOnly.class);
        }
        return security
                .oauth2ResourceServer(oauth -> oauth
                        .jwt(jwt -> jwt.jwtAuthenticationConverter(BearerTokens.rolesFromClaim()))
                        .authenticationEntryPoint(problems.unauthenticated())
                        .accessDeniedHandler(problems.forbidden()))
                .exceptionHandling(handling -> handling
                        .authenticationEntryPoint(problems.unauthenticated())
                        .accessDeniedHandler(problems.forbidden()))
                .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(csrf -> csrf.disable())
                .logout(logout -> logout.disable()) // bearer tokens: there is no session to log out of
                .requestCache(cache -> cache.disable())
                .cors(cors -> cors.configurationSource(corsConfiguration()))
                .headers(headers -> headers
                        .contentSecurityPolicy(csp -> csp.policyDirectives("default-src 'none'; frame-ancestors 'none'"))
                        .referrerPolicy(referrer -> referrer.policy(ReferrerPolicyHeaderWriter.ReferrerPolicy.NO_REFERRER))
                        .frameOptions(frames -> frames.deny())
                        .httpStrictTransportSecurity(hsts -> hsts.includeSubDomains(true).maxAgeInSeconds(31_536_000))
                        .contentTypeOptions(Customizer.withDefaults())
                        .cacheControl(Customizer.withDefaults()));
    }

    private CorsConfigurationSource corsConfiguration() {
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        if (!http.allowedOrigins().isEmpty()) {
            CorsConfiguration cors = new CorsConfiguration();
            cors.setAllowedOrigins(http.allowedOrigins());
            cors.setAllowedMethods(List.of("GET", "POST"));
            cors.setAllowedHeaders(List.of("Authorization", "Content-Type", "Idempotency-Key", "Accept"));
            cors.setExposedHeaders(List.of("Location", "Idempotent-Replayed", "Consistency", "Retry-After"));
            cors.setAllowCredentials(false);
            cors.setMaxAge(600L);
            source.registerCorsConfiguration("/v1/**", cors);
        }
        return source;
    }
}
