package io.payledger.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The public APIs take JSON and nothing else, and not much of it: a body must say
 * {@code application/json} (415 otherwise: Spring would also read {@code application/*+json}) and may
 * not exceed {@link #MAX_BODY_BYTES} (413 when the length is declared; a longer chunked body fails to read).
 */
final class JsonBodiesOnly extends OncePerRequestFilter {

    static final int MAX_BODY_BYTES = 64 * 1024;

    private final SecurityProblems problems;

    JsonBodiesOnly(SecurityProblems problems) {
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        boolean hasBody = request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null;
        if (!hasBody) {
            chain.doFilter(request, response);
            return;
        }
        if (!isJson(request.getContentType())) {
            problems.write(response, SecurityProblems.problem(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type",
                    "Send the body as application/json"));
            return;
        }
        if (request.getContentLengthLong() > MAX_BODY_BYTES) {
            problems.write(response, SecurityProblems.problem(HttpStatus.PAYLOAD_TOO_LARGE, "payload-too-large",
                    "A request body may have at most " + MAX_BODY_BYTES + " bytes"));
            return;
        }
        chain.doFilter(new Bounded(request), response);
    }

    private static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        try {
            MediaType type = MediaType.parseMediaType(contentType);
            return type.getType().equals("application") && type.getSubtype().equals("json");
        } catch (RuntimeException unparsable) {
            return false;
        }
    }

    /** Reads at most MAX_BODY_BYTES, whatever the client declared. */
    private static final class Bounded extends HttpServletRequestWrapper {

        Bounded(HttpServletRequest request) {
            super(request);
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            ServletInputStream body = super.getInputStream();
            return new ServletInputStream() {
                private long read;

                @Override
                public int read() throws IOException {
                    int next = body.read();
                    if (next >= 0) {
                        counted(1);
                    }
                    return next;
                }

                @Override
                public int read(byte[] buffer, int offset, int length) throws IOException {
                    int count = body.read(buffer, offset, length);
                    return count < 0 ? count : counted(count);
                }

                private int counted(int count) throws IOException {
                    read += count;
                    if (read > MAX_BODY_BYTES) {
                        throw new IOException("request body larger than " + MAX_BODY_BYTES + " bytes");
                    }
                    return count;
                }

                @Override
                public boolean isFinished() {
                    return body.isFinished();
                }

                @Override
                public boolean isReady() {
                    return body.isReady();
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    body.setReadListener(listener);
                }
            };
        }
    }
}
