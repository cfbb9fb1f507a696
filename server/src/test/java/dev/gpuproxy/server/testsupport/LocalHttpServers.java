package dev.gpuproxy.server.testsupport;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.Executors;

/** The JDK HTTP server the test stubs run on: 127.0.0.1, a free port, a thread per concurrent request. */
public final class LocalHttpServers {

    private LocalHttpServers() {
    }

    /** Starts a server that hands every request under {@code path} to {@code handler}. */
    public static HttpServer start(String path, HttpHandler handler) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.setExecutor(Executors.newCachedThreadPool());
            server.createContext(path, handler);
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
