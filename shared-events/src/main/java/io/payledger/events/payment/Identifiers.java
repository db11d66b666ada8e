package io.payledger.events.payment;

import java.util.regex.Pattern;

final class Identifiers {
    private static final Pattern ALLOWED = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private Identifiers() {
    }

    static boolean isValid(String value) {
        return value != null && ALLOWED.matcher(value).matches();
    }
}
