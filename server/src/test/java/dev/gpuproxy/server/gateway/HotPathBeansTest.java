package dev.gpuproxy.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gpuproxy.server.credit.service.QuotaService;
import dev.gpuproxy.server.credit.service.UsageMeter;
import dev.gpuproxy.server.gateway.admission.GatewayAdmission;
import dev.gpuproxy.server.gateway.admission.GatewayAuthenticator;
import dev.gpuproxy.server.gateway.admission.SpendGuard;
import dev.gpuproxy.server.gateway.metering.TokenPricing;
import dev.gpuproxy.server.gateway.proxy.Gateway;
import dev.gpuproxy.server.identity.account.service.UserDirectory;
import dev.gpuproxy.server.identity.auth.service.ApiKeyService;
import dev.gpuproxy.server.identity.auth.service.ApiKeyUsageRecorder;
import dev.gpuproxy.server.identity.auth.service.CredentialVerifier;
import dev.gpuproxy.server.lb.service.PoolRegistry;
import dev.gpuproxy.server.ratelimit.RateLimitService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Singleton;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The beans every gateway request calls are called directly, not through a client proxy (see DataPlaneRoutes). */
class HotPathBeansTest {

    @Test
    void theBeansEveryGatewayRequestCallsHaveNoClientProxy() {
        List<Class<?>> hotPath = List.of(Gateway.class, GatewayAdmission.class, GatewayAuthenticator.class,
                CredentialVerifier.class, ApiKeyService.class, ApiKeyUsageRecorder.class, UserDirectory.class,
                RateLimitService.class, QuotaService.class, SpendGuard.class, PoolRegistry.class, TokenPricing.class,
                UsageMeter.class);
        for (Class<?> bean : hotPath) {
            assertThat(bean.isAnnotationPresent(Singleton.class)).as(bean.getSimpleName() + " is @Singleton").isTrue();
            assertThat(bean.isAnnotationPresent(ApplicationScoped.class)).as(bean.getSimpleName()).isFalse();
        }
    }
}
