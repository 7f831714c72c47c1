package io.eddy.gateway;

import java.util.ArrayList;
import java.util.List;

/**
 * The address a request comes from, as aws:SourceIp gives it: the TCP peer's, or, when that peer
 * is one of the configured proxies ({@code eddy.http.trusted-proxies}), the one its
 * X-Forwarded-For names: the last hop that is not itself a trusted proxy. A client can write any
 * X-Forwarded-For it likes, so the header is read only from a trusted proxy, and only back to the
 * first hop that is not one.
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
     * The client's address: {@code peer} unless it is a trusted proxy with a {@code forwardedFor}
     * header, whose hops are then read from the last back; a hop that is not an address stops the
     * walk at the proxy that reported it.
     */
    static String resolve(String peer, String forwardedFor, List<IpRange> trustedProxies) {
        if (peer == null || forwardedFor == null || !trusted(peer, trustedProxies)) return peer;
        String client = peer;
        String[] hops = forwardedFor.split(",");
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = hops[i].trim();
            if (IpRange.literal(hop).isEmpty()) break;
            client = hop;
            if (!trusted(hop, trustedProxies)) break;
        }
        return client;
    }

    private static boolean trusted(String address, List<IpRange> trustedProxies) {
        for (IpRange range : trustedProxies) {
            if (range.contains(address)) return true;
        }
        return false;
    }
}
