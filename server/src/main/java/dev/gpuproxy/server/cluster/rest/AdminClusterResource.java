package dev.gpuproxy.server.cluster.rest;

import dev.gpuproxy.server.cluster.service.ClusterView;
import dev.gpuproxy.server.common.security.Caller;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.sql.SQLException;

/** GET /api/v1/admin/cluster: the replicas sharing this database and the holder of each singleton job's lease. */
@Path("/api/v1/admin/cluster")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Caller.ROLE_ADMIN)
public class AdminClusterResource {

    private final ClusterView cluster;

    AdminClusterResource(ClusterView cluster) {
        this.cluster = cluster;
    }

    @GET
    public ClusterView.Cluster get() throws SQLException {
        return cluster.current();
    }
}
