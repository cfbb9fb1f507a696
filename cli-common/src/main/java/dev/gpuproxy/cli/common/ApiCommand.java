package dev.gpuproxy.cli.common;

import dev.gpuproxy.cli.common.http.ApiClient;
import dev.gpuproxy.cli.common.http.Credential;
import dev.gpuproxy.cli.common.http.HttpTrace;
import java.net.URI;

/**
 * Base of every command that talks to gpuproxyd: resolves the server and API key from options, environment and
 * config file, and hands out a configured {@link ApiClient}.
 */
public abstract class ApiCommand extends CliCommand {

    private CliConfig config;

    protected CliConfig config() {
        if (config == null) {
            config = CliConfig.load(environment().configFile());
        }
        return config;
    }

    protected URI server() {
        return options().server(environment(), config());
    }

    /** A client that sends the API key; no key at all is a usage error that says how to get one. */
    protected ApiClient api() {
        URI server = server();
        String key = options().apiKey(environment(), config(), server)
                .orElseThrow(() -> new CliException("no API key for " + server + ": " + missingKeyHint(),
                        ExitCodes.USAGE, null));
        return client(server, Credential.apiKey(key));
    }

    /** A client without credentials, for public endpoints such as login. */
    protected ApiClient anonymousApi() {
        return client(server(), null);
    }

    /** How the user gets a key; tools override it to name their own way. */
    protected String missingKeyHint() {
        return "run 'gpuproxy-client login <email>' (it stores a key for this server), pass --api-key or set "
                + GlobalOptions.API_KEY_VARIABLE;
    }

    private ApiClient client(URI server, Credential credential) {
        HttpTrace trace = options().debugMode() ? new HttpTrace(spec.commandLine().getErr()) : null;
        return new ApiClient(server, credential, trace, toolName() + "/" + VersionProvider.version());
    }
}
