package dev.jftp.server.ftp.session;

import dev.jftp.server.auth.Authenticator;
import dev.jftp.server.auth.LoginThrottle;
import dev.jftp.server.ftp.ServerConfig;
import dev.jftp.server.ftp.data.PassiveListeners;
import dev.jftp.server.storage.Storage;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** What every session of one server shares: configuration, command table, security state. */
public final class ServerContext {
    private final ServerConfig config;
    private final Map<String, CommandSpec> commands;
    private final Authenticator authenticator;
    private final LoginThrottle loginThrottle;
    private final Storage storage;
    private final AtomicInteger activeTransfers = new AtomicInteger();
    private final PassiveListeners passiveListeners = new PassiveListeners();

    public ServerContext(ServerConfig config, Map<String, CommandSpec> commands, Authenticator authenticator, LoginThrottle loginThrottle,
            Storage storage) {
        this.config = config;
        this.commands = commands;
        this.authenticator = authenticator;
        this.loginThrottle = loginThrottle;
        this.storage = storage;
    }

    /** What a user who has logged in gets as their files. */
    public Storage storage() {
        return storage;
    }

    public ServerConfig config() {
        return config;
    }

    public Map<String, CommandSpec> commands() {
        return commands;
    }

    public Authenticator authenticator() {
        return authenticator;
    }

    public LoginThrottle loginThrottle() {
        return loginThrottle;
    }

    /** Passive listeners waiting for their transfer command, swept by the server's watchdog. */
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
