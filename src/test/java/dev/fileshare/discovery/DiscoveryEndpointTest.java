package dev.fileshare.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet4Address;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class DiscoveryEndpointTest {
  @Test
  void anAddressIsReachedByItsSubnetsBroadcastAndTheLimitedBroadcast() throws Exception {
    // 127.0.0.2 is no interface's own address, but lies in loopback's 127.0.0.0/8.
    Inet4Address address = (Inet4Address) InetAddress.getByName("127.0.0.2");

    assertThat(DiscoveryEndpoint.broadcastAddresses(address))
        .extracting(InetAddress::getHostAddress)
        .contains("127.255.255.255", "255.255.255.255");
  }
}
