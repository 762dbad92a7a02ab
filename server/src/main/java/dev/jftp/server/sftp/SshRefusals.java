package dev.jftp.server.sftp;

import dev.jftp.server.ftp.control.ControlCharacters;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.util.net.SshdSocketAddress;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.apache.sshd.server.command.CommandFactory;
import org.apache.sshd.server.forward.ForwardingFilter;
import org.apache.sshd.server.shell.ShellFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What jftpd's SSH server refuses, each with one log line: a shell or a command (the client is
 * told on standard error that only SFTP is served, and the channel ends with exit status 1, so
 * that {@code ssh host cmd} and the legacy {@code scp -O} fail with a reason rather than hang), and
 * port, X11 and agent forwarding (the request is refused; OpenSSH reports it). Agent forwarding
 * never gets this far: without an agent factory MINA refuses it first, and OpenSSH goes on without.
 */
final class SshRefusals implements ShellFactory, CommandFactory, ForwardingFilter {
    private static final Logger log = LoggerFactory.getLogger(SshRefusals.class);
    static final String MESSAGE = "jftpd: only SFTP is served here (no shell, no commands)";

    @Override
    public Command createShell(ChannelSession channel) {
        log.info("sftp session {}: shell refused", SshSessions.id(channel.getSession()));
        return new Refused();
    }

    @Override
    public Command createCommand(ChannelSession channel, String command) {
        log.info("sftp session {}: command refused: {}", SshSessions.id(channel.getSession()), ControlCharacters.escape(command));
        return new Refused();
    }

    @Override
    public boolean canListen(SshdSocketAddress address, Session session) {
        log.info("sftp session {}: remote port forwarding refused", SshSessions.id(session));
        return false;
    }

    @Override
    public boolean canConnect(Type type, SshdSocketAddress address, Session session) {
        log.info("sftp session {}: port forwarding ({}) refused", SshSessions.id(session), type.getName());
        return false;
    }

    @Override
    public boolean canForwardX11(Session session, String requestType) {
        log.info("sftp session {}: X11 forwarding refused", SshSessions.id(session));
        return false;
    }

    @Override
    public boolean canForwardAgent(Session session, String requestType) {
        log.info("sftp session {}: agent forwarding refused", SshSessions.id(session));
        return false;
    }

    /** A command that only says it is refused and ends with status 1. */
    private static final class Refused implements Command {
        private OutputStream err;
        private ExitCallback exit;

        @Override
        public void setInputStream(InputStream in) {
        }

        @Override
        public void setOutputStream(OutputStream out) {
        }

        @Override
        public void setErrorStream(OutputStream err) {
            this.err = err;
        }

        @Override
        public void setExitCallback(ExitCallback callback) {
            this.exit = callback;
        }

        @Override
        public void start(ChannelSession channel, Environment env) throws IOException {
            try {
                err.write((MESSAGE + "\r\n").getBytes(StandardCharsets.UTF_8));
                err.flush();
            } finally {
                exit.onExit(1, MESSAGE);
            }
        }

        @Override
        public void destroy(ChannelSession channel) {
        }
    }
}
