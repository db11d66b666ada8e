package io.payledger.fiuusandbox;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/** A local Fiuu gateway for tests and the local stack. Never used by production code. */
@SpringBootApplication
@EnableConfigurationProperties(SandboxProperties.class)
public class FiuuSandboxApplication {

    public static void main(String[] args) {
        SpringApplication.run(FiuuSandboxApplication.class, args);
    }
}
