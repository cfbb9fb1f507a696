package dev.gpuproxy.server.admin.service;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.gpuproxy.server.billing.repository.PaymentEntity;
import dev.gpuproxy.server.billing.service.PaymentProcessor;
import dev.gpuproxy.server.billing.service.PaymentProvider;
import dev.gpuproxy.server.billing.service.PaymentView;
import dev.gpuproxy.server.common.error.ApiException;
import dev.gpuproxy.server.common.money.Credits;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.hibernate.Session;
import org.hibernate.query.SelectionQuery;

/** Every tenant's payments for the operator: a filtered page, counts by processor and status, which processors are on. */
@ApplicationScoped
@Transactional(Transactional.TxType.SUPPORTS)
public class AdminPayments {

    static final Set<String> STATUSES = Set.of("pending", "succeeded", "failed", "refunded", "disputed", "canceled");

    private final Session session;
    private final Map<String, Boolean> processors = new TreeMap<>();

    AdminPayments(Session session, @Any Instance<PaymentProcessor> all) {
        this.session = session;
        for (PaymentProvider provider : PaymentProvider.values()) {
            processors.put(provider.id(), false);
        }
        for (PaymentProcessor processor : all) {
            processors.put(processor.provider().id(), processor.enabled());
        }
    }

    public record PaymentRow(@JsonProperty("user_id") long userId, @JsonProperty("user_email") String userEmail,
                             PaymentView payment) {}

    /**
     * Payments of one processor in one status and currency: how many, the amount (exact decimals added up) and the
     * credits they were worth.
     */
    public record Summary(String provider, String status, String currency, long count, BigDecimal amount,
                          BigDecimal credits) {}

    public record Processor(String provider, boolean enabled) {}

    public record Page(List<PaymentRow> data, long total, int limit, int offset, List<Summary> summary,
                       List<Processor> processors) {}

    public Page list(String provider, String status, Long userId, int limit, int offset) {
        StringBuilder where = new StringBuilder(" where 1 = 1");
        Map<String, Object> params = new HashMap<>();
        if (provider != null && !provider.isBlank()) {
            where.append(" and p.provider = :provider");
            params.put("provider", PaymentProvider.parse(provider, "provider").id());
        }
        if (status != null && !status.isBlank()) {
            if (!STATUSES.contains(status.strip())) {
                throw ApiException.badRequest("status must be one of " + String.join(", ", STATUSES.stream().sorted().toList()));
            }
            where.append(" and p.status = :status");
            params.put("status", status.strip());
        }
        if (userId != null) {
            where.append(" and p.userId = :user");
            params.put("user", userId);
        }
        List<Object[]> rows = bind(session.createSelectionQuery("select p, u.email from PaymentEntity p, UserEntity u"
                + where + " and u.id = p.userId order by p.id desc", Object[].class), params)
                .setFirstResult(offset).setMaxResults(limit).getResultList();
        long total = bind(session.createSelectionQuery("select count(p) from PaymentEntity p" + where, Long.class),
                params).getSingleResult();
        List<PaymentRow> data = rows.stream().map(r -> {
            PaymentEntity p = (PaymentEntity) r[0];
            return new PaymentRow(p.userId, (String) r[1], PaymentView.of(p));
        }).toList();
        return new Page(data, total, limit, offset, summary(),
                processors.entrySet().stream().map(e -> new Processor(e.getKey(), e.getValue())).toList());
    }

    /** Counts and credits are summed by the database; amounts are decimal strings, so they are added up here. */
    private List<Summary> summary() {
        Map<List<String>, long[]> counts = new TreeMap<>(Comparator.comparing((List<String> k) -> String.join("\u0000", k)));
        for (Object[] r : session.createSelectionQuery("select p.provider, p.status, p.currency, count(p),"
                + " coalesce(sum(p.credits), 0) from PaymentEntity p group by p.provider, p.status, p.currency",
                Object[].class).getResultList()) {
            counts.put(List.of((String) r[0], (String) r[1], (String) r[2]),
                    new long[] {((Number) r[3]).longValue(), ((Number) r[4]).longValue()});
        }
        Map<List<String>, BigDecimal> amounts = new HashMap<>();
        for (Object[] r : session.createSelectionQuery("select p.provider, p.status, p.currency, p.amount"
                + " from PaymentEntity p", Object[].class).getResultList()) {
            amounts.merge(List.of((String) r[0], (String) r[1], (String) r[2]), new BigDecimal((String) r[3]),
                    BigDecimal::add);
        }
        List<Summary> summary = new ArrayList<>();
        counts.forEach((key, c) -> summary.add(new Summary(key.get(0), key.get(1), key.get(2), c[0],
                amounts.getOrDefault(key, BigDecimal.ZERO), Credits.toDecimal(c[1]))));
        return summary;
    }

    private static <Q extends SelectionQuery<?>> Q bind(Q query, Map<String, Object> params) {
        params.forEach(query::setParameter);
        return query;
    }
}
