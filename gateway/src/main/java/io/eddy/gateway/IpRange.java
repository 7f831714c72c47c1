package io.eddy.gateway;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An IPv4 or IPv6 range in CIDR notation, as IAM's IpAddress and NotIpAddress operators take one:
 * an address without a prefix is that address alone (/32, /128).
 */
record IpRange(byte[] network, int prefix) {

    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    /** The range the text names, or empty when it is not an address literal with a valid prefix. */
    static Optional<IpRange> parse(String text) {
        String trimmed = text.trim();
        int slash = trimmed.indexOf('/');
        String address = slash < 0 ? trimmed : trimmed.substring(0, slash);
        // Literals only: InetAddress would look a host name up.
        Optional<byte[]> bytes = literal(address);
        if (bytes.isEmpty()) return Optional.empty();
        // An IPv4-mapped IPv6 range is the IPv4 range of its last 32 bits.
        int skipped = bytes.get().length == 4 && address.contains(":") ? 96 : 0;
        int bits = bytes.get().length * 8;
        int prefix = bits;
        if (slash >= 0) {
            String digits = trimmed.substring(slash + 1);
            if (!digits.matches("\\d{1,3}")) return Optional.empty();
            prefix = Integer.parseInt(digits) - skipped;
            if (prefix < 0 || prefix > bits) return Optional.empty();
        }
        return Optional.of(new IpRange(bytes.get(), prefix));
    }

    /** The address's bytes (4 for IPv4, and for an IPv6 address mapping one; 16 otherwise), or empty when it is no literal. */
    static Optional<byte[]> literal(String address) {
        boolean ipv6 = IPV6.matcher(address).matches();
        if (!ipv6 && !IPV4.matcher(address).matches()) return Optional.empty();
        try {
            // In brackets the JDK parses an IPv6 literal or refuses it, never asking the resolver (".:" alone it would
            // look up); it gives an IPv4-mapped one as the IPv4 address, as IAM compares it.
            return Optional.of(InetAddress.getByName(ipv6 ? "[" + address + "]" : address).getAddress());
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    /**
     * Whether the address (a literal, as {@code InetAddress.getHostAddress} writes it: an IPv6 one
     * may end with its zone, {@code %2}, which ranges do not name) lies in the range; an address of
     * the other family does not.
     */
    boolean contains(String address) {
        return address(address).map(this::contains).orElse(false);
    }

    /** An address as {@code InetAddress.getHostAddress} writes it (an IPv6 one perhaps with its zone, {@code %2}) as bytes. */
    static Optional<byte[]> address(String text) {
        int zone = text.indexOf('%');
        return literal(zone < 0 ? text : text.substring(0, zone));
    }

    /** Whether the address's bytes (4 or 16) lie in the range; an address of the other family does not. */
    boolean contains(byte[] candidate) {
        if (candidate.length != network.length) return false;
        int whole = prefix / 8;
        for (int i = 0; i < whole; i++) {
            if (candidate[i] != network[i]) return false;
        }
        int rest = prefix % 8;
        if (rest == 0) return true;
        int mask = 0xFF << (8 - rest) & 0xFF;
        return (candidate[whole] & mask) == (network[whole] & mask);
    }
}
