package io.payledger.saga;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Drives Fiuu from the payment events and turns Fiuu's answers and notifications into commands. */
@SpringBootApplication
public class GatewaySagaApplication {

    public static void main(String[] args) {
        SpringApplication.run(GatewaySagaApplication.class, args);
    }
}
