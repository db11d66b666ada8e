package io.payledger.query;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Read models projected from the events topic, and the query API over them. */
@SpringBootApplication
public class QueryServiceApplication {

    public static void main(String[] args) {
        // a payment system does not report usage to third parties (AxonIQ's update checker)
        System.setProperty("axoniq.update-checker.disabled", "true");
        SpringApplication.run(QueryServiceApplication.class, args);
    }
}
