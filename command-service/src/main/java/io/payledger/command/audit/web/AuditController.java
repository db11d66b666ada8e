package io.payledger.command.audit.web;

import io.payledger.command.audit.AuditJobs;
import io.payledger.command.audit.CheckpointProperties;
import io.payledger.command.audit.CheckpointStore;
import io.payledger.command.audit.LogExports;
import io.payledger.command.audit.StoreVerifications;

import com.fasterxml.jackson.databind.JsonNode;
import io.payledger.command.web.ApiProblem;
import io.payledger.command.web.BadRequest;
import io.payledger.events.audit.ExportScope;
import io.payledger.events.audit.CheckpointKeys;
import io.payledger.events.payment.MerchantId;
import java.net.URI;
import java.security.PublicKey;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.RejectedExecutionException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * Auditors' view of the source of truth: the signed checkpoints and their public key, verification of the
 * event store against them, and exports of the log for the offline verifier. Everything here only reads.
 */
@RestController
class AuditController {

    record PublicKeys(String algorithm, String keyId, String publicKey, List<String> previousPublicKeys) { }

    record CheckpointPage(List<CheckpointStore.Summary> checkpoints, Long nextAfter) { }

    record JobView(UUID id, String state, Instant createdAt, Instant updatedAt, JsonNode request, JsonNode progress,
                   JsonNode result, String content) { }

    private final CheckpointStore checkpoints;
    private final StoreVerifications verifications;
    private final LogExports exports;
    private final AuditJobs jobs;
    private final PublicKeys keys;

    AuditController(CheckpointStore checkpoints, StoreVerifications verifications, LogExports exports, AuditJobs jobs,
                    CheckpointProperties properties) {
        this.checkpoints = checkpoints;
        this.verifications = verifications;
        this.exports = exports;
        this.jobs = jobs;
        PublicKey current = CheckpointKeys.publicKey(properties.publicKey());
        this.keys = new PublicKeys("Ed25519", CheckpointKeys.keyId(current), CheckpointKeys.pem(current),
                properties.previousPublicKeys().stream().map(CheckpointKeys::publicKey).map(CheckpointKeys::pem).toList());
    }

    @GetMapping("/v1/audit/checkpoints/public-key")
    PublicKeys publicKey() {
        return keys;
    }

    @GetMapping("/v1/audit/checkpoints")
    CheckpointPage checkpoints(@RequestParam(value = "after", defaultValue = "0") long after,
                               @RequestParam(value = "limit", defaultValue = "100") int limit) {
        if (limit < 1 || limit > 1_000 || after < 0) {
            throw new BadRequest("invalid-page", "limit is 1 to 1000 and after is not negative");
        }
        List<CheckpointStore.Summary> page = checkpoints.page(after, limit);
        return new CheckpointPage(page, page.size() == limit ? page.get(page.size() - 1).number() : null);
    }

    @GetMapping(value = "/v1/audit/checkpoints/{number:\\d+}", produces = MediaType.APPLICATION_JSON_VALUE)
    byte[] checkpoint(@PathVariable("number") long number) {
        return checkpoints.find(number).orElseThrow(() -> new ApiProblem(HttpStatus.NOT_FOUND, "checkpoint-not-found",
                "Checkpoint not found", "no checkpoint " + number + " has been sealed")).toJson();
    }

    @PostMapping("/v1/audit/store-verifications")
    ResponseEntity<JobView> verifyTheStore(@AuthenticationPrincipal Jwt token) {
        UUID id;
        try {
            id = verifications.start(token.getSubject());
        } catch (RejectedExecutionException busy) {
            throw new ApiProblem(HttpStatus.SERVICE_UNAVAILABLE, "verifications-busy", "Too many verifications",
                    "this replica has verifications waiting; try again when one has finished");
        }
        return ResponseEntity.accepted().location(URI.create("/v1/audit/store-verifications/" + id))
                .body(view(job(id, StoreVerifications.KIND), null));
    }

    @GetMapping("/v1/audit/store-verifications/{id}")
    JobView verification(@PathVariable("id") String id) {
        return view(job(parse(id), StoreVerifications.KIND), null);
    }

    @PostMapping("/v1/audit/exports")
    ResponseEntity<JobView> export(@AuthenticationPrincipal Jwt token, @RequestBody(required = false) Map<String, String> body) {
        ExportScope request = request(body == null ? Map.of() : body);
        UUID id = exports.request(request, token.getSubject());
        return ResponseEntity.accepted().location(URI.create("/v1/audit/exports/" + id))
                .body(view(job(id, LogExports.KIND), "/v1/audit/exports/" + id + "/content"));
    }

    @GetMapping("/v1/audit/exports/{id}")
    JobView exportJob(@PathVariable("id") String id) {
        return view(job(parse(id), LogExports.KIND), "/v1/audit/exports/" + id + "/content");
    }

    @GetMapping(value = "/v1/audit/exports/{id}/content", produces = "application/x-ndjson")
    ResponseEntity<StreamingResponseBody> exportContent(@PathVariable("id") String id) {
        AuditJobs.Job job = job(parse(id), LogExports.KIND);
        LogExports.Fixed fixed = exports.fixed(job.request());
        return ResponseEntity.ok()
                .header("Content-Disposition", "attachment; filename=\"payledger-log-" + id + ".jsonl\"")
                .body(out -> exports.write(fixed, out));
    }

    private static ExportScope request(Map<String, String> body) {
        for (String field : body.keySet()) {
            if (!List.of("merchantId", "from", "to").contains(field)) {
                throw new BadRequest("validation-failed", "unknown field " + field + " (merchantId, from, to)");
            }
        }
        String merchant = body.get("merchantId");
        if (merchant != null) {
            try {
                MerchantId.of(merchant);
            } catch (RuntimeException invalid) {
                throw new BadRequest("validation-failed", "merchantId is not a merchant id");
            }
        }
        Instant from = instant(body.get("from"), "from");
        Instant to = instant(body.get("to"), "to");
        if (from != null && to != null && !from.isBefore(to)) {
            throw new BadRequest("validation-failed", "from must be before to");
        }
        if (merchant != null && (from != null || to != null)) {
            throw new BadRequest("validation-failed", "an export is of a merchant or of a period, not both");
        }
        return ExportScope.of(merchant, from, to);
    }

    private static Instant instant(String value, String field) {
        try {
            return value == null ? null : Instant.parse(value);
        } catch (RuntimeException invalid) {
            throw new BadRequest("validation-failed", field + " is not an ISO-8601 instant (2026-12-01T00:00:00Z)");
        }
    }

    private AuditJobs.Job job(UUID id, String kind) {
        return jobs.find(id, kind).orElseThrow(() -> new ApiProblem(HttpStatus.NOT_FOUND, "audit-job-not-found",
                "Not found", "no such " + kind));
    }

    private static UUID parse(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException invalid) {
            throw new ApiProblem(HttpStatus.NOT_FOUND, "audit-job-not-found", "Not found", "no such id");
        }
    }

    private static JobView view(AuditJobs.Job job, String content) {
        return new JobView(job.id(), job.state(), job.createdAt(), job.updatedAt(), job.request(), job.progress(),
                job.result(), content);
    }
}
