package dev.jftp.server.accounts;

import java.io.IOException;

/** The account store cannot be asked now (a database down); the message names no secret. */
public final class AccountStoreUnavailableException extends IOException {
    public AccountStoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
