package dev.gpuproxy.server.identity.account.repository;

import dev.gpuproxy.server.common.error.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.hibernate.Session;
import org.hibernate.exception.ConstraintViolationException;

/** Persistence of {@link UserEntity} rows. */
@ApplicationScoped
public class UserRepository {

    private static final String MATCHES = " where lower(u.email) like :search or lower(u.name) like :search";

    private final Session session;

    UserRepository(Session session) {
        this.session = session;
    }

    public Optional<UserEntity> findById(long id) {
        return Optional.ofNullable(session.find(UserEntity.class, id));
    }

    public Optional<UserEntity> findByEmail(String normalizedEmail) {
        return session.createSelectionQuery("from UserEntity where email = :email", UserEntity.class)
                .setParameter("email", normalizedEmail)
                .uniqueResultOptional();
    }

    /** Inserts the user; a concurrent registration of the same email surfaces as 409, not as a database error. */
    public void persist(UserEntity user) {
        try {
            session.persist(user);
            session.flush();
        } catch (ConstraintViolationException e) {
            throw ApiException.conflict("email_taken", "An account with this email already exists");
        }
    }

    public boolean anyAdmin() {
        return session.createSelectionQuery("select count(u) from UserEntity u where u.role = 'admin'", Long.class)
                .getSingleResult() > 0;
    }

    /** Users whose email or name contains {@code search} (case-insensitive; null = all), newest first. */
    public List<UserEntity> search(String search, int limit, int offset) {
        String pattern = likePattern(search);
        var query = session.createSelectionQuery(
                "from UserEntity u" + (pattern == null ? "" : MATCHES) + " order by u.id desc", UserEntity.class);
        if (pattern != null) {
            query.setParameter("search", pattern);
        }
        return query.setFirstResult(offset).setMaxResults(limit).getResultList();
    }

    public long count(String search) {
        String pattern = likePattern(search);
        var query = session.createSelectionQuery(
                "select count(u) from UserEntity u" + (pattern == null ? "" : MATCHES), Long.class);
        if (pattern != null) {
            query.setParameter("search", pattern);
        }
        return query.getSingleResult();
    }

    /** Ids of users changed at or after {@code since} (role, status or limits may differ from cached copies). */
    public List<Long> changedSince(Instant since) {
        return session.createSelectionQuery("select u.id from UserEntity u where u.updatedAt >= :since", Long.class)
                .setParameter("since", since)
                .getResultList();
    }

    private static String likePattern(String search) {
        if (search == null || search.isBlank()) {
            return null;
        }
        String escaped = search.trim().toLowerCase(Locale.ROOT).replace("%", "").replace("_", "");
        return "%" + escaped + "%";
    }
}
