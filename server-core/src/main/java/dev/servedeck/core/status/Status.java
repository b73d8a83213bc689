package dev.servedeck.core.status;

import java.util.Objects;

/** An outcome kept as data: a code and a message meant for the client (never a stack trace). */
public record Status(Code code, String message) {

    public static final Status OK = new Status(Code.OK, "");

    public Status {
        Objects.requireNonNull(code, "code");
        message = message == null ? "" : message;
    }

    public static Status of(Code code, String message) {
        return new Status(code, message);
    }

    public boolean ok() {
        return code == Code.OK;
    }
}
