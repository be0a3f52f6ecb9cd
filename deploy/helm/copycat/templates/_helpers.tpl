{{/*
Names and labels shared by every template.
*/}}

{{/* The chart name, or nameOverride. */}}
{{- define "copycat.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
The full name of every resource: fullnameOverride, else the release name when it already contains the
chart name (`helm install k8s-copycat …` gives `k8s-copycat`), else `<release>-<chart>`. 63 characters at
most (DNS label).
*/}}
{{- define "copycat.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* Labels selecting this release's pods; never change them between upgrades (selectors are immutable). */}}
{{- define "copycat.selectorLabels" -}}
app.kubernetes.io/name: {{ include "copycat.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* Labels of every resource. */}}
{{- define "copycat.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "copycat.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/component: controller
app.kubernetes.io/part-of: copycat
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/* The service account the pods run as. */}}
{{- define "copycat.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "copycat.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* The container image: repository@digest when a digest is set, else repository:tag (default appVersion). */}}
{{- define "copycat.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (toString (default .Chart.AppVersion .Values.image.tag)) }}
{{- end }}
{{- end }}

{{/*
config.yaml: .Values.config as written (only the keys set), except that an `ecr.lifecyclePolicy` given as
a map is written as the JSON text copycat expects.
*/}}
{{- define "copycat.configYaml" -}}
{{- $config := deepCopy (default dict .Values.config) }}
{{- if and (hasKey $config "ecr") (kindIs "map" $config.ecr) }}
{{- if kindIs "map" $config.ecr.lifecyclePolicy }}
{{- $_ := set $config.ecr "lifecyclePolicy" (toJson $config.ecr.lifecyclePolicy) }}
{{- end }}
{{- end }}
{{- toYaml $config }}
{{- end }}

{{/* True ("true") when the config turns on a feature that needs more RBAC. */}}
{{- define "copycat.needsNodes" -}}
{{- if (default dict .Values.config).checkNodePlatform }}true{{ end }}
{{- end }}
{{- define "copycat.needsPullSecrets" -}}
{{- if (default dict .Values.config).usePodPullSecrets }}true{{ end }}
{{- end }}
