package dev.jftp.server.accounts;

/** A user together with the stored hash of their password ({@link PasswordHasher} format). */
public record Account(User user, String passwordHash) {
}
