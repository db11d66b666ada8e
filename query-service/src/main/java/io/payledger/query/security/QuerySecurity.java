package io.payledger.query.security;

import static io.payledger.security.Roles.AUDITOR;
import static io.payledger.security.Roles.FINANCE;
import static io.payledger.security.Roles.MERCHANT;
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
 * Who may call what on query-service: API.md's query table, one rule per call, everything else refused.
 * Which merchant's data a merchant sees is decided by {@link Reader} in each call.
 */
@Configuration(proxyBeanMethods = false)
@Import(ApiSecurity.class)
class QuerySecurity {

    @Bean
    @Order(2)
    SecurityFilterChain api(HttpSecurity http, ApiSecurity apiSecurity) throws Exception {
        http.authorizeHttpRequests(requests -> requests
                .requestMatchers(HttpMethod.GET, "/v1/payments/*").hasAnyRole(MERCHANT, FINANCE, AUDITOR)
                .requestMatchers(HttpMethod.GET, "/v1/payments").hasAnyRole(MERCHANT, FINANCE, OPERATOR)
                .requestMatchers(HttpMethod.GET, "/v1/journal").hasRole(FINANCE)
                .requestMatchers(HttpMethod.GET, "/v1/balances").hasAnyRole(MERCHANT, FINANCE)
                .requestMatchers(HttpMethod.GET, "/v1/reports/trial-balance").hasAnyRole(FINANCE, AUDITOR)
                .requestMatchers(HttpMethod.GET, "/v1/reports/journal").hasAnyRole(FINANCE, AUDITOR)
                .requestMatchers(HttpMethod.GET, "/v1/audit/payments/*/events").hasAnyRole(AUDITOR, FINANCE)
                .requestMatchers(HttpMethod.GET, "/v1/audit/payments/*/state").hasRole(AUDITOR)
                .requestMatchers(HttpMethod.POST, "/v1/audit/verifications").hasRole(AUDITOR)
                .requestMatchers(HttpMethod.POST, "/v1/admin/projections/*/rebuild").hasRole(OPERATOR)
                .requestMatchers(HttpMethod.GET, "/v1/admin/projections/*/rebuilds/*").hasRole(OPERATOR)
                .anyRequest().denyAll());
        return apiSecurity.apply(http).build();
    }
}
