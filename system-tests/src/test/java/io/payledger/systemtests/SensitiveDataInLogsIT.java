package io.payledger.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import io.payledger.systemtests.SystemUnderTest.Api;
import io.payledger.localstack.tokens.DevTokens;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A whole payment with a customer's personal data, through every service, and then every line any
 * service logged: no customer name, email or phone, no bearer token, no signing key or Fiuu secret.
 */
class SensitiveDataInLogsIT {

    private static final String NAME = "Nurul Aisyah Binti Zulkifli";
    private static final String EMAIL = "nurul.aisyah.logcheck@example.com";
    private static final String PHONE = "+60187654321";

    @Test
    void aFullFlowWithPersonalDataLeavesNoPersonalDataOrSecretInAnyServiceLog() throws IOException {
        SystemUnderTest system = SharedSystem.get().system;
        String merchant = "m-logs-" + UUID.randomUUID().toString().substring(0, 6);
        String token = DevTokens.merchant(merchant);
        String id = system.partlyRefundedPayment(merchant, """
                {"merchantReference":"ORD-LOGS-%s","amount":2500,"currency":"MYR","captureMethod":"manual",
                 "customer":{"name":"%s","email":"%s","phone":"%s"},
                 "description":"for %s","returnUrl":"https://shop.example/return"}"""
                .formatted(UUID.randomUUID().toString().substring(0, 8), NAME, EMAIL, PHONE, NAME), 500);
        system.call(Api.QUERIES, "GET", "/v1/payments/" + id, token, null, Map.of());
        system.call(Api.QUERIES, "GET", "/v1/payments/" + id, "forged." + token.substring(token.indexOf('.') + 1), null, Map.of());

        List<String> leaks = new ArrayList<>();
        Map<String, String> secrets = Map.of(
                "customer name", NAME, "customer email", EMAIL, "customer phone", PHONE,
                "bearer token", token.substring(token.lastIndexOf('.') + 1),
                "JWT signing key", DevTokens.DEVELOPMENT_SECRET,
                "Fiuu secret key", "DEV-sandbox-secret-key-0000000000",
                "merchant webhook secret", SharedSystem.WEBHOOK_SECRET);
        try (Stream<Path> logs = Files.list(system.logDirectory())) {
            List<Path> files = logs.filter(Files::isRegularFile).toList();
            assertThat(files).as("the services' logs").isNotEmpty();
            for (Path file : files) {
                if (file.getFileName().toString().startsWith("fiuu-sandbox")) {
                    continue; // the sandbox plays Fiuu, which is given the customer's details on purpose
                }
                List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                for (int i = 0; i < lines.size(); i++) {
                    for (Map.Entry<String, String> secret : secrets.entrySet()) {
                        if (lines.get(i).contains(secret.getValue())) {
                            leaks.add(file.getFileName() + ":" + (i + 1) + " holds the " + secret.getKey());
                        }
                    }
                }
            }
        }

        assertThat(leaks).isEmpty();
    }
}
