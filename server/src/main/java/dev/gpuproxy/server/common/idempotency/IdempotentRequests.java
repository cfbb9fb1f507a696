package dev.gpuproxy.server.common.idempotency;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gpuproxy.server.common.crypto.Tokens;
import dev.gpuproxy.server.common.error.ApiException;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Supplier;
import org.hibernate.Session;
import org.hibernate.exception.ConstraintViolationException;

/**
 * Makes a money-moving endpoint safe to retry: with an {@code Idempotency-Key} header, the first answer is stored with
 * the change it made (same transaction) and every replay of that key returns it unchanged. A key reused for a
 * different request body is refused with 422.
 */
@ApplicationScoped
public class IdempotentRequests {

    public static final String HEADER = "Idempotency-Key";
    private static final int MAX_KEY_LENGTH = 200;

    private final Session session;
    private final ObjectMapper json;
    private final Clock clock;

    IdempotentRequests(Session session, ObjectMapper json, Clock clock) {
        this.session = session;
        this.json = json;
        this.clock = clock;
    }

    /**
     * Runs {@code action} in a new transaction, or replays the stored answer of {@code key}.
     *
     * @param request the request's content, so a reused key with another body is detected
     */
    public Response execute(long userId, String key, Object request, Supplier<Response> action) {
        if (key == null || key.isBlank()) {
            return QuarkusTransaction.requiringNew().call(action::get);
        }
        if (key.length() > MAX_KEY_LENGTH) {
            throw ApiException.badRequest(HEADER + " must be at most " + MAX_KEY_LENGTH + " characters");
        }
        String requestHash = Tokens.sha256Hex(serialize(request));
        try {
            return QuarkusTransaction.requiringNew().call(() -> find(userId, key)
                    .map(stored -> replay(stored, requestHash))
                    .orElseGet(() -> runAndStore(userId, key, requestHash, action)));
        } catch (ConstraintViolationException concurrentFirstUse) {
            // Another request with this key committed first; answer as it did.
            return QuarkusTransaction.requiringNew().call(() -> replay(find(userId, key).orElseThrow(), requestHash));
        }
    }

    private Response runAndStore(long userId, String key, String requestHash, Supplier<Response> action) {
        Response response = action.get();
        IdempotencyRecordEntity record = new IdempotencyRecordEntity();
        record.userId = userId;
        record.idempotencyKey = key;
        record.requestHash = requestHash;
        record.status = response.getStatus();
        record.responseBody = response.getEntity() == null ? null : serialize(response.getEntity());
        record.createdAt = clock.instant();
        session.persist(record);
        session.flush();
        return response;
    }

    private Response replay(IdempotencyRecordEntity stored, String requestHash) {
        if (!stored.requestHash.equals(requestHash)) {
            throw new ApiException(422, "idempotency_key_reused",
                    "This Idempotency-Key was used for a different request; use a new key for a new request");
        }
        return Response.status(stored.status).type(MediaType.APPLICATION_JSON).entity(stored.responseBody)
                .header("Idempotent-Replayed", "true").build();
    }

    private Optional<IdempotencyRecordEntity> find(long userId, String key) {
        return session.createSelectionQuery("from IdempotencyRecordEntity where userId = :userId and idempotencyKey = :key",
                        IdempotencyRecordEntity.class)
                .setParameter("userId", userId)
                .setParameter("key", key)
                .uniqueResultOptional();
    }

    private String serialize(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }
}
