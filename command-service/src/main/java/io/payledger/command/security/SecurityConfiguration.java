package io.payledger.command.security;

import io.payledger.security.ApiSecurity;
import io.payledger.security.Roles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Who may call what on command-service: merchants send payment commands; auditors read the log's checkpoints,
 * verify the store and export the log; operators retry or resolve a step
 * that waits for a person; merchants and auditors read a payment's customer, merchants and operators forget one;
 * the gateway service alone
 * records gateway outcomes; everything else is refused. The rest (tokens, problems, headers, CORS)
 * is every API's, from {@link ApiSecurity}.
 */
@Configuration(proxyBeanMethods = false)
@Import(ApiSecurity.class)
class SecurityConfiguration {

    @Bean
    @Order(2)
    SecurityFilterChain api(HttpSecurity http, ApiSecurity apiSecurity) throws Exception {
        http.authorizeHttpRequests(requests -> requests
                .requestMatchers(HttpMethod.POST, "/v1/payments/*/attention/retry", "/v1/payments/*/attention/resolve")
                .hasRole(Roles.OPERATOR)
                .requestMatchers(HttpMethod.POST, "/v1/payments", "/v1/payments/*/captures",
                        "/v1/payments/*/void", "/v1/payments/*/refunds").hasRole(Roles.MERCHANT)
                .requestMatchers("/v1/audit/**").hasRole(Roles.AUDITOR)
                .requestMatchers(HttpMethod.GET, "/v1/customers/by-payment/*").hasAnyRole(Roles.MERCHANT, Roles.AUDITOR)
                .requestMatchers(HttpMethod.POST, "/v1/customers/forget").hasAnyRole(Roles.MERCHANT, Roles.OPERATOR)
                .requestMatchers(HttpMethod.POST, "/internal/v1/payments/*/*", "/internal/v1/payments/*/attention/settled",
                        "/internal/v1/payments/*/refunds/*/*", "/internal/v1/payments/*/unexpected-charges/*/released",
                        "/internal/v1/payment-reports")
                .hasRole(Roles.GATEWAY)
                .anyRequest().denyAll());
        return apiSecurity.apply(http).build();
    }
}
