package io.payledger.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Runs after the bearer token is verified: a merchant's request takes a token from its bucket, or is
 * answered 429 with {@code Retry-After} before any work is done. Other roles are staff and services,
 * not limited here.
 */
final class RateLimitFilter extends OncePerRequestFilter {

    private final MerchantRateLimiter limiter;
    private final SecurityProblems problems;

    RateLimitFilter(MerchantRateLimiter limiter, SecurityProblems problems) {
        this.limiter = limiter;
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String merchant = merchantOf(SecurityContextHolder.getContext().getAuthentication());
        if (merchant != null) {
            MerchantRateLimiter.Decision decision = limiter.tryAcquire(merchant);
            if (!decision.allowed()) {
                response.setHeader("Retry-After", Long.toString(decision.retryAfterSeconds()));
                problems.write(response, SecurityProblems.problem(HttpStatus.TOO_MANY_REQUESTS, "rate-limited",
                        "Too many requests for this merchant; retry after " + decision.retryAfterSeconds() + " s"));
                return;
            }
        }
        chain.doFilter(request, response);
    }

    private static String merchantOf(Authentication authentication) {
        if (authentication instanceof JwtAuthenticationToken token
                && token.getAuthorities().stream().anyMatch(role -> role.getAuthority().equals("ROLE_" + Roles.MERCHANT))) {
            String merchant = token.getToken().getClaimAsString(Roles.MERCHANT_CLAIM);
            return merchant == null || merchant.isBlank() ? null : merchant;
        }
        return null;
    }
}
