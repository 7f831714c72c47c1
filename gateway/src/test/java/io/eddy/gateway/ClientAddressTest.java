package io.eddy.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** aws:SourceIp behind proxies: X-Forwarded-For read only from trusted ones, and only back to the first hop that is not. */
class ClientAddressTest {

    private static final List<IpRange> PROXIES = ClientAddress.ranges(List.of("10.0.0.0/8", "fd00::/8"));

    @Test
    void theForwardedClientOfATrustedProxy() {
        assertEquals("203.0.113.7", ClientAddress.resolve("10.1.2.3", "203.0.113.7", PROXIES));
        // Through two trusted proxies: the client is the last hop that is not one.
        assertEquals("203.0.113.7", ClientAddress.resolve("10.1.2.3", "198.51.100.1, 203.0.113.7, 10.9.9.9", PROXIES));
        assertEquals("2001:db8:0:0:0:0:0:5", ClientAddress.resolve("fd00::1", "2001:db8::5", PROXIES));
        // Ports and brackets, as some proxies write them, and empty entries.
        assertEquals("203.0.113.7", ClientAddress.resolve("10.1.2.3", "203.0.113.7:51234, ,", PROXIES));
        assertEquals("2001:db8:0:0:0:0:0:5", ClientAddress.resolve("10.1.2.3", "[2001:db8::5]:443", PROXIES));
        assertEquals("2001:db8:0:0:0:0:0:5", ClientAddress.resolve("10.1.2.3", "[2001:db8::5]", PROXIES));
    }

    @Test
    void aHeaderFromAnyoneElseOrNotAnAddressIsNotBelieved() {
        // A client's own X-Forwarded-For says nothing.
        assertEquals("192.0.2.1", ClientAddress.resolve("192.0.2.1", "10.0.0.1", PROXIES));
        assertEquals("10.1.2.3", ClientAddress.resolve("10.1.2.3", null, PROXIES));
        // A hop that must be read and is no address: the client's address is not known (not a proxy's).
        assertEquals(null, ClientAddress.resolve("10.1.2.3", "203.0.113.7, unknown, 10.9.9.9", PROXIES));
        assertEquals(null, ClientAddress.resolve("10.1.2.3", "_hidden", PROXIES));
        // ... but one beyond the first untrusted hop is not read.
        assertEquals("203.0.113.7", ClientAddress.resolve("10.1.2.3", "unknown, 203.0.113.7", PROXIES));
        // Every hop a trusted proxy: the first of them.
        assertEquals("10.0.0.1", ClientAddress.resolve("10.1.2.3", "10.0.0.1, 10.0.0.2", PROXIES));
        // No trusted proxies: the peer, whatever the header says.
        assertEquals("10.1.2.3", ClientAddress.resolve("10.1.2.3", "203.0.113.7", List.of()));
        assertEquals(null, ClientAddress.resolve(null, "203.0.113.7", PROXIES));
    }

    @Test
    void aRangeThatIsNotOneIsRefusedAtStart() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ClientAddress.ranges(List.of("10.0.0.0/33")));
        assertEquals("eddy.http.trusted-proxies: 10.0.0.0/33 is not an IP address or CIDR range", e.getMessage());
    }
}
