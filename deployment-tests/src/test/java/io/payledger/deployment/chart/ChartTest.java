package io.payledger.deployment.chart;

import static io.payledger.deployment.chart.RenderedChart.HOOK;
import static io.payledger.deployment.chart.RenderedChart.name;
import static io.payledger.deployment.chart.RenderedChart.selects;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteMatch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRule;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ChartTest {

    private static final List<String> SERVICES = List.of("command-service", "gateway-saga", "query-service");

    static Stream<?> valuesFiles() {
        return ValuesFiles.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valuesFiles")
    void theChartLintsStrictlyWith(String label, Path valuesFile) {
        Path chart = valuesFile == null ? RenderedChart.CHART : ChartCopies.withValues(RenderedChart.CHART, valuesFile);

        LintResult lint = new Helm(chart).lint().strict().call();

        assertThat(lint.isFailed()).as(String.join("\n", lint.getMessages())).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valuesFiles")
    void everyDeploymentHasProbesLimitsAndRunsAsANonRootUserOnAReadOnlyRootFilesystem(String label, Path valuesFile) {
        RenderedChart chart = RenderedChart.render(valuesFile);

        assertThat(chart.all(Deployment.class)).isNotEmpty();
        for (Deployment deployment : chart.all(Deployment.class)) {
            String name = deployment.getMetadata().getName();
            PodSpec pod = deployment.getSpec().getTemplate().getSpec();
            assertThat(pod.getSecurityContext().getRunAsNonRoot()).as(name).isTrue();
            assertThat(pod.getSecurityContext().getRunAsUser()).as(name).isEqualTo(1001L);
            assertThat(pod.getAutomountServiceAccountToken()).as(name).isFalse();
            for (Container container : pod.getContainers()) {
                String where = name + "/" + container.getName();
                assertThat(container.getLivenessProbe()).as(where + " liveness").isNotNull();
                assertThat(container.getReadinessProbe()).as(where + " readiness").isNotNull();
                assertThat(container.getResources().getRequests()).as(where + " requests").containsKeys("cpu", "memory");
                assertThat(container.getResources().getLimits()).as(where + " limits").containsKey("memory");
                assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).as(where).isTrue();
                assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).as(where).isFalse();
                assertThat(container.getSecurityContext().getCapabilities().getDrop()).as(where).containsExactly("ALL");
                assertThat(container.getVolumeMounts()).as(where + " has a writable /tmp")
                        .extracting(mount -> mount.getMountPath()).contains("/tmp");
            }
            assertThat(deployment.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal()).as(name).isZero();
            assertThat(deployment.getSpec().getStrategy().getRollingUpdate().getMaxSurge().getIntVal()).as(name).isEqualTo(1);
            if (SERVICES.contains(deployment.getMetadata().getLabels().get("app.kubernetes.io/component"))) {
                assertThat(pod.getTopologySpreadConstraints()).as(name + " spreads over zones and nodes").hasSize(2);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valuesFiles")
    void servicesAutoscalersAndBudgetsPointAtDeploymentsThatExist(String label, Path valuesFile) {
        RenderedChart chart = RenderedChart.render(valuesFile);
        List<Deployment> deployments = chart.all(Deployment.class);

        assertThat(deployments).allSatisfy(deployment -> assertThat(deployment.getSpec().getSelector().getMatchLabels())
                .as(deployment.getMetadata().getName() + " selects its own pods")
                .satisfies(selector -> assertThat(selects(selector, deployment.getSpec().getTemplate().getMetadata().getLabels())).isTrue())
                .doesNotContainKeys("app.kubernetes.io/version", "helm.sh/chart"));
        assertThat(chart.all(Service.class)).allSatisfy(service -> {
            List<Deployment> backing = deployments.stream().filter(deployment -> selects(service.getSpec().getSelector(),
                    deployment.getSpec().getTemplate().getMetadata().getLabels())).toList();
            assertThat(backing).as(service.getMetadata().getName() + " selects exactly one Deployment").hasSize(1);
            Container container = backing.get(0).getSpec().getTemplate().getSpec().getContainers().get(0);
            for (ServicePort port : service.getSpec().getPorts()) {
                assertThat(container.getPorts()).as(service.getMetadata().getName() + " targets a named container port")
                        .anySatisfy(containerPort -> assertThat(containerPort.getName()).isEqualTo(port.getTargetPort().getStrVal()));
            }
        });
        assertThat(chart.all(HorizontalPodAutoscaler.class)).allSatisfy(hpa -> {
            Deployment target = chart.named(Deployment.class, hpa.getSpec().getScaleTargetRef().getName());
            assertThat(target.getSpec().getReplicas()).as("an autoscaled Deployment leaves replicas to the HPA").isNull();
            assertThat(hpa.getSpec().getMinReplicas()).isLessThanOrEqualTo(hpa.getSpec().getMaxReplicas());
        });
        assertThat(chart.all(ScaledObject.class)).allSatisfy(scaled ->
                assertThat(chart.named(Deployment.class, scaled.getSpec().scaleTargetRef().name()).getSpec().getReplicas()).isNull());
        assertThat(chart.all(PodDisruptionBudget.class)).allSatisfy(budget -> {
            List<Deployment> covered = deployments.stream().filter(deployment -> selects(budget.getSpec().getSelector().getMatchLabels(),
                    deployment.getSpec().getTemplate().getMetadata().getLabels())).toList();
            assertThat(covered).as(budget.getMetadata().getName() + " covers exactly one Deployment").hasSize(1);
            int fewest = Optional.ofNullable(covered.get(0).getSpec().getReplicas()).orElseGet(() ->
                    chart.all(HorizontalPodAutoscaler.class).stream()
                            .filter(hpa -> hpa.getSpec().getScaleTargetRef().getName().equals(covered.get(0).getMetadata().getName()))
                            .map(hpa -> hpa.getSpec().getMinReplicas())
                            .findFirst().orElseGet(() -> chart.named(ScaledObject.class, covered.get(0).getMetadata().getName())
                                    .getSpec().minReplicaCount()));
            assertThat(budget.getSpec().getMinAvailable().getIntVal()).as(budget.getMetadata().getName()
                    + " leaves a pod to evict, or no node could ever be drained").isLessThan(fewest);
        });
        assertThat(chart.all(ServiceMonitor.class)).allSatisfy(monitor -> assertThat(chart.all(Service.class))
                .anySatisfy(service -> assertThat(selects(monitor.getSpec().getSelector().getMatchLabels(),
                        service.getMetadata().getLabels())).isTrue()));
        for (Deployment deployment : deployments) {
            PodSpec pod = deployment.getSpec().getTemplate().getSpec();
            if (pod.getServiceAccountName() != null) {
                chart.named(ServiceAccount.class, pod.getServiceAccountName());
            }
            pod.getVolumes().stream().filter(volume -> volume.getConfigMap() != null)
                    .forEach(volume -> chart.named(ConfigMap.class, volume.getConfigMap().getName()));
        }
    }

    @Test
    void podsRollWhenTheirConfigurationChanges() {
        RenderedChart before = RenderedChart.render(null);
        RenderedChart after = RenderedChart.render(null, template -> template.set("kafka.bootstrapServers", "kafka-new:9092"));

        for (String service : SERVICES) {
            assertThat(checksum(after, service)).as(service).isNotEqualTo(checksum(before, service));
        }
        assertThat(checksum(RenderedChart.render(null), "command-service")).isEqualTo(checksum(before, "command-service"));
    }

    @Test
    void eachServiceReadsItsOwnDatabaseTheSharedTopicAndValidatesTheSchemaTheMigrationJobWrote() {
        RenderedChart chart = RenderedChart.render(null);

        String command = chart.named(ConfigMap.class, name("command-service")).getData().get("application.yml");
        assertThat(command).contains("jdbc:postgresql://postgresql:5432/payledger_command?sslmode=verify-full",
                "bootstrap-servers: \"kafka:9092\"", "default-topic: \"payledger.payment-events\"", "on-start: validate");
        assertThat(chart.named(ConfigMap.class, name("query-service")).getData().get("application.yml"))
                .contains("payledger_query", "redis:");
        assertThat(chart.named(ConfigMap.class, name("gateway-saga")).getData().get("application.yml"))
                .contains("url: \"http://pl-payledger-command-service:8080\"", "payment-url: \"https://pay.fiuu.com\"");
    }

    @Test
    void noSecretIsRenderedAndEveryCredentialComesFromAReferencedSecret() {
        RenderedChart chart = RenderedChart.render(ValuesFiles.environment("production"));

        assertThat(chart.resources).noneMatch(resource -> resource.getKind().equals("Secret"));
        assertThat(chart.all(Deployment.class)).as("production refuses plaintext connections").allSatisfy(deployment ->
                assertThat(deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
                        .anySatisfy(env -> {
                            assertThat(env.getName()).isEqualTo("SPRING_PROFILES_ACTIVE");
                            assertThat(env.getValue()).isEqualTo("production");
                        }));
        for (Deployment deployment : chart.all(Deployment.class)) {
            for (EnvVar env : deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv()) {
                if (env.getName().matches(".*(PASSWORD|SECRET|TOKEN|KEY|USERNAME|MERCHANTID).*")) {
                    assertThat(env.getValue()).as(env.getName()).isNull();
                    assertThat(env.getValueFrom().getSecretKeyRef().getName()).as(env.getName()).isNotBlank();
                }
            }
        }
        assertThat(chart.all(ConfigMap.class)).allSatisfy(config -> assertThat(config.getData().get("application.yml"))
                .doesNotContainPattern("(?i)password\\s*:").doesNotContain("secret-key", "verify-key"));
    }

    @Test
    void postsToPaymentsReachCommandServiceAndGetsReachQueryService() {
        HTTPRoute route = RenderedChart.render(null).named(HTTPRoute.class, "pl-payledger");

        assertThat(backendOf(route, "POST", "/v1/payments")).isEqualTo(name("command-service"));
        assertThat(backendOf(route, "POST", "/v1/payments/p-1/refunds")).isEqualTo(name("command-service"));
        assertThat(backendOf(route, "GET", "/v1/payments/p-1")).isEqualTo(name("query-service"));
        assertThat(backendOf(route, "GET", "/v1/payments")).isEqualTo(name("query-service"));
        assertThat(backendOf(route, "GET", "/v1/reports/trial-balance")).isEqualTo(name("query-service"));
        assertThat(backendOf(route, "POST", "/v1/audit/verifications")).isEqualTo(name("query-service"));
        assertThat(backendOf(route, "POST", "/fiuu/notifications")).isEqualTo(name("gateway-saga"));
        assertThat(backendOf(route, "POST", "/v1/reconciliations")).isEqualTo(name("gateway-saga"));
        assertThat(backendOf(route, "GET", "/v1/reconciliations/rec_1")).isEqualTo(name("gateway-saga"));
        assertThat(backendOf(route, "GET", "/v1/gateway-reports")).isEqualTo(name("gateway-saga"));
        assertThat(backendOf(route, "POST", "/v1/gateway-reports/12/retry")).isEqualTo(name("gateway-saga"));
        assertThat(backendOf(route, "POST", "/v1/payments/p-1/attention/retry")).isEqualTo(name("command-service"));
        assertThat(backendOf(route, "GET", "/v1/customers/by-payment/p-1")).isEqualTo(name("command-service"));
        assertThat(backendOf(route, "POST", "/v1/customers/forget")).isEqualTo(name("command-service"));
        assertThat(backendOf(route, "DELETE", "/v1/payments/p-1")).isNull();
        assertThat(backendOf(route, "POST", "/internal/v1/payments/p-1/capture")).as("the internal API is never public").isNull();
        assertThat(backendOf(route, "POST", "/internal/v1/payment-reports")).as("the internal API is never public").isNull();
    }

    @Test
    void anIngressGivesCommandsAndQueriesAHostEachAndNeverRoutesTheInternalApi() {
        Ingress ingress = RenderedChart.render(RenderedChart.CHART.resolve("ci/ingress-values.yaml"))
                .named(Ingress.class, "pl-payledger");

        assertThat(ingress.getSpec().getRules()).hasSize(2);
        assertThat(ingress.getSpec().getRules()).flatMap(rule -> rule.getHttp().getPaths())
                .noneSatisfy(path -> assertThat(path.getPath()).startsWith("/internal"))
                .anySatisfy(path -> {
                    assertThat(path.getPath()).isEqualTo("/v1/payments");
                    assertThat(path.getBackend().getService().getName()).isEqualTo(name("command-service"));
                });
        assertThat(ingress.getSpec().getTls()).singleElement().satisfies(tls -> assertThat(tls.getSecretName()).isEqualTo("payledger-tls"));
    }

    @Test
    void networkPoliciesDenyEverythingByDefaultAndOpenOnlyTheFlowsTheDesignNeeds() {
        RenderedChart chart = RenderedChart.render(null);

        NetworkPolicy deny = chart.named(NetworkPolicy.class, "pl-payledger-default-deny");
        assertThat(deny.getSpec().getPolicyTypes()).containsExactlyInAnyOrder("Ingress", "Egress");
        assertThat(deny.getSpec().getIngress()).isEmpty();
        assertThat(deny.getSpec().getEgress()).isEmpty();
        chart.all(Deployment.class).forEach(deployment -> assertThat(selects(deny.getSpec().getPodSelector().getMatchLabels(),
                deployment.getSpec().getTemplate().getMetadata().getLabels())).as(deployment.getMetadata().getName()).isTrue());

        NetworkPolicy command = chart.named(NetworkPolicy.class, name("command-service"));
        assertThat(peersAllowedIn(command)).contains("gateway-saga");
        assertThat(peersAllowedIn(chart.named(NetworkPolicy.class, name("query-service")))).doesNotContain("gateway-saga");
        assertThat(egressPorts(command)).as("rate limits live in Redis").contains("5432", "9092", "443", "6379");
        assertThat(egressPorts(chart.named(NetworkPolicy.class, name("gateway-saga")))).doesNotContain("6379");
        assertThat(egressPorts(chart.named(NetworkPolicy.class, name("query-service")))).contains("6379");
        assertThat(egressPorts(chart.named(NetworkPolicy.class, name("gateway-saga")))).contains("8080", "443");
        assertThat(command.getSpec().getIngress()).filteredOn(rule -> rule.getFrom().stream()
                        .anyMatch(peer -> peer.getNamespaceSelector() != null
                                && peer.getNamespaceSelector().getMatchLabels().containsValue("monitoring")))
                .singleElement().satisfies(rule -> assertThat(rule.getPorts()).extracting(port -> port.getPort().getStrVal())
                        .containsExactly("management"));
    }

    @Test
    void migrationsRunAsHookJobsBeforeInstallAndUpgradeWithTheSchemaOwnersCredentials() {
        RenderedChart chart = RenderedChart.render(null);

        for (String service : SERVICES) {
            Job job = chart.named(Job.class, name(service) + "-migrate");
            assertThat(job.getMetadata().getAnnotations()).containsEntry(HOOK, "pre-install,pre-upgrade");
            Container migrate = job.getSpec().getTemplate().getSpec().getContainers().get(0);
            assertThat(migrate.getCommand()).contains("io.payledger.axon.migration.MigrateDatabase");
            assertThat(migrate.getEnv()).filteredOn(env -> env.getName().equals("SPRING_DATASOURCE_PASSWORD"))
                    .singleElement().satisfies(env -> assertThat(env.getValueFrom().getSecretKeyRef().getName()).endsWith("-migrator"));
            assertThat(migrate.getEnv()).as("the grants go to the service's runtime role")
                    .filteredOn(env -> env.getName().equals("PAYLEDGER_RUNTIME_ROLE"))
                    .singleElement().satisfies(env -> assertThat(env.getValueFrom().getSecretKeyRef().getName()).endsWith("-db"));
            assertThat(migrate.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        }
        assertThat(RenderedChart.render(RenderedChart.CHART.resolve("ci/minimal-values.yaml")).all(Job.class)).isEmpty();
        assertThat(RenderedChart.render(RenderedChart.CHART.resolve("ci/minimal-values.yaml"))
                .named(ConfigMap.class, name("command-service")).getData().get("application.yml")).contains("on-start: migrate");
    }

    @Test
    void theHelmTestChecksEveryServiceIsReadyAndTheApiRefusesStrangers() {
        Pod test = RenderedChart.render(null)
                .named(Pod.class, "pl-payledger-test-readiness");

        assertThat(test.getMetadata().getAnnotations()).containsEntry(HOOK, "test");
        String script = String.join("\n", test.getSpec().getContainers().get(0).getArgs());
        for (String service : SERVICES) {
            assertThat(script).contains(name(service));
        }
        assertThat(script).contains("test \"$code\" = 401");
    }

    @Test
    void monitoringResourcesCarryTheTestedRulesWhenTheOperatorIsThere() {
        RenderedChart chart = RenderedChart.render(RenderedChart.CHART.resolve("ci/everything-values.yaml"));

        PrometheusRule rule = chart.named(PrometheusRule.class, "pl-payledger");
        assertThat(rule.getSpec().getGroups()).flatMap(group -> group.getRules()).extracting(r -> r.getAlert())
                .contains("PayLedgerServiceDown", "PayLedgerFiuuCircuitOpen", "PayLedgerConsumerLag");
        assertThat(chart.all(ServiceMonitor.class)).hasSize(3).allSatisfy(monitor ->
                assertThat(monitor.getSpec().getEndpoints()).singleElement().satisfies(endpoint -> {
                    assertThat(endpoint.getPort()).isEqualTo("management");
                    assertThat(endpoint.getPath()).isEqualTo("/actuator/prometheus");
                }));
        assertThat(chart.all(ScaledObject.class)).extracting(scaled -> scaled.getMetadata().getName())
                .containsExactlyInAnyOrder(name("gateway-saga"), name("query-service"));
        assertThat(chart.all(HorizontalPodAutoscaler.class)).extracting(hpa -> hpa.getMetadata().getName())
                .containsExactly(name("command-service"));
    }

    @Test
    void commandServiceReadsCustomersPersonalDataKeysFromTheirSecretAndNamesTheCurrentMasterKeyInItsConfig() {
        RenderedChart chart = RenderedChart.render(null, template -> template
                .set("commandService.personalData.masterKeyIds[0]", "m1")
                .set("commandService.personalData.masterKeyIds[1]", "m2")
                .set("commandService.personalData.currentMasterKey", "m2"));
        Deployment command = chart.named(Deployment.class, name("command-service"));
        Map<String, EnvVar> env = command.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
                .collect(java.util.stream.Collectors.toMap(EnvVar::getName, variable -> variable));

        assertThat(env).containsKeys("PAYLEDGER_PERSONALDATA_INDEXKEY", "PAYLEDGER_PERSONALDATA_MASTERKEYS_M1",
                "PAYLEDGER_PERSONALDATA_MASTERKEYS_M2");
        assertThat(env.get("PAYLEDGER_PERSONALDATA_MASTERKEYS_M2").getValueFrom().getSecretKeyRef())
                .satisfies(ref -> {
                    assertThat(ref.getName()).isEqualTo("payledger-personal-data");
                    assertThat(ref.getKey()).isEqualTo("master-key-m2");
                });
        assertThat(chart.named(ConfigMap.class, name("command-service")).getData().get("application.yml"))
                .contains("current-master-key: \"m2\"", "key-lifetime: \"90d\"");
        assertThat(chart.named(Deployment.class, name("query-service")).getSpec().getTemplate().getSpec().getContainers()
                .get(0).getEnv()).as("only command-service holds the keys")
                .noneMatch(variable -> variable.getName().startsWith("PAYLEDGER_PERSONALDATA"));
        assertThatThrownBy(() -> RenderedChart.render(null, template -> template
                .set("commandService.personalData.currentMasterKey", "m9")))
                .hasMessageContaining("currentMasterKey must be one of masterKeyIds");
    }

    @Test
    void commandServiceSignsCheckpointsWithTheKeyPairFromItsSecretAndOnlyCommandServiceHoldsIt() {
        RenderedChart chart = RenderedChart.render(null);
        Map<String, EnvVar> env = chart.named(Deployment.class, name("command-service")).getSpec().getTemplate().getSpec()
                .getContainers().get(0).getEnv().stream()
                .collect(java.util.stream.Collectors.toMap(EnvVar::getName, variable -> variable));

        assertThat(env.get("PAYLEDGER_CHECKPOINTS_SIGNINGKEY").getValueFrom().getSecretKeyRef()).satisfies(ref -> {
            assertThat(ref.getName()).isEqualTo("payledger-checkpoint-key");
            assertThat(ref.getKey()).isEqualTo("signing-key");
        });
        assertThat(env.get("PAYLEDGER_CHECKPOINTS_PUBLICKEY").getValueFrom().getSecretKeyRef().getKey()).isEqualTo("public-key");
        assertThat(chart.named(ConfigMap.class, name("command-service")).getData().get("application.yml"))
                .contains("topic: \"payledger.log-checkpoints\"", "events: 1000");
        assertThat(chart.named(Deployment.class, name("query-service")).getSpec().getTemplate().getSpec().getContainers()
                .get(0).getEnv()).noneMatch(variable -> variable.getName().startsWith("PAYLEDGER_CHECKPOINTS"));
        assertThatThrownBy(() -> RenderedChart.render(null, template -> template
                .set("commandService.checkpoints.objectStorage.enabled", "true")))
                .hasMessageContaining("claimName is required");
    }

    @Test
    void theSchemaRefusesUnknownValuesAndWrongTypes() {
        assertThatThrownBy(() -> RenderedChart.render(null, template -> template.set("commandService.replicas", "3")))
                .hasMessageContaining("replicas");
        assertThatThrownBy(() -> RenderedChart.render(null, template -> template.set("postgresql.sslMode", "prefer")))
                .hasMessageContaining("sslMode");
        assertThatThrownBy(() -> RenderedChart.render(null, template -> template.set("fiuu.existingSecret", "")))
                .hasMessageContaining("existingSecret");
    }

    @Test
    void everyValueIsExplainedByACommentAndDescribedInTheSchema() throws java.io.IOException {
        List<String> lines = java.nio.file.Files.readAllLines(RenderedChart.CHART.resolve("values.yaml"));
        String schema = java.nio.file.Files.readString(RenderedChart.CHART.resolve("values.schema.json"));
        List<String> unexplained = new ArrayList<>();
        int listIndent = Integer.MAX_VALUE; // keys inside a list's default items belong to the list's comment
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank() || lines.get(i).trim().startsWith("#")) {
                continue;
            }
            if (lines.get(i).trim().startsWith("- ")) {
                listIndent = Math.min(listIndent, indentOf(lines.get(i)));
                continue;
            }
            if (indentOf(lines.get(i)) > listIndent) {
                continue;
            }
            listIndent = Integer.MAX_VALUE;
            java.util.regex.Matcher key = java.util.regex.Pattern.compile("^(\\s*)([A-Za-z][A-Za-z0-9]*):(.*)$").matcher(lines.get(i));
            boolean parent = key.matches() && key.group(3).isBlank() && i + 1 < lines.size()
                    && indentOf(lines.get(i + 1)) > key.group(1).length() && !lines.get(i + 1).trim().startsWith("-");
            if (key.matches() && !parent) {
                int above = i - 1;
                while (above >= 0 && lines.get(above).trim().startsWith("#") && !lines.get(above).trim().startsWith("# --")) {
                    above--;
                }
                if (above < 0 || !lines.get(above).trim().startsWith("# --")) {
                    unexplained.add((i + 1) + ": " + lines.get(i).trim());
                }
            }
        }
        assertThat(unexplained).as("values without a '# --' comment").isEmpty();
        assertThat(schema).contains("\"additionalProperties\": false");
    }

    private static int indentOf(String line) {
        return line.length() - line.stripLeading().length();
    }

    private static String checksum(RenderedChart chart, String service) {
        return chart.named(Deployment.class, name(service)).getSpec().getTemplate().getMetadata().getAnnotations()
                .get("checksum/config");
    }

    /** The Service a request goes to, by the route's rules as the Gateway API matches them; null if none. */
    private static String backendOf(HTTPRoute route, String method, String path) {
        for (HTTPRouteRule rule : route.getSpec().getRules()) {
            for (HTTPRouteMatch match : rule.getMatches()) {
                boolean methodMatches = match.getMethod() == null || match.getMethod().equals(method);
                String prefix = match.getPath().getValue();
                boolean pathMatches = path.equals(prefix) || path.startsWith(prefix + "/");
                if (methodMatches && pathMatches) {
                    return rule.getBackendRefs().get(0).getName();
                }
            }
        }
        return null;
    }

    private static List<String> peersAllowedIn(NetworkPolicy policy) {
        List<String> components = new ArrayList<>();
        for (NetworkPolicyIngressRule rule : policy.getSpec().getIngress()) {
            rule.getFrom().stream().filter(peer -> peer.getPodSelector() != null)
                    .map(peer -> peer.getPodSelector().getMatchLabels().get("app.kubernetes.io/component"))
                    .filter(Objects::nonNull).forEach(components::add);
        }
        return components;
    }

    private static List<String> egressPorts(NetworkPolicy policy) {
        return policy.getSpec().getEgress().stream().flatMap(rule -> rule.getPorts().stream())
                .map(NetworkPolicyPort::getPort).map(port -> port.getIntVal() != null ? port.getIntVal().toString() : port.getStrVal())
                .toList();
    }
}
