package dev.gpuproxy.server.billing.rest;

import dev.gpuproxy.server.common.http.EdgeRouteOrder;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gpuproxy.server.billing.service.PreferredPayment;
import dev.gpuproxy.server.common.error.ApiException;
import dev.gpuproxy.server.common.error.Problem;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Refuses any request whose {@code X-Preferred-Payment} carries a card number, on every path, before authentication,
 * logging or any handler sees it: the number is never stored, logged or echoed back.
 */
@ApplicationScoped
public class RawCardNumberFilter {

    private final String problemBody;

    RawCardNumberFilter(ObjectMapper mapper) throws Exception {
        ApiException refusal = PreferredPayment.rawCardNumber();
        this.problemBody = mapper.writeValueAsString(Problem.of(refusal.status(), refusal.code(), refusal.detail()));
    }

    void register(@Observes Router router) {
        router.route().order(EdgeRouteOrder.RAW_CARD_NUMBER).handler(this::refuseCardNumbers);
    }

    void refuseCardNumbers(RoutingContext context) {
        String preferred = context.request().getHeader(PreferredPayment.HEADER);
        if (preferred != null && carriesCardNumber(preferred)) {
            context.request().headers().remove(PreferredPayment.HEADER);
            context.response().setStatusCode(400)
                    .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                    .end(problemBody);
            return;
        }
        context.next();
    }

    private static boolean carriesCardNumber(String value) {
        try {
            PreferredPayment.parse(value);
            return false;
        } catch (ApiException e) {
            return "raw_card_number_refused".equals(e.code());
        }
    }
}
