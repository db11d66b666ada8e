package io.payledger.systemtests.monitoring;

import java.util.Set;
import java.util.TreeSet;

/** Prometheus's text exposition format, as far as names go. */
public final class PrometheusText {

    private PrometheusText() {
    }

    /** The name of every sample: {@code foo_bucket}, {@code foo_count} and {@code foo_sum} each count. */
    public static Set<String> sampleNames(String exposition) {
        Set<String> names = new TreeSet<>();
        exposition.lines().filter(line -> !line.isBlank() && !line.startsWith("#")).forEach(line -> {
            int end = 0;
            while (end < line.length() && line.charAt(end) != '{' && line.charAt(end) != ' ') {
                end++;
            }
            names.add(line.substring(0, end));
        });
        return names;
    }
}
