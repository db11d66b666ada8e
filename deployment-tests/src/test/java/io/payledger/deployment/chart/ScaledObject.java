package io.payledger.deployment.chart;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Version;
import java.util.List;
import java.util.Map;

/**
 * KEDA's ScaledObject (keda.sh/v1alpha1), the fields of its CRD the chart may use. fabric8 ships no
 * model for it; with this one an unknown field in the chart's ScaledObject fails the strict parse.
 */
@Group("keda.sh")
@Version("v1alpha1")
@Kind("ScaledObject")
public class ScaledObject extends CustomResource<ScaledObject.Spec, Void> implements Namespaced {

    public record Spec(ScaleTargetRef scaleTargetRef, Integer minReplicaCount, Integer maxReplicaCount,
                       Integer pollingInterval, Integer cooldownPeriod, Integer idleReplicaCount,
                       List<Trigger> triggers) { }

    public record ScaleTargetRef(String apiVersion, String kind, String name, String envSourceContainerName) { }

    public record Trigger(String type, String name, String metricType, Map<String, String> metadata,
                          Map<String, String> authenticationRef) { }
}
