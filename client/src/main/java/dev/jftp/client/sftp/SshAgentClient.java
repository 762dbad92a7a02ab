package dev.jftp.client.sftp;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.AbstractMap.SimpleImmutableEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.sshd.agent.SshAgent;
import org.apache.sshd.agent.SshAgentFactory;
import org.apache.sshd.agent.SshAgentKeyConstraint;
import org.apache.sshd.agent.SshAgentServer;
import org.apache.sshd.common.FactoryManager;
import org.apache.sshd.common.SshException;
import org.apache.sshd.common.channel.ChannelFactory;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.session.ConnectionService;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionContext;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;

/**
 * The keys of a running ssh-agent ($SSH_AUTH_SOCK), offered before the key files, as ssh does.
 * The agent protocol (draft-miller-ssh-agent sections 3.4, 3.6) over the JDK's own Unix domain
 * sockets: MINA's agent client needs Apache Tomcat's native APR library for that. Only listing
 * keys and signing are done; keys are never added or removed.
 */
final class SshAgentClient implements SshAgent {
    private static final byte REQUEST_IDENTITIES = 11;
    private static final byte IDENTITIES_ANSWER = 12;
    private static final byte SIGN_REQUEST = 13;
    private static final byte SIGN_RESPONSE = 14;
    private static final int RSA_SHA2_256 = 2;
    private static final int RSA_SHA2_512 = 4;
    /** An agent's answer is small; anything larger is not an agent. */
    private static final int MAX_MESSAGE = 256 * 1024;

    private final SocketChannel channel;
    private final java.io.PrintWriter err;

    private SshAgentClient(SocketChannel channel, java.io.PrintWriter err) {
        this.channel = channel;
        this.err = err;
    }

    /**
     * A factory for MINA's public-key login that connects to the agent at {@code socket}; an agent
     * that cannot be used is reported on {@code err} and the login goes on without it, as ssh's.
     */
    static SshAgentFactory factory(Path socket, java.io.PrintWriter err) {
        return new SshAgentFactory() {
            @Override
            public List<ChannelFactory> getChannelForwardingFactories(FactoryManager manager) {
                return List.of(); // no agent forwarding
            }

            @Override
            public SshAgent createClient(Session session, FactoryManager manager) throws IOException {
                SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
                try {
                    channel.connect(UnixDomainSocketAddress.of(socket));
                } catch (IOException e) {
                    channel.close();
                    throw e;
                }
                return new SshAgentClient(channel, err);
            }

            @Override
            public SshAgentServer createServer(ConnectionService service) {
                throw new UnsupportedOperationException("jftp forwards no agent");
            }
        };
    }

    private synchronized Buffer request(Buffer message) throws IOException {
        ByteBuffer out = ByteBuffer.allocate(4 + message.available());
        out.putInt(message.available()).put(message.array(), message.rpos(), message.available()).flip();
        while (out.hasRemaining()) {
            channel.write(out);
        }
        ByteBuffer length = ByteBuffer.allocate(4);
        readFully(length);
        int size = length.flip().getInt();
        if (size <= 0 || size > MAX_MESSAGE) {
            throw new SshException("ssh-agent answered a message of " + size + " bytes");
        }
        ByteBuffer body = ByteBuffer.allocate(size);
        readFully(body);
        return new ByteArrayBuffer(body.array());
    }

    private void readFully(ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) {
                throw new SshException("ssh-agent closed the connection");
            }
        }
    }

    @Override
    public Iterable<? extends Map.Entry<PublicKey, String>> getIdentities() {
        try {
            return identities();
        } catch (IOException | RuntimeException e) {
            err.println("error fetching identities from ssh-agent: " + e.getMessage());
            err.flush();
            return List.of();
        }
    }

    private List<Map.Entry<PublicKey, String>> identities() throws IOException {
        Buffer request = new ByteArrayBuffer();
        request.putByte(REQUEST_IDENTITIES);
        Buffer answer = request(request);
        if (answer.getByte() != IDENTITIES_ANSWER) {
            throw new SshException("ssh-agent refused to list its keys");
        }
        long count = answer.getUInt();
        if (count > 1024) {
            throw new SshException("ssh-agent lists " + count + " keys");
        }
        List<Map.Entry<PublicKey, String>> keys = new ArrayList<>();
        for (long i = 0; i < count; i++) {
            byte[] blob = answer.getBytes();
            String comment = answer.getString();
            try {
                keys.add(new SimpleImmutableEntry<>(new ByteArrayBuffer(blob).getRawPublicKey(), comment));
            } catch (SshException e) {
                // a key type (a certificate, a security key) this client cannot use: ssh skips it too
            }
        }
        return keys;
    }

    @Override
    public Map.Entry<String, byte[]> sign(SessionContext session, PublicKey key, String algorithm, byte[] data) throws IOException {
        String signatureAlgorithm = algorithm == null || algorithm.isEmpty() ? KeyUtils.getKeyType(key) : algorithm;
        int flags = switch (signatureAlgorithm) {
            case KeyUtils.RSA_SHA512_KEY_TYPE_ALIAS -> RSA_SHA2_512;
            case KeyUtils.RSA_SHA256_KEY_TYPE_ALIAS -> RSA_SHA2_256;
            default -> 0;
        };
        Buffer request = new ByteArrayBuffer();
        request.putByte(SIGN_REQUEST);
        request.putPublicKey(key);
        request.putBytes(data);
        request.putInt(flags);
        Buffer answer = request(request);
        if (answer.getByte() != SIGN_RESPONSE) {
            throw new SshException("ssh-agent refused to sign with its " + SshKnownHosts.typeLabel(key) + " key");
        }
        Buffer signature = new ByteArrayBuffer(answer.getBytes());
        String name = signature.getString();
        return new SimpleImmutableEntry<>(name, signature.getBytes());
    }

    @Override
    public void addIdentity(KeyPair key, String comment, SshAgentKeyConstraint... constraints) {
        throw new UnsupportedOperationException("jftp adds no keys to the agent");
    }

    @Override
    public void removeIdentity(PublicKey key) {
        throw new UnsupportedOperationException("jftp removes no keys from the agent");
    }

    @Override
    public void removeAllIdentities() {
        throw new UnsupportedOperationException("jftp removes no keys from the agent");
    }

    @Override
    public boolean isOpen() {
        return channel.isOpen();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
