package dev.gpuproxy.cli.client;

import static dev.gpuproxy.cli.common.http.ApiClient.body;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gpuproxy.api.model.ApiKey;
import dev.gpuproxy.api.model.LoginAnswer;
import dev.gpuproxy.api.model.SessionTokens;
import dev.gpuproxy.api.model.User;
import dev.gpuproxy.cli.common.ApiCommand;
import dev.gpuproxy.cli.common.Secrets;
import dev.gpuproxy.cli.common.http.ApiClient;
import dev.gpuproxy.cli.common.http.Credential;
import dev.gpuproxy.cli.common.http.Json;
import dev.gpuproxy.cli.common.http.Reply;
import dev.gpuproxy.cli.common.output.Output;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Logs in with email and password, creates an API key for this machine and stores server and key in the config
 * file, so later commands need neither. The password is read from the terminal or standard input, never argv.
 */
@Command(name = "login",
        description = {
            "Log in and store an API key for this server in the config file.",
            "",
            "Logs in with your email and password, creates an API key for this machine and stores it with the "
                    + "server URL. The password is prompted for at a terminal and otherwise read as the first line "
                    + "of standard input."
        },
        footer = {
            "  # prompts for the password",
            "  gpuproxy-client --server https://gpu.example.com login alice@example.com",
            "",
            "  # a script, with the password from a file or a password manager",
            "  gpuproxy-client login alice@example.com < ~/.gpuproxy-password",
            "",
            "  # name the key after the machine, to tell keys apart in 'keys list'",
            "  gpuproxy-client login alice@example.com --key-name \"$(hostname)\""
        })
public final class LoginCommand extends ApiCommand {

    @Parameters(paramLabel = "<email>", description = "Your account's email address.")
    String email;

    @Option(names = "--key-name", paramLabel = "<name>", defaultValue = "gpuproxy-client",
            description = "Name of the API key to create (default: ${DEFAULT-VALUE}).")
    String keyName;

    @Override
    protected void execute() {
        String password = readSecret("Password for " + email + ": ", "password");
        ApiClient anonymous = anonymousApi();
        Reply<LoginAnswer> login = anonymous.post("/api/v1/auth/login", body("email", email, "password", password),
                LoginAnswer.class);
        SessionTokens tokens = Json.required(login.value().tokens(), "tokens");
        String accessToken = Json.required(tokens.accessToken(), "access_token");
        Reply<ApiKey> key = anonymous.withCredential(Credential.bearer(accessToken))
                .post("/api/v1/auth/apikey", body("name", keyName), ApiKey.class);
        String apiKey = Json.required(key.value().apiKey(), "api_key");
        config().saveLogin(anonymous.server().toString(), apiKey);

        Output output = output();
        if (output.isJson()) {
            // The server's own JSON for the user and the key, without the secret that was just stored.
            ObjectNode result = Json.MAPPER.createObjectNode();
            result.put("server", anonymous.server().toString());
            result.set("user", login.json().path("user"));
            ObjectNode storedKey = result.putObject("api_key");
            for (String field : new String[] {"id", "name", "prefix", "expires_at", "created_at"}) {
                storedKey.set(field, key.json().get(field));
            }
            result.put("config_file", config().file().toString());
            output.json(result);
        } else {
            User user = login.value().user();
            output.line("Logged in to " + anonymous.server() + " as " + (user == null || user.email() == null ? "-"
                    : user.email()) + ".");
            output.line("Stored API key " + Secrets.mask(apiKey) + " (\"" + keyName + "\") in " + config().file()
                    + ".");
        }
    }
}
