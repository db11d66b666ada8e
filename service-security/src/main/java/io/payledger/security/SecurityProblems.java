package io.payledger.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;

/** The 401 and 403 answers of the security filters, as problem JSON with a stable code like every other error. */
public final class SecurityProblems {

    private final ObjectMapper json;

    public SecurityProblems(ObjectMapper json) {
        this.json = json;
    }

    public AuthenticationEntryPoint unauthenticated() {
        return (request, response, e) -> write(response,
                problem(HttpStatus.UNAUTHORIZED, "unauthenticated", "A valid bearer token is required"));
    }

    public AccessDeniedHandler forbidden() {
        return (request, response, e) -> write(response,
                problem(HttpStatus.FORBIDDEN, "forbidden", "This token's roles do not allow the call"));
    }

    public void write(HttpServletResponse response, ProblemDetail problem) throws IOException {
        response.setStatus(problem.getStatus());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        json.writeValue(response.getOutputStream(), problem);
    }

    public static ProblemDetail problem(HttpStatus status, String code, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create("https://payledger.io/problems/" + code));
        problem.setProperty("code", code);
        return problem;
    }
}
