package dev.gpuproxy.webadmin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Debian Chromium driven through Debian's chromedriver, both at fixed paths: nothing is looked up or
 * downloaded (Selenium Manager never runs because the driver's path is given). A fresh profile per browser.
 */
final class Browser implements AutoCloseable {

    static final Dimension LAPTOP = new Dimension(1366, 900);
    static final Dimension PHONE = new Dimension(390, 844);
    static final Duration WAIT = Duration.ofSeconds(15);

    private final ChromeDriver driver;
    private final Path profile;
    private final String baseUrl;

    private Browser(ChromeDriver driver, Path profile, String baseUrl) {
        this.driver = driver;
        this.profile = profile;
        this.baseUrl = baseUrl;
    }

    static Browser start(String baseUrl) {
        Path chromium = Path.of(System.getProperty("chromium.binary", "/usr/bin/chromium"));
        Path chromedriver = Path.of(System.getProperty("chromedriver.binary", "/usr/bin/chromedriver"));
        assertThat(Files.isExecutable(chromium) && Files.isExecutable(chromedriver))
                .as("the browser tests need Debian's chromium and chromium-driver at %s and %s"
                        + " (apt-get install -y chromium chromium-driver; .ci/run installs them)", chromium, chromedriver)
                .isTrue();
        try {
            Path profile = Files.createTempDirectory("gpuproxy-chromium");
            ChromeOptions options = new ChromeOptions();
            options.setBinary(chromium.toFile());
            options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                    "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-dev-shm-usage",
                    "--user-data-dir=" + profile, "--window-size=" + LAPTOP.width + "," + LAPTOP.height,
                    "--lang=en-US");
            // The page's console (JavaScript errors, Content-Security-Policy violations) for the tests to read.
            options.setCapability("goog:loggingPrefs", java.util.Map.of("browser", "ALL"));
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(chromedriver.toFile())
                    .usingAnyFreePort()
                    .build();
            ChromeDriver driver = new ChromeDriver(service, options);
            driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
            driver.manage().window().setSize(LAPTOP);
            return new Browser(driver, profile, baseUrl);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    WebDriver driver() {
        return driver;
    }

    /** Opens a page of the admin app, e.g. {@code "#/users"}. */
    void open(String fragment) {
        driver.get(baseUrl + "/admin/" + fragment);
    }

    /** A clean start: no session in this tab, then the login page. */
    void reset() {
        driver.get(baseUrl + "/admin/");
        js("sessionStorage.clear()");
        driver.navigate().refresh();
        visible("#login-form");
    }

    void signIn(String email, String password) {
        visible("#login-email").clear();
        find("#login-email").sendKeys(email);
        find("#login-password").clear();
        find("#login-password").sendKeys(password);
        find("#login-submit").click();
    }

    void signInAsAdmin(String email, String password) {
        reset();
        signIn(email, password);
        visible("#app-view");
        waitUntil(d -> !d.findElements(By.cssSelector(".card [data-value]")).isEmpty());
    }

    WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    WebElement visible(String css) {
        return new WebDriverWait(driver, WAIT).until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css)));
    }

    WebElement clickable(String css) {
        return new WebDriverWait(driver, WAIT).until(ExpectedConditions.elementToBeClickable(By.cssSelector(css)));
    }

    <T> T waitUntil(Function<WebDriver, T> condition) {
        return new WebDriverWait(driver, WAIT).ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .until(condition::apply);
    }

    /** Waits until an element's text equals {@code expected} and returns it (the page may still be loading). */
    String textOf(String css, String expected) {
        try {
            waitUntil(d -> d.findElements(By.cssSelector(css)).stream().anyMatch(e -> e.getText().equals(expected)));
        } catch (org.openqa.selenium.TimeoutException e) {
            // fall through: the assertion below shows what is there
        }
        List<WebElement> found = all(css);
        return found.isEmpty() ? "(no " + css + ")" : found.get(0).getText();
    }

    /** Waits until nothing on the page is loading. */
    void loaded() {
        waitUntil(d -> d.findElements(By.cssSelector("#main .loading")).isEmpty()
                && !d.findElements(By.cssSelector("#main > *")).isEmpty());
    }

    Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /** Saves a PNG of the page at its full height under target/screenshots. */
    Path screenshot(String name) {
        try {
            Path dir = Path.of(System.getProperty("screenshots.dir", "target/screenshots"));
            Files.createDirectories(dir);
            Dimension size = driver.manage().window().getSize();
            long height = ((Number) js("return Math.max(document.documentElement.scrollHeight, window.innerHeight)"))
                    .longValue();
            driver.manage().window().setSize(new Dimension(size.width, (int) Math.min(Math.max(height + 120,
                    size.height), 6000)));
            Path file = dir.resolve(name + "-" + size.width + ".png");
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
            driver.manage().window().setSize(size);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Errors the page's console reported since the last call (uncaught exceptions, CSP violations, failed loads). */
    List<String> consoleErrors() {
        return driver.manage().logs().get(org.openqa.selenium.logging.LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= java.util.logging.Level.SEVERE.intValue())
                .map(org.openqa.selenium.logging.LogEntry::getMessage)
                .toList();
    }

    void resize(Dimension size) {
        driver.manage().window().setSize(size);
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // a leftover temp profile is harmless
            }
        }
    }
}
