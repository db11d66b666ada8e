{{/* The chart's name, overridable. */}}
{{- define "payledger.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* The release-qualified prefix of every resource name. */}}
{{- define "payledger.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* The services the chart deploys, by values key. */}}
{{- define "payledger.services" -}}
commandService: command-service
gatewaySaga: gateway-saga
queryService: query-service
{{- end -}}

{{/* A service's resource name: (dict "root" $ "service" "command-service"). */}}
{{- define "payledger.serviceName" -}}
{{- printf "%s-%s" (include "payledger.fullname" .root | trunc 46 | trimSuffix "-") .service -}}
{{- end -}}

{{/* Labels of every resource. No version in selectors: these are for humans and tools. */}}
{{- define "payledger.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/name: {{ include "payledger.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: payledger
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* Selector labels of one service: (dict "root" $ "service" "command-service"). Never change them in an upgrade. */}}
{{- define "payledger.selectorLabels" -}}
app.kubernetes.io/name: {{ include "payledger.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .service }}
{{- end -}}

{{/* All labels of one service's resources. */}}
{{- define "payledger.serviceLabels" -}}
{{ include "payledger.labels" .root }}
app.kubernetes.io/component: {{ .service }}
{{- end -}}

{{/* A service's image reference. */}}
{{- define "payledger.image" -}}
{{- $image := .root.Values.image -}}
{{- printf "%s/%s/%s:%s" $image.registry $image.repository .service (default .root.Chart.AppVersion $image.tag) -}}
{{- end -}}

{{/* The JDBC URL of a database on the configured server. */}}
{{- define "payledger.jdbcUrl" -}}
{{- $pg := .root.Values.postgresql -}}
{{- printf "jdbc:postgresql://%s:%d/%s?sslmode=%s" $pg.host (int $pg.port) .database $pg.sslMode -}}
{{- end -}}

{{/* The pod and container security settings every workload of the chart runs with. */}}
{{- define "payledger.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 1001
runAsGroup: 1001
fsGroup: 1001
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- define "payledger.containerSecurityContext" -}}
runAsNonRoot: true
runAsUser: 1001
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
capabilities:
  drop: [ALL]
{{- end -}}

{{/* Ports, as each service's application.yml sets them. */}}
{{- define "payledger.httpPort" -}}
{{- get (dict "command-service" 8080 "gateway-saga" 8090 "query-service" 8100 "fiuu-sandbox" 8070) . -}}
{{- end -}}

{{- define "payledger.managementPort" -}}
{{- get (dict "command-service" 8081 "gateway-saga" 8091 "query-service" 8101 "fiuu-sandbox" 8070) . -}}
{{- end -}}
