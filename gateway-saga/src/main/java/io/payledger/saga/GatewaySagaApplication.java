package io.payledger.saga;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Drives Fiuu from the payment events and turns Fiuu's answers and notifications into commands. */
@SpringBootApplication
public class GatewaySagaApplication {

    public static void main(String[] args) {
        // a payment system does not report usage to third parties (AxonIQ's update checker)
        System.setProperty("axoniq.update-checker.disabled", "true");
        SpringApplication.run(GatewaySagaApplication.class, args);
    }
}
