package dev.jftp.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.channels.spi.SelectorProvider;
import org.junit.jupiter.api.Test;

class ChannelProvidersTest {
    @Test
    void namesTheProviderTheJdkChoosesByItself() {
        assumeTrue(System.getProperty(ChannelProviders.SELECTOR_PROVIDER_PROPERTY) == null,
                "the test JVM was started with a provider of its own");
        // This JVM found its provider by the JDK's own search (nothing here set the property).
        String chosenByJdk = SelectorProvider.provider().getClass().getName();

        assertThat(ChannelProviders.platformDefault()).contains(chosenByJdk);
    }

    @Test
    void leavesAProviderNamedByTheUserAlone() {
        String before = System.getProperty(ChannelProviders.SELECTOR_PROVIDER_PROPERTY);
        System.setProperty(ChannelProviders.SELECTOR_PROVIDER_PROPERTY, "com.example.UsersOwnProvider");
        try {
            ChannelProviders.skipServiceLookup();

            assertThat(System.getProperty(ChannelProviders.SELECTOR_PROVIDER_PROPERTY)).isEqualTo("com.example.UsersOwnProvider");
        } finally {
            if (before == null) {
                System.clearProperty(ChannelProviders.SELECTOR_PROVIDER_PROPERTY);
            } else {
                System.setProperty(ChannelProviders.SELECTOR_PROVIDER_PROPERTY, before);
            }
        }
    }
}
