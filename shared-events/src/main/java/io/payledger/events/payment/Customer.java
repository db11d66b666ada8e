package io.payledger.events.payment;

/**
 * Who pays. Every field is optional (Fiuu's guest checkout). Card data never enters the system. In an
 * event each present field is sealed personal data; in clear only on its way in and when opened.
 */
public record Customer(String name, String email, String phone) {

    public static Customer guest() {
        return new Customer(null, null, null);
    }
}
