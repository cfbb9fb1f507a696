package dev.gpuproxy.server.lb.repository;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A row of {@code backends}: one endpoint of a pool; its API keys are stored encrypted. */
@Entity
@Table(name = "backends")
public class BackendEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "pool_id", nullable = false)
    public Long poolId;

    @Column(name = "kind", nullable = false)
    public String kind;

    @Column(name = "url", nullable = false)
    public String url;

    @Column(name = "api_keys_encrypted")
    public String apiKeysEncrypted;

    @Column(name = "weight")
    public Double weight;

    @Column(name = "rate_limit_rpm")
    public Integer rateLimitRpm;

    @Column(name = "gpu_model")
    public String gpuModel;

    @Column(name = "vram_gb")
    public Integer vramGb;

    @Column(name = "price_per_hour_micros")
    public Long pricePerHourMicros;

    @Column(name = "health_path")
    public String healthPath;

    @Column(name = "instance_id")
    public Long instanceId;

    @Column(name = "enabled", nullable = false)
    public boolean enabled = true;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}
