package io.payledger.saga.reconciliation;

import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Reconciliation runs as db-scheduler tasks, in PostgreSQL: the scheduled one on one replica at a
 * time, and one an operator asked for on whichever replica picks it up; a replica that dies
 * mid-run leaves its task to be picked up again (a run restarts from the beginning; its mismatches
 * are keyed by run and payment, so none is recorded twice).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ReconciliationProperties.class)
class ReconciliationTasks {

    static final String REQUESTED = "reconciliation-requested";

    @Bean
    RecurringTask<Void> scheduledReconciliation(Reconciler reconciler, ReconciliationProperties properties) {
        return Tasks.recurring("reconciliation-scheduled", FixedDelay.of(properties.every()))
                .execute((instance, context) -> reconciler.runScheduled());
    }

    @Bean
    OneTimeTask<String> requestedReconciliation(Reconciler reconciler) {
        return Tasks.oneTime(REQUESTED, String.class).execute((instance, context) -> reconciler.run(instance.getData()));
    }
}
