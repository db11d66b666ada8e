package io.payledger.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The benchmark report reads projection lag from histogram buckets the way Prometheus's histogram_quantile does. */
class LagQuantileTest {

    @Test
    void aQuantileInterpolatesWithinTheBucketThatHoldsItsRankCountingOnlyWhatHappenedBetweenTheScrapes() {
        Map<Double, Double> before = buckets(10, 10, 10, 10);
        // between the scrapes: 50 events under 0.05 s, 40 more under 0.1 s, 10 more under 1 s
        Map<Double, Double> after = buckets(60, 100, 110, 110);

        assertThat(BenchSuite.quantile(before, after, 0.5)).isCloseTo(0.05, within(1e-9));
        assertThat(BenchSuite.quantile(before, after, 0.7)).isCloseTo(0.05 + 0.05 * 20 / 40, within(1e-9));
        assertThat(BenchSuite.quantile(before, after, 0.99)).isCloseTo(0.1 + 0.9 * 9 / 10, within(1e-9));
    }

    @Test
    void nothingCountedBetweenTheScrapesHasNoQuantile() {
        assertThat(BenchSuite.quantile(buckets(5, 5, 5, 5), buckets(5, 5, 5, 5), 0.99)).isNaN();
    }

    private static Map<Double, Double> buckets(double under50ms, double under100ms, double under1s, double all) {
        Map<Double, Double> buckets = new TreeMap<>();
        buckets.put(0.05, under50ms);
        buckets.put(0.1, under100ms);
        buckets.put(1.0, under1s);
        buckets.put(Double.POSITIVE_INFINITY, all);
        return buckets;
    }
}
