package dev.tenantkit.tenancy.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/** An IPv4 or IPv6 address or CIDR block, matched against literal addresses only. */
record AddressRange(byte[] network, int prefixBits) {
  private static final Pattern LITERAL = Pattern.compile("[0-9a-fA-F:.]+");

  static AddressRange parse(String spec) {
    String s = spec.strip();
    int slash = s.indexOf('/');
    byte[] address = literal(slash < 0 ? s : s.substring(0, slash));
    if (address == null) {
      throw new IllegalArgumentException("not an IP address or CIDR block: " + spec);
    }
    int bits = address.length * 8;
    if (slash >= 0) {
      try {
        bits = Integer.parseInt(s.substring(slash + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("bad prefix length in " + spec, e);
      }
      if (bits < 0 || bits > address.length * 8) {
        throw new IllegalArgumentException("bad prefix length in " + spec);
      }
    }
    return new AddressRange(address, bits);
  }

  boolean contains(String candidate) {
    byte[] address = candidate == null ? null : literal(candidate);
    if (address == null || address.length != network.length) {
      return false;
    }
    int full = prefixBits / 8;
    for (int i = 0; i < full; i++) {
      if (address[i] != network[i]) {
        return false;
      }
    }
    int rest = prefixBits % 8;
    if (rest == 0) {
      return true;
    }
    int mask = (0xFF << (8 - rest)) & 0xFF;
    return (address[full] & mask) == (network[full] & mask);
  }

  /** Parses a literal address without ever doing a DNS lookup. */
  private static byte[] literal(String s) {
    String host = s.startsWith("[") && s.endsWith("]") ? s.substring(1, s.length() - 1) : s;
    if (host.isEmpty() || !LITERAL.matcher(host).matches()) {
      return null;
    }
    try {
      return InetAddress.getByName(host).getAddress();
    } catch (UnknownHostException e) {
      return null;
    }
  }
}
