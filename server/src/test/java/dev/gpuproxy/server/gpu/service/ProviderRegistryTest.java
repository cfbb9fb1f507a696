package dev.gpuproxy.server.gpu.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gpuproxy.provider.spi.GpuProvider;
import dev.gpuproxy.provider.spi.GpuProviderFactory;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ProviderRegistryTest {

    private record NamedFactory(String id) implements GpuProviderFactory {
        @Override
        public GpuProvider create(Map<String, String> config) {
            throw new IllegalStateException("never created in this test");
        }
    }

    @Test
    void shippedAdaptersAreFoundOnTheClassPath() {
        assertThat(ProviderRegistry.index(ServiceLoader.load(GpuProviderFactory.class)).keySet())
                .containsExactlyInAnyOrder("vastai", "ionet");
    }

    @Test
    void twoFactoriesWithOneIdAreRefused() {
        assertThatThrownBy(() -> ProviderRegistry.index(List.of(new NamedFactory("vastai"), new NamedFactory("ionet"),
                new NamedFactory("vastai"))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Two GPU provider factories claim the id vastai");
    }

    private record AliasedFactory(String id, Set<String> aliases) implements GpuProviderFactory {
        @Override
        public GpuProvider create(Map<String, String> config) {
            throw new IllegalStateException("never created in this test");
        }
    }

    @Test
    void shippedAdaptersAnswerToTheSeedsNames() {
        Map<String, String> aliases = ProviderRegistry.aliases(ServiceLoader.load(GpuProviderFactory.class));

        assertThat(aliases).containsEntry("vast.ai", "vastai").containsEntry("io.net", "ionet");
    }

    @Test
    void anAliasThatNamesAnotherProviderIsRefused() {
        assertThatThrownBy(() -> ProviderRegistry.aliases(List.of(new AliasedFactory("vastai", Set.of("vast.ai")),
                new AliasedFactory("ionet", Set.of("Vast.AI")))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("alias Vast.AI of ionet");
        assertThatThrownBy(() -> ProviderRegistry.aliases(List.of(new AliasedFactory("vastai", Set.of()),
                new AliasedFactory("ionet", Set.of("vastai")))))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> ProviderRegistry.aliases(List.of(new AliasedFactory("mine", Set.of("static")))))
                .isInstanceOf(IllegalStateException.class);
    }
}
