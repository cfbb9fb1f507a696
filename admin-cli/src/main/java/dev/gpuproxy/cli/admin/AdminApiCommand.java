package dev.gpuproxy.cli.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gpuproxy.api.model.User;
import dev.gpuproxy.api.model.UserPage;
import dev.gpuproxy.cli.common.ApiCommand;
import dev.gpuproxy.cli.common.CliException;
import dev.gpuproxy.cli.common.GlobalOptions;
import dev.gpuproxy.cli.common.http.ApiClient;
import dev.gpuproxy.cli.common.http.Json;
import dev.gpuproxy.cli.common.http.Reply;
import java.util.Locale;

/**
 * Base of the admin commands that go over REST: says how to get an admin key, and finds a user by email, since
 * operators address users by email while the admin API addresses them by id.
 */
public abstract class AdminApiCommand extends ApiCommand {

    static final String USERS = "/api/v1/admin/users";

    @Override
    protected String missingKeyHint() {
        return "pass an admin's API key with --api-key or " + GlobalOptions.API_KEY_VARIABLE
                + ", or log in as an admin with 'gpuproxy-client login <email>'";
    }

    /** The user with exactly this email (case-insensitive), found through the admin user search. */
    protected User userByEmail(ApiClient api, String email) {
        UserPage page = api.get(USERS, ApiClient.body("search", email, "limit", 100), UserPage.class).value();
        String wanted = email.trim().toLowerCase(Locale.ROOT);
        for (User user : page.data()) {
            if (user.email() != null && user.email().toLowerCase(Locale.ROOT).equals(wanted)) {
                return user;
            }
        }
        throw new CliException("no user with email " + email);
    }

    /** The path of one user's admin resource, such as {@code /api/v1/admin/users/7/usage}. */
    protected static String userPath(User user, String rest) {
        return USERS + "/" + ApiClient.segment(Json.required(user.id(), "id")) + rest;
    }

    /**
     * Some endpoints wrap the user as {@code {"user":{...}}}; this reads either shape, keeping the user's own JSON
     * for {@code --format json}.
     */
    protected static Reply<User> userOf(JsonNode answer) {
        JsonNode user = answer.path("user").isObject() ? answer.path("user") : answer;
        return new Reply<>(user, Json.read(user, User.class));
    }

    /** A cheap check that catches a swapped argument before the server is asked. */
    protected void requireEmail(String email) {
        if (!email.contains("@")) {
            throw usageError("'" + email + "' is not an email address");
        }
    }
}
