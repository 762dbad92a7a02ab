package dev.jftp.server.security;

/** A user together with the stored hash of their password ({@link PasswordHasher} format). */
public record Account(User user, String passwordHash) {
}
