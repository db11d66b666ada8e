package io.payledger.command.payment.web;

import io.payledger.command.web.HttpUrl;
import io.payledger.command.web.IsoCurrency;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.util.Map;

/** The bodies merchants send. Unknown fields and non-integer amounts are refused by the JSON reader. */
final class PaymentRequests {

    private PaymentRequests() {
    }

    record CreatePayment(
            @NotBlank @Pattern(regexp = "[A-Za-z0-9_-]{1,40}", message = "must be 1-40 characters of A-Z, a-z, 0-9, _ and -")
            String merchantReference,
            @NotNull @Positive Long amount,
            @NotNull @IsoCurrency String currency,
            @NotNull @Pattern(regexp = "automatic|manual", message = "must be automatic or manual") String captureMethod,
            @Valid Customer customer,
            @Size(max = 255) String description,
            @Size(max = 2048) @HttpUrl String returnUrl,
            @Size(max = 20) Map<@NotBlank @Size(max = 40) String, @NotNull @Size(max = 500) String> metadata) {
    }

    record Customer(@Size(max = 128) String name,
                    @Email @Size(max = 254) String email,
                    @Pattern(regexp = "\\+?[0-9 ()-]{6,20}", message = "must be a phone number") String phone) {
    }

    /** An absent amount captures everything authorised. */
    record Capture(@Positive Long amount, @IsoCurrency String currency) {
    }

    record Refund(@NotNull @Positive Long amount, @IsoCurrency String currency, @Size(max = 255) String reason) {
    }
}
