package io.eddy.gateway;

import java.util.ArrayList;
import java.util.List;

/**
 * The address a request comes from, as aws:SourceIp gives it: the TCP peer's, or, when that peer
 * is one of the configured proxies ({@code eddy.http.trusted-proxies}), the one its
 * X-Forwarded-For headers name (all of them, in order, as proxies that add a header of their own
 * rather than extend the client's leave them): the last hop that is not itself a trusted proxy. A
 * client can write any X-Forwarded-For it likes, so the header is read only from a trusted proxy,
 * and only back to the first hop that is not one.
 */
final class ClientAddress {

    private ClientAddress() {}

    /** The configured proxy ranges (CIDR, or one address). */
    static List<IpRange> ranges(List<String> configured) {
        List<IpRange> ranges = new ArrayList<>();
        for (String range : configured) {
            ranges.add(IpRange.parse(range).orElseThrow(() ->
                    new IllegalArgumentException("eddy.http.trusted-proxies: " + range + " is not an IP address or CIDR range")));
        }
        return List.copyOf(ranges);
    }

    /**
     * The client's address: {@code peer} unless it is a trusted proxy with X-Forwarded-For
     * headers ({@code forwardedFor}, joined with commas), whose hops are then read from the last
     * back (a port or brackets around one are dropped); null (not known, so that a condition on it
     * holds only as for an absent key) when a hop that must be read is not an address.
     */
    static String resolve(String peer, String forwardedFor, List<IpRange> trustedProxies) {
        if (peer == null || forwardedFor == null || trustedProxies.isEmpty()) return peer;
        if (!IpRange.address(peer).map(bytes -> trusted(bytes, trustedProxies)).orElse(false)) return peer;
        String client = peer;
        String[] hops = forwardedFor.split(",");
        for (int i = hops.length - 1; i >= 0; i--) {
            if (hops[i].isBlank()) continue;
            java.util.Optional<byte[]> address = IpRange.literal(withoutPort(hops[i].trim()));
            if (address.isEmpty()) return null;
            try {
                client = java.net.InetAddress.getByAddress(address.get()).getHostAddress();
            } catch (java.net.UnknownHostException impossible) {
                return null;
            }
            if (!trusted(address.get(), trustedProxies)) break;
        }
        return client;
    }

    /** {@code 192.0.2.1:4711} as {@code 192.0.2.1}, {@code [2001:db8::1]:443} and {@code [2001:db8::1]} as {@code 2001:db8::1}. */
    private static String withoutPort(String hop) {
        if (hop.startsWith("[")) {
            int end = hop.indexOf(']');
            return end < 0 ? hop : hop.substring(1, end);
        }
        int colon = hop.indexOf(':');
        return colon > 0 && hop.indexOf(':', colon + 1) < 0 ? hop.substring(0, colon) : hop;
    }

    private static boolean trusted(byte[] address, List<IpRange> trustedProxies) {
        for (IpRange range : trustedProxies) {
            if (range.contains(address)) return true;
        }
        return false;
    }
}
