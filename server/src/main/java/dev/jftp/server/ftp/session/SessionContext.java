package dev.jftp.server.ftp.session;

import dev.jftp.server.auth.Authenticator;
import dev.jftp.server.auth.LoginThrottle;
import dev.jftp.server.core.Services;
import dev.jftp.server.ftp.data.PassiveListeners;
import dev.jftp.server.metrics.JftpdMetrics;
import dev.jftp.server.storage.Storage;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** What every session of one FTP listener shares: its settings, the node's services, the command table. */
public final class SessionContext {
    private final FtpSessionConfig config;
    private final Services services;
    private final Map<String, CommandSpec> commands;
    private final AtomicInteger activeTransfers = new AtomicInteger();
    private final PassiveListeners passiveListeners = new PassiveListeners();

    public SessionContext(FtpSessionConfig config, Services services, Map<String, CommandSpec> commands) {
        this.config = config;
        this.services = services;
        this.commands = commands;
    }

    public FtpSessionConfig config() {
        return config;
    }

    public Services services() {
        return services;
    }

    public Map<String, CommandSpec> commands() {
        return commands;
    }

    public Authenticator authenticator() {
        return services.authenticator();
    }

    public LoginThrottle loginThrottle() {
        return services.loginThrottle();
    }

    /** What is counted for Prometheus (nothing without --metrics-port). */
    public JftpdMetrics metrics() {
        return services.metrics();
    }

    /** What a user who has logged in gets their files from. */
    public Storage storage() {
        return services.storage();
    }

    /** Passive listeners waiting for their transfer command, swept by the listener's watchdog. */
    public PassiveListeners passiveListeners() {
        return passiveListeners;
    }

    public void transferStarted() {
        activeTransfers.incrementAndGet();
    }

    public void transferEnded() {
        activeTransfers.decrementAndGet();
    }

    public int activeTransfers() {
        return activeTransfers.get();
    }
}
