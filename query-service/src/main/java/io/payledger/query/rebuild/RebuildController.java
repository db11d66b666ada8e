package io.payledger.query.rebuild;

import java.net.URI;
import java.time.Instant;
import java.util.Locale;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /v1/admin/projections/{name}/rebuild} (operator) starts a rebuild and answers 202 with
 * where to follow it; {@code GET /v1/admin/projections/{name}/rebuilds/{id}} reports its progress,
 * then whether the rebuilt model equals the live one, with the differing rows if not.
 */
@RestController
class RebuildController {

    record Progress(long recordsRead, long recordsTotal, double ratio, long eventsApplied, long recordsPerSecond) { }

    record Report(String id, String projection, String status, String schema, Instant startedAt, Instant finishedAt,
                  Progress progress, Boolean equal, Boolean liveCaughtUp, ReadModelComparison.Result comparison,
                  String failure) {

        static Report of(Rebuild rebuild) {
            ReadModelComparison.Result comparison = rebuild.comparison();
            return new Report(rebuild.id(), rebuild.projection(), rebuild.status().name().toLowerCase(Locale.ROOT),
                    rebuild.schema(), rebuild.startedAt(), rebuild.finishedAt(),
                    new Progress(rebuild.recordsRead(), rebuild.recordsTotal(), rebuild.progress(), rebuild.eventsApplied(),
                            rebuild.recordsPerSecond()),
                    comparison == null ? null : comparison.equal(),
                    comparison == null ? null : rebuild.liveCaughtUp(), comparison, rebuild.failure());
        }
    }

    private final ProjectionRebuilds rebuilds;

    RebuildController(ProjectionRebuilds rebuilds) {
        this.rebuilds = rebuilds;
    }

    @PostMapping("/v1/admin/projections/{name}/rebuild")
    ResponseEntity<Report> start(@PathVariable String name) {
        Rebuild rebuild = rebuilds.start(name);
        return ResponseEntity.accepted().location(location(rebuild)).body(Report.of(rebuild));
    }

    @GetMapping("/v1/admin/projections/{name}/rebuilds/{id}")
    ResponseEntity<Report> report(@PathVariable String name, @PathVariable String id) {
        return rebuilds.find(name, id).map(rebuild -> ResponseEntity.ok(Report.of(rebuild)))
                .orElseGet(() -> ResponseEntity.notFound().build());
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> unknown(ProjectionRebuilds.UnknownProjection e) {
        return problem(HttpStatus.NOT_FOUND, "unknown-projection", e.getMessage(), null);
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> busy(ProjectionRebuilds.RebuildInProgress e) {
        return problem(HttpStatus.CONFLICT, "rebuild-in-progress", e.getMessage(), location(e.running()));
    }

    private static ResponseEntity<ProblemDetail> problem(HttpStatus status, String code, String detail, URI location) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create("https://payledger.io/problems/" + code));
        problem.setProperty("code", code);
        HttpHeaders headers = new HttpHeaders();
        if (location != null) {
            headers.setLocation(location);
        }
        return ResponseEntity.status(status).headers(headers).body(problem);
    }

    private static URI location(Rebuild rebuild) {
        return URI.create("/v1/admin/projections/" + rebuild.projection() + "/rebuilds/" + rebuild.id());
    }
}
