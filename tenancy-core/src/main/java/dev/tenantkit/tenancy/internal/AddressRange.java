package dev.tenantkit.tenancy.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * An IPv4 or IPv6 address or CIDR block, parsed and matched as literal addresses only: never
 * through DNS, and never in the legacy forms {@link java.net.InetAddress} accepts ({@code 10},
 * {@code 10.1}, {@code 010.0.0.1}, {@code 0x0a.0.0.1}), since a gateway's range that silently means
 * something else (such as {@code 10/8} read as {@code 0.0.0.10/8}) is a hole. Immutable and
 * thread-safe.
 */
record AddressRange(byte[] network, int prefixBits) {
  private static final Pattern PREFIX = Pattern.compile("0|[1-9][0-9]{0,2}");
  private static final Pattern DECIMAL_PART = Pattern.compile("0|[1-9][0-9]{0,2}");
  private static final Pattern HEX_GROUP = Pattern.compile("[0-9a-fA-F]{1,4}");

  /**
   * Parses an address ({@code 10.1.2.3}, {@code ::1}, {@code [::1]}) or a CIDR block ({@code
   * 10.0.0.0/8}, {@code fd00::/8}).
   *
   * @throws IllegalArgumentException naming {@code spec} if it is not an IPv4 dotted quad or an
   *     IPv6 literal, with an optional prefix length in range
   */
  static AddressRange parse(String spec) {
    if (spec == null) {
      throw new IllegalArgumentException("a trusted gateway address is missing");
    }
    String s = spec.strip();
    int slash = s.indexOf('/');
    byte[] address = literal(slash < 0 ? s : s.substring(0, slash));
    if (address == null || isIpv4Mapped(address)) {
      throw new IllegalArgumentException(
          "'"
              + spec
              + "' is not an IP address or CIDR block; write IPv4 as four decimal parts, like"
              + " 10.0.0.0/8, and IPv6 in its literal form, like fd00::/8 (host names are not"
              + " looked up)");
    }
    int bits = address.length * 8;
    if (slash >= 0) {
      String prefix = s.substring(slash + 1);
      if (!PREFIX.matcher(prefix).matches() || Integer.parseInt(prefix) > address.length * 8) {
        throw new IllegalArgumentException(
            "bad prefix length in '" + spec + "': at most " + address.length * 8 + " bits");
      }
      bits = Integer.parseInt(prefix);
    }
    return new AddressRange(address, bits);
  }

  /**
   * Whether {@code candidate}, the literal address of a peer, is in this range. An IPv6 zone
   * ({@code %eth0}) is ignored, and an IPv4-mapped IPv6 address ({@code ::ffff:10.1.2.3}) is
   * compared as its IPv4 address. Anything that is not a literal address is not in any range.
   */
  boolean contains(String candidate) {
    if (candidate == null) {
      return false;
    }
    int zone = candidate.indexOf('%');
    byte[] address = literal(zone < 0 ? candidate : candidate.substring(0, zone));
    if (address != null && isIpv4Mapped(address)) {
      address = new byte[] {address[12], address[13], address[14], address[15]};
    }
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

  /** Parses an IPv4 dotted quad or an IPv6 literal, optionally in brackets; null if neither. */
  static byte[] literal(String s) {
    String host = s.startsWith("[") && s.endsWith("]") ? s.substring(1, s.length() - 1) : s;
    return host.indexOf(':') >= 0 ? ipv6(host) : ipv4(host);
  }

  private static byte[] ipv4(String s) {
    String[] parts = s.split("\\.", -1);
    if (parts.length != 4) {
      return null;
    }
    byte[] out = new byte[4];
    for (int i = 0; i < 4; i++) {
      if (!DECIMAL_PART.matcher(parts[i]).matches()) {
        return null;
      }
      int value = Integer.parseInt(parts[i]);
      if (value > 255) {
        return null;
      }
      out[i] = (byte) value;
    }
    return out;
  }

  private static byte[] ipv6(String s) {
    int gap = s.indexOf("::");
    if (gap >= 0 && s.indexOf("::", gap + 1) >= 0) {
      return null;
    }
    List<Integer> head = groups(gap < 0 ? s : s.substring(0, gap), gap < 0);
    List<Integer> tail = gap < 0 ? List.of() : groups(s.substring(gap + 2), true);
    if (head == null || tail == null) {
      return null;
    }
    int count = head.size() + tail.size();
    if (gap < 0 ? count != 8 : count > 7) {
      return null;
    }
    byte[] out = new byte[16];
    for (int i = 0; i < head.size(); i++) {
      out[2 * i] = (byte) (head.get(i) >> 8);
      out[2 * i + 1] = (byte) (int) head.get(i);
    }
    int start = 8 - tail.size();
    for (int i = 0; i < tail.size(); i++) {
      out[2 * (start + i)] = (byte) (tail.get(i) >> 8);
      out[2 * (start + i) + 1] = (byte) (int) tail.get(i);
    }
    return out;
  }

  /**
   * The 16-bit groups of a colon-separated run; an IPv4 dotted quad may end the run when it ends
   * the address. Null if malformed.
   */
  private static List<Integer> groups(String run, boolean endsAddress) {
    List<Integer> out = new ArrayList<>();
    if (run.isEmpty()) {
      return out;
    }
    String[] parts = run.split(":", -1);
    for (int i = 0; i < parts.length; i++) {
      String part = parts[i];
      if (endsAddress && i == parts.length - 1 && part.indexOf('.') >= 0) {
        byte[] v4 = ipv4(part);
        if (v4 == null) {
          return null;
        }
        out.add(((v4[0] & 0xFF) << 8) | (v4[1] & 0xFF));
        out.add(((v4[2] & 0xFF) << 8) | (v4[3] & 0xFF));
      } else if (HEX_GROUP.matcher(part).matches()) {
        out.add(Integer.parseInt(part, 16));
      } else {
        return null;
      }
    }
    return out;
  }

  private static boolean isIpv4Mapped(byte[] address) {
    if (address.length != 16) {
      return false;
    }
    for (int i = 0; i < 10; i++) {
      if (address[i] != 0) {
        return false;
      }
    }
    return address[10] == (byte) 0xFF && address[11] == (byte) 0xFF;
  }
}
