package dev.jftp.server.metrics;

import java.util.function.BooleanSupplier;

/** Without {@code --metrics-port}: every call does nothing. */
final class DisabledMetrics implements JftpdMetrics {
    static final DisabledMetrics INSTANCE = new DisabledMetrics();
    private static final CommandCounter NO_COMMAND = replyCode -> {
    };

    private DisabledMetrics() {
    }

    @Override
    public void sessionOpened(Protocol protocol) {
    }

    @Override
    public void sessionClosed(Protocol protocol) {
    }

    @Override
    public void loginSucceeded(LoginMethod method) {
    }

    @Override
    public void loginFailed(LoginMethod method) {
    }

    @Override
    public CommandCounter command(String verb) {
        return NO_COMMAND;
    }

    @Override
    public void transferFinished(Direction direction, long bytes, long nanos, boolean ok) {
    }

    @Override
    public void tlsHandshake(boolean ok) {
    }

    @Override
    public void storageOperation(StorageBackend backend, StorageOperation operation, boolean ok) {
    }

    @Override
    public void s3Request(S3Request kind, boolean ok) {
    }

    @Override
    public void accountStoreAvailability(BooleanSupplier available) {
    }
}
