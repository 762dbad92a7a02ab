package dev.jftp.server.reliability;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.spi.InetAddressResolver;
import java.net.spi.InetAddressResolverProvider;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * The name service of the test JVMs (registered in META-INF/services): it answers as the JDK's
 * built-in resolver does and counts every lookup, so that a test can prove that parsing an address
 * never asked the name service (a hostile EPRT must not make the server resolve names).
 */
public final class LookupCountingResolverProvider extends InetAddressResolverProvider {
    private static final AtomicLong LOOKUPS = new AtomicLong();

    /** Lookups by name and by address since the JVM started. */
    public static long lookups() {
        return LOOKUPS.get();
    }

    @Override
    public InetAddressResolver get(Configuration configuration) {
        InetAddressResolver builtin = configuration.builtinResolver();
        return new InetAddressResolver() {
            @Override
            public Stream<InetAddress> lookupByName(String host, LookupPolicy policy) throws UnknownHostException {
                LOOKUPS.incrementAndGet();
                return builtin.lookupByName(host, policy);
            }

            @Override
            public String lookupByAddress(byte[] address) throws UnknownHostException {
                LOOKUPS.incrementAndGet();
                return builtin.lookupByAddress(address);
            }
        };
    }

    @Override
    public String name() {
        return "jftp-test-lookup-counter";
    }
}
