package dev.gpuproxy.server.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gpuproxy.server.gateway.proxy.ProxyTargets;
import java.net.InetAddress;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The address rules of the SSRF guard and the "under a registered base" rule, without a server. */
class ProxyTargetGuardTest {

    private static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByName(literal);
    }

    @Test
    void loopbackLinkLocalPrivateUniqueLocalAndUnspecifiedAreRestricted() throws Exception {
        for (String address : List.of("127.0.0.1", "127.8.9.10", "::1", "169.254.169.254", "fe80::1", "10.0.0.1",
                "172.16.0.1", "172.31.255.255", "192.168.0.1", "fc00::1", "fd12:3456::1", "0.0.0.0", "::",
                "100.64.0.1", "::ffff:10.0.0.1", "224.0.0.1", "64:ff9b::a00:1")) {
            assertThat(ProxyTargetGuard.restricted(ip(address))).as(address).isTrue();
        }
    }

    @Test
    void publicAddressesAreNot() throws Exception {
        for (String address : List.of("8.8.8.8", "172.32.0.1", "1.1.1.1", "2606:4700:4700::1111", "100.128.0.1")) {
            assertThat(ProxyTargetGuard.restricted(ip(address))).as(address).isFalse();
        }
    }

    @Test
    void cidrsMatchOnTheirPrefixOnly() throws Exception {
        ProxyTargetGuard.Cidr net = ProxyTargetGuard.Cidr.parse("10.1.0.0/16");
        assertThat(net.contains(ip("10.1.200.3"))).isTrue();
        assertThat(net.contains(ip("10.2.0.1"))).isFalse();
        assertThat(ProxyTargetGuard.Cidr.parse("127.0.0.1").contains(ip("127.0.0.2"))).isFalse();
        assertThat(ProxyTargetGuard.Cidr.parse("fd00::/8").contains(ip("fd00::5"))).isTrue();
        assertThat(ProxyTargetGuard.parse(" 10.0.0.0/8 , 192.168.1.0/24 ")).hasSize(2);
        assertThatThrownBy(() -> ProxyTargetGuard.Cidr.parse("example.com/8"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ProxyTargetGuard.Cidr.parse("10.0.0.0/40")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aTargetIsUnderABaseOnlyWithTheSameOriginAndASegmentBoundary() {
        URI base = URI.create("http://gpu.example:8000/v1");
        assertThat(ProxyTargets.under(URI.create("http://gpu.example:8000/v1/chat"), base)).isTrue();
        assertThat(ProxyTargets.under(URI.create("http://gpu.example:8000/v1"), base)).isTrue();
        assertThat(ProxyTargets.under(URI.create("http://gpu.example:8000/v10"), base)).isFalse();
        assertThat(ProxyTargets.under(URI.create("http://gpu.example:8001/v1/chat"), base)).isFalse();
        assertThat(ProxyTargets.under(URI.create("https://gpu.example:8000/v1/chat"), base)).isFalse();
        assertThat(ProxyTargets.under(URI.create("http://evil.example:8000/v1/chat"), base)).isFalse();
        assertThat(ProxyTargets.under(URI.create("http://gpu.example:8000/v1/%2e%2e/admin"), base)).isFalse();
        assertThat(ProxyTargets.under(URI.create("http://gpu.example/x"), URI.create("http://gpu.example:80"))).isTrue();
    }
}
