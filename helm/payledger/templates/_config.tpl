{{/*
The application.yml each service reads from its ConfigMap, on top of the one in its image.
Only what differs per installation is here; secrets come from Secrets as environment variables.
(dict "root" $ "key" "commandService" "service" "command-service")
*/}}
{{- define "payledger.applicationYaml" -}}
{{- $root := .root -}}
{{- $values := index $root.Values .key -}}
spring:
  datasource:
    url: {{ include "payledger.jdbcUrl" (dict "root" $root "database" $values.database) | quote }}
{{- if eq .service "query-service" }}
  data:
    redis:
      host: {{ $root.Values.redis.host | quote }}
      port: {{ $root.Values.redis.port }}
      ssl:
        enabled: {{ $root.Values.redis.tls }}
{{- end }}
axon:
  kafka:
    bootstrap-servers: {{ $root.Values.kafka.bootstrapServers | quote }}
    default-topic: {{ $root.Values.kafka.topic | quote }}
    properties:
      security.protocol: {{ $root.Values.kafka.securityProtocol | quote }}
payledger:
  events-topic:
    partitions: {{ $root.Values.kafka.partitions }}
    replication-factor: {{ $root.Values.kafka.replicationFactor }}
  migrations:
    on-start: {{ ternary "validate" "migrate" $root.Values.migrations.job }}
{{- if ne .service "gateway-saga" }}
  rate-limits:
    enabled: {{ $root.Values.rateLimits.enabled }}
    redis-uri: {{ include "payledger.redisUri" $root | quote }}
    defaults:
      per-second: {{ $root.Values.rateLimits.perSecond }}
      burst: {{ $root.Values.rateLimits.burst }}
    {{- with $root.Values.rateLimits.merchants }}
    merchants:
      {{- range $merchant, $limit := . }}
      {{ $merchant | quote }}: {per-second: {{ $limit.perSecond }}, burst: {{ $limit.burst }}}
      {{- end }}
    {{- end }}
{{- if eq .service "command-service" }}
  personal-data:
    current-master-key: {{ $values.personalData.currentMasterKey | quote }}
    key-lifetime: {{ $values.personalData.keyLifetime | quote }}
  checkpoints:
    interval: {{ $values.checkpoints.interval | quote }}
    events: {{ $values.checkpoints.events }}
    topic: {{ $values.checkpoints.topic | quote }}
    {{- with $values.checkpoints.previousPublicKeys }}
    previous-public-keys:
      {{- range . }}
      - {{ . | quote }}
      {{- end }}
    {{- end }}
    {{- if $values.checkpoints.objectStorage.enabled }}
    directory: {{ $values.checkpoints.objectStorage.mountPath | quote }}
    {{- end }}
{{- end }}
{{- else }}
  command-service:
    url: {{ printf "http://%s:8080" (include "payledger.serviceName" (dict "root" $root "service" "command-service")) | quote }}
    token-issuer: {{ $root.Values.auth.issuer | quote }}
  fiuu:
{{- if $root.Values.fiuuSandbox.enabled }}
    # the sandbox's public DEVELOPMENT keys; never real Fiuu credentials
    merchant-id: payledger_sandbox
    verify-key: DEV-sandbox-verify-key-0000000000
    secret-key: DEV-sandbox-secret-key-0000000000
    payment-url: {{ printf "http://%s:8070" (include "payledger.serviceName" (dict "root" $root "service" "fiuu-sandbox")) | quote }}
    api-url: {{ printf "http://%s:8070" (include "payledger.serviceName" (dict "root" $root "service" "fiuu-sandbox")) | quote }}
{{- else }}
    payment-url: {{ $root.Values.fiuu.paymentUrl | quote }}
    api-url: {{ $root.Values.fiuu.apiUrl | quote }}
{{- end }}
    timeout: {{ $root.Values.fiuu.timeout | quote }}
{{- end }}
  security:
    http:
      allowed-origins: {{ toJson $root.Values.allowedOrigins }}
    jwt:
      jwk-set-uri: {{ $root.Values.auth.jwkSetUri | quote }}
      issuer: {{ $root.Values.auth.issuer | quote }}
      audience: {{ $root.Values.auth.audience | quote }}
{{- if $root.Values.jsonLogs }}
logging:
  structured:
    format:
      console: ecs
{{- end }}
{{- end -}}

{{/* The Redis URI for rate limits; the password, when there is one, comes from the environment. */}}
{{- define "payledger.redisUri" -}}
{{- $redis := .Values.redis -}}
{{- printf "%s://%s%s:%d" (ternary "rediss" "redis" $redis.tls) (ternary ":${PAYLEDGER_REDIS_PASSWORD}@" "" (ne $redis.existingSecret "")) $redis.host (int $redis.port) -}}
{{- end -}}
