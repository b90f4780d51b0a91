package io.tandem.backend.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium driven through Debian's chromedriver. Both paths are given, and Selenium Manager is
 * told to stay offline, so nothing is downloaded.
 */
final class Browser implements AutoCloseable {

    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final Duration WAIT = Duration.ofSeconds(30);

    final ChromeDriver driver;
    private final String base;
    private final Path profile;

    Browser(int port) throws IOException {
        System.setProperty("SE_OFFLINE", "true");
        this.base = "http://127.0.0.1:" + port;
        this.profile = Files.createTempDirectory("panel-chromium");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .withEnvironment(Map.of("SE_OFFLINE", "true"))
                .build();
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                        "--window-size=1280,800", "--user-data-dir=" + profile, "--lang=en-US");
        this.driver = new ChromeDriver(service, options);
    }

    void open(String path) {
        driver.get(base + path);
    }

    /** Signs in through the form, starting from the node's root as a person would; returns once answered. */
    void signIn(String login, String password) {
        driver.manage().deleteAllCookies();
        open("/");
        until(d -> d.getCurrentUrl().endsWith("/panel/sign-in"));
        driver.findElement(By.id("username")).sendKeys(login);
        driver.findElement(By.id("password")).sendKeys(password);
        driver.findElement(By.cssSelector("form button[type=submit]")).click();
        // Left the bare form: on to a page, or back to it with ?error.
        until(d -> !d.getCurrentUrl().endsWith("/panel/sign-in"));
    }

    /** Waits for the condition; an element a page re-rendered meanwhile (stale) is looked for again. */
    <T> T until(Function<WebDriver, T> condition) {
        return new WebDriverWait(driver, WAIT).ignoring(StaleElementReferenceException.class).until(condition);
    }

    /** Waits until the page's supervisor WebSocket is open (the top bar says "Live"). */
    void awaitLive() {
        until(d -> "true".equals(d.findElement(By.id("connection")).getDomAttribute("data-connected")));
    }

    WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    void size(int width, int height) {
        driver.manage().window().setSize(new Dimension(width, height));
    }

    /**
     * Saves the page as a laptop shows it ({@code <name>.png}, a 1280×800 viewport) and as a wall screen does
     * ({@code <name>-1920.png}, 1920×1080): the viewport is set exactly (the window's size would include its frame).
     */
    void screens(String name) {
        try {
            viewport(1280, 800);
            screenshot(name);
            viewport(1920, 1080);
            screenshot(name + "-1920");
        } finally {
            driver.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
        }
    }

    private void viewport(int width, int height) {
        driver.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of("width", width, "height", height,
                "deviceScaleFactor", 1, "mobile", false));
    }

    /** Saves what the browser shows to {@code target/screenshots/<name>.png}. */
    Path screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Path file = SCREENSHOTS.resolve(name + ".png");
            Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), file, StandardCopyOption.REPLACE_EXISTING);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        driver.quit();
    }
}
