package dev.gpuproxy.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gpuproxy.server.cluster.repository.LeaseTable;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The lease rules of job_leases, on each database: one holder at a time, taken over only once expired. */
abstract class LeaseTableContract {

    @Inject
    LeaseTable leases;

    private final String job = "test-" + UUID.randomUUID().toString().substring(0, 8);

    @Test
    void aHeldLeaseIsRenewedByItsHolderAndRefusedToOthersUntilItExpires() throws Exception {
        assertThat(leases.claim(job, "a", 1_000, 11_000)).isTrue();
        assertThat(leases.claim(job, "b", 5_000, 15_000)).isFalse();
        assertThat(leases.claim(job, "a", 5_000, 15_000)).isTrue();
        assertThat(leases.claim(job, "b", 14_000, 24_000)).isFalse();

        assertThat(leases.claim(job, "b", 15_001, 25_001)).isTrue();
        // The old holder's late renewal does not steal it back.
        assertThat(leases.claim(job, "a", 15_002, 25_002)).isFalse();
        assertThat(leases.leases()).filteredOn(l -> l.job().equals(job)).singleElement()
                .satisfies(l -> {
                    assertThat(l.holder()).isEqualTo("b");
                    assertThat(l.acquiredAt()).isEqualTo(15_001);
                });
    }

    @Test
    void ofReplicasRacingForAnExpiredLeaseExactlyOneWins() throws Exception {
        assertThat(leases.claim(job, "dead", 1_000, 2_000)).isTrue();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> claims = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                String holder = "r" + i;
                Callable<Boolean> claim = () -> leases.claim(job, holder, 3_000, 13_000);
                claims.add(pool.submit(claim));
            }
            int won = 0;
            for (Future<Boolean> claim : claims) {
                won += claim.get() ? 1 : 0;
            }
            assertThat(won).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void releasedLeasesAreFreeAtOnce() throws Exception {
        assertThat(leases.claim(job, "a", 1_000, 11_000)).isTrue();
        leases.releaseAll("a");
        assertThat(leases.claim(job, "b", 1_001, 11_001)).isTrue();
    }
}
