package io.payledger.systemtests.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PromQlMetricNamesTest {

    @Test
    void aBareSelectorNamesItsMetric() {
        assertThat(PromQlMetricNames.in("up{job=~\"command-service|gateway-saga\"} == 0")).containsExactly("up");
    }

    @Test
    void functionsAggregationsGroupingLabelsAndRangesAreNotMetrics() {
        assertThat(PromQlMetricNames.in("""
                histogram_quantile(0.95, sum by (le, service) (rate(http_server_requests_seconds_bucket{uri=~"/v1/payments.*"}[$__rate_interval])))
                  > 2""")).containsExactly("http_server_requests_seconds_bucket");
    }

    @Test
    void everyOperandOfABinaryExpressionIsNamed() {
        assertThat(PromQlMetricNames.in("""
                max by (service, instance) (hikaricp_connections_active / hikaricp_connections_max) >= 0.9
                  or max by (service, instance) (hikaricp_connections_pending) > 0
                  and on () min(process_uptime_seconds{service="query-service"}) > 900"""))
                .containsExactly("hikaricp_connections_active", "hikaricp_connections_max", "hikaricp_connections_pending",
                        "process_uptime_seconds");
    }

    @Test
    void labelValuesThatLookLikeMetricsAreIgnored() {
        assertThat(PromQlMetricNames.in("sum(increase(payledger_payments_total{outcome=\"created\", x='jvm_info'}[15m])) * 60"))
                .containsExactly("payledger_payments_total");
    }

    @Test
    void scientificNumbersAreNotNames() {
        assertThat(PromQlMetricNames.in("payledger_projection_lag_seconds_sum > 1e3")).containsExactly("payledger_projection_lag_seconds_sum");
    }
}
