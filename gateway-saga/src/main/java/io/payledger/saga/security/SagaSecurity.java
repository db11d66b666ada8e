package io.payledger.saga.security;

import static io.payledger.security.Roles.AUDITOR;
import static io.payledger.security.Roles.FINANCE;
import static io.payledger.security.Roles.OPERATOR;

import io.payledger.security.ApiSecurity;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Two doors. Fiuu's notifications and the customer's browser return come in at /fiuu/**, as forms,
 * without a token: each notification proves itself by its signature (docs/gateway.md), and the
 * return changes nothing. Reconciliation at /v1/reconciliations is the public API's, with its bearer
 * tokens and roles: operators start runs, finance and auditors read them; operators also see and act on the
 * reports to command-service that need a person (/v1/gateway-reports).
 */
@Configuration(proxyBeanMethods = false)
@Import(ApiSecurity.class)
class SagaSecurity {

    @Bean
    @Order(2)
    SecurityFilterChain fiuu(HttpSecurity http) throws Exception {
        return http.securityMatcher("/fiuu/**")
                .authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
                .csrf(csrf -> csrf.disable())
                .sessionManagement(sessions -> sessions.sessionCreationPolicy(
                        org.springframework.security.config.http.SessionCreationPolicy.STATELESS))
                .build();
    }

    @Bean
    @Order(3)
    SecurityFilterChain api(HttpSecurity http, ApiSecurity apiSecurity) throws Exception {
        http.authorizeHttpRequests(requests -> requests
                .requestMatchers(HttpMethod.POST, "/v1/reconciliations").hasRole(OPERATOR)
                .requestMatchers(HttpMethod.GET, "/v1/reconciliations", "/v1/reconciliations/*")
                .hasAnyRole(OPERATOR, FINANCE, AUDITOR)
                .requestMatchers(HttpMethod.GET, "/v1/gateway-reports").hasRole(OPERATOR)
                .requestMatchers(HttpMethod.POST, "/v1/gateway-reports/*/retry", "/v1/gateway-reports/*/discard")
                .hasRole(OPERATOR)
                .anyRequest().denyAll());
        return apiSecurity.apply(http).build();
    }
}
