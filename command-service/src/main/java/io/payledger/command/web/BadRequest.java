package io.payledger.command.web;

/** A request the API cannot act on as sent (400), with a stable problem code. */
public class BadRequest extends RuntimeException {

    private final String code;

    public BadRequest(String code, String detail) {
        super(detail);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
