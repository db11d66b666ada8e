{{/* Environment variables from Secrets: (dict "root" $ "key" "commandService" "service" "command-service"). */}}
{{- define "payledger.secretEnv" -}}
{{- $root := .root -}}
{{- $values := index $root.Values .key -}}
- name: SPRING_DATASOURCE_USERNAME
  valueFrom: {secretKeyRef: {name: {{ $values.databaseSecret | quote }}, key: username}}
- name: SPRING_DATASOURCE_PASSWORD
  valueFrom: {secretKeyRef: {name: {{ $values.databaseSecret | quote }}, key: password}}
{{- if $root.Values.auth.existingSecret }}
- name: PAYLEDGER_SECURITY_JWT_SECRET
  valueFrom: {secretKeyRef: {name: {{ $root.Values.auth.existingSecret | quote }}, key: jwt-secret}}
{{- end }}
{{- if eq .service "command-service" }}
{{- if not (has $values.personalData.currentMasterKey $values.personalData.masterKeyIds) }}
{{- fail "commandService.personalData.currentMasterKey must be one of masterKeyIds" }}
{{- end }}
- name: PAYLEDGER_PERSONALDATA_INDEXKEY
  valueFrom: {secretKeyRef: {name: {{ $values.personalData.existingSecret | quote }}, key: index-key}}
{{- range $values.personalData.masterKeyIds }}
- name: PAYLEDGER_PERSONALDATA_MASTERKEYS_{{ upper . }}
  valueFrom: {secretKeyRef: {name: {{ $values.personalData.existingSecret | quote }}, key: {{ printf "master-key-%s" . | quote }}}}
{{- end }}
- name: PAYLEDGER_CHECKPOINTS_SIGNINGKEY
  valueFrom: {secretKeyRef: {name: {{ $values.checkpoints.existingSecret | quote }}, key: signing-key}}
- name: PAYLEDGER_CHECKPOINTS_PUBLICKEY
  valueFrom: {secretKeyRef: {name: {{ $values.checkpoints.existingSecret | quote }}, key: public-key}}
{{- end }}
{{- if eq .service "gateway-saga" }}
{{- if not $root.Values.fiuuSandbox.enabled }}
- name: PAYLEDGER_FIUU_MERCHANTID
  valueFrom: {secretKeyRef: {name: {{ $root.Values.fiuu.existingSecret | quote }}, key: merchant-id}}
- name: PAYLEDGER_FIUU_VERIFYKEY
  valueFrom: {secretKeyRef: {name: {{ $root.Values.fiuu.existingSecret | quote }}, key: verify-key}}
- name: PAYLEDGER_FIUU_SECRETKEY
  valueFrom: {secretKeyRef: {name: {{ $root.Values.fiuu.existingSecret | quote }}, key: secret-key}}
{{- end }}
{{- if $root.Values.auth.existingSecret }}
- name: PAYLEDGER_COMMANDSERVICE_TOKENSECRET
  valueFrom: {secretKeyRef: {name: {{ $root.Values.auth.existingSecret | quote }}, key: jwt-secret}}
{{- else if $root.Values.auth.gatewayTokenSecret }}
- name: PAYLEDGER_COMMANDSERVICE_TOKEN
  valueFrom: {secretKeyRef: {name: {{ $root.Values.auth.gatewayTokenSecret | quote }}, key: token}}
{{- end }}
{{- end }}
{{- if and (eq .service "query-service") $root.Values.redis.existingSecret }}
- name: SPRING_DATA_REDIS_PASSWORD
  valueFrom: {secretKeyRef: {name: {{ $root.Values.redis.existingSecret | quote }}, key: password}}
{{- end }}
{{- if and (ne .service "gateway-saga") $root.Values.rateLimits.enabled $root.Values.redis.existingSecret }}
- name: PAYLEDGER_REDIS_PASSWORD
  valueFrom: {secretKeyRef: {name: {{ $root.Values.redis.existingSecret | quote }}, key: password}}
{{- end }}
{{- end -}}
