package dev.tenantkit.tenancy.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AddressRangeTest {

  /**
   * Legacy IPv4 forms ({@code 10/8} would be 0.0.0.10/8), names that would go to DNS ({@code
   * localhost} resolves; {@code deadbeef} and {@code a.b} look hex enough to pass a character
   * check) and malformed prefixes are all refused, naming the value.
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "10/8",
        "10",
        "10.1",
        "1.2.3",
        "010.0.0.1",
        "0x0a.0.0.1",
        "1.2.3.4.5",
        "256.0.0.1",
        "1.2.3.4.",
        "deadbeef",
        "a.b",
        "localhost",
        "gateway.local",
        "",
        "10.0.0.0/33",
        "10.0.0.0/",
        "10.0.0.0/+8",
        "10.0.0.0/08",
        "10.0.0.0/-1",
        "::1/129",
        "1::2::3",
        ":::",
        "1:2:3:4:5:6:7:8:9",
        "1:2:3:4:5:6:7",
        "12345::",
        "fe80::1%eth0",
        "::ffff:10.0.0.1",
        "::1.2.3",
        "\u0661.2.3.4"
      })
  void refusesAnythingButLiteralAddresses(String spec) {
    assertThatThrownBy(() -> AddressRange.parse(spec))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'" + spec + "'");
  }

  @Test
  void parsesIpv4AndIpv6LiteralsAndBlocks() {
    AddressRange ten = AddressRange.parse("10.0.0.0/8");
    assertThat(ten.contains("10.9.9.9")).isTrue();
    assertThat(ten.contains("11.0.0.1")).isFalse();
    assertThat(ten.contains("::ffff:10.1.2.3")).isTrue();
    assertThat(AddressRange.parse("192.168.1.0/25").contains("192.168.1.127")).isTrue();
    assertThat(AddressRange.parse("192.168.1.0/25").contains("192.168.1.128")).isFalse();
    assertThat(AddressRange.parse("0.0.0.0/0").contains("203.0.113.7")).isTrue();
    assertThat(AddressRange.parse("127.0.0.1").contains("127.0.0.1")).isTrue();
    assertThat(AddressRange.parse("127.0.0.1").contains("127.0.0.2")).isFalse();

    AddressRange loopback = AddressRange.parse("::1");
    assertThat(loopback.contains("0:0:0:0:0:0:0:1")).isTrue();
    assertThat(loopback.contains("[::1]")).isTrue();
    assertThat(loopback.contains("127.0.0.1")).isFalse();
    assertThat(AddressRange.parse("[::1]").contains("::1")).isTrue();
    AddressRange ula = AddressRange.parse("fd00::/8");
    assertThat(ula.contains("fd12:3456:789a:1::1")).isTrue();
    assertThat(ula.contains("fe80::1%eth0")).isFalse();
    assertThat(AddressRange.parse("fe80::/10").contains("fe80::1%eth0")).isTrue();
    assertThat(AddressRange.parse("2001:db8::/32").contains("2001:DB8:0:0:0:0:0:ff")).isTrue();
    assertThat(AddressRange.parse("::/0").contains("2001:db8::1")).isTrue();
    assertThat(AddressRange.parse("64:ff9b::192.0.2.1").contains("64:ff9b::c000:201")).isTrue();
    assertThat(AddressRange.parse(" 10.0.0.1 ").contains("10.0.0.1")).isTrue();
  }

  @Test
  void aPeerThatIsNotALiteralAddressIsInNoRange() {
    AddressRange all = AddressRange.parse("0.0.0.0/0");
    assertThat(all.contains("localhost")).isFalse();
    assertThat(all.contains("10")).isFalse();
    assertThat(all.contains("0x7f.0.0.1")).isFalse();
    assertThat(all.contains(null)).isFalse();
    assertThat(all.contains("")).isFalse();
  }
}
