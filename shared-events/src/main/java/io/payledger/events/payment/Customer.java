package io.payledger.events.payment;

/** Who pays. Every field is optional (Fiuu's guest checkout). Card data never enters the system. */
public record Customer(String name, String email, String phone) {

    public static Customer guest() {
        return new Customer(null, null, null);
    }
}
