package io.tandem.backend.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.backend.TestNode;
import io.tandem.backend.acd.queues.QueueDefinition;
import io.tandem.backend.acd.queues.Queues;
import io.tandem.backend.acd.queues.Strategy;
import io.tandem.telephony.peers.FreePorts;
import io.tandem.telephony.testing.Await;
import io.tandem.telephony.testing.RedisServer;
import io.tandem.telephony.ua.Call;
import io.tandem.telephony.ua.CallState;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The browser agent phone ({@code /phone} on the node) in a real headless Chromium whose microphone is a tone file:
 * the agent signs in, goes available, registers through the edge's WSS, sees the offer of a call to queue 7000 and
 * answers it with WebRTC; the media crosses rtpengine (DTLS-SRTP and ICE to the browser, plain RTP to the node).
 * The caller hears the agent's tone, and the page's remote stream, analysed with WebAudio, carries the caller's.
 */
class BrowserPhoneIT {

    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    private static final String AGENT = "1002";
    private static final int AGENT_TONE = 440;
    private static final int CALLER_TONE = 1000;
    private static final int NODE_RTP_PORTS = 40;
    private static final Duration WAIT = Duration.ofSeconds(60);
    /** The page's remote audio through an AnalyserNode: the frequency of the loudest FFT bin, after a second. */
    private static final String LOUDEST_REMOTE_FREQUENCY = """
            const done = arguments[arguments.length - 1];
            const context = new AudioContext();
            const source = context.createMediaStreamSource(document.getElementById("remote-audio").srcObject);
            const analyser = context.createAnalyser();
            analyser.fftSize = 4096;
            source.connect(analyser);
            setTimeout(() => {
              const bins = new Float32Array(analyser.frequencyBinCount);
              analyser.getFloatFrequencyData(bins);
              let loudest = 1;
              for (let i = 1; i < bins.length; i++) { if (bins[i] > bins[loudest]) loudest = i; }
              done(loudest * context.sampleRate / analyser.fftSize);
            }, 1000);
            """;

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private <T extends AutoCloseable> T opened(T closeable) {
        open.add(closeable);
        return closeable;
    }

    @Test
    void anAgentAnswersAQueueCallInTheBrowserWithToneBothWays() throws Exception {
        int wss = FreePorts.udpAndTcp();
        int rtp = FreePorts.alignedBlock(NODE_RTP_PORTS);
        open.add(() -> FreePorts.release(rtp, NODE_RTP_PORTS));
        TestNode node = opened(TestNode.start("tandem.redis.uri=" + redis.uri(), "tandem.node.id=edge-browser",
                "tandem.node.cluster-secret=edge-browser-cluster-secret-0123456789",
                "tandem.sip.rtp-port-min=" + rtp, "tandem.sip.rtp-port-max=" + (rtp + NODE_RTP_PORTS - 1),
                "tandem.registrar.flood-threshold=100000", "tandem.phone.edge-wss-uri=wss://127.0.0.1:" + wss));
        node.bean(Queues.class).save("demo", new QueueDefinition("7000", "support", Strategy.LONGEST_IDLE, 0, 0,
                true, false, 20, 1, 2, 3, 20, 30, List.of(QueueDefinition.Member.of(AGENT)),
                QueueDefinition.Announcements.DEFAULT, "default", "", QueueDefinition.Destination.NONE,
                QueueDefinition.Destination.NONE), false);
        EdgeProcess edge = opened(EdgeProcess.start(List.of(node.sipPort()), true, List.of(EdgeProcess.WSS), wss));
        Path dir = Files.createTempDirectory("tandem-browser-phone-");
        ChromeDriver browser = chromium(dir, toneWav(dir.resolve("agent-tone.wav"), AGENT_TONE));
        open.add(browser::quit);

        browser.get("http://127.0.0.1:" + node.port() + "/phone");
        WebDriverWait until = new WebDriverWait(browser, WAIT);
        until.withMessage(() -> pageState(browser) + "\n" + edge.logTail());
        browser.findElement(By.id("agent")).sendKeys(AGENT + "@demo");
        browser.findElement(By.id("password")).sendKeys(TestNode.PASSWORD);
        browser.findElement(By.id("sign-in-button")).click();
        until.until(d -> "registered".equals(d.findElement(By.id("registration")).getText())
                || !d.findElement(By.id("error")).getText().isEmpty());
        assertThat(browser.findElement(By.id("error")).getText()).as("the page's error line").isEmpty();
        browser.findElement(By.id("available")).click();
        until.until(d -> "available".equals(d.findElement(By.id("state")).getText()));

        EdgePhone caller = opened(EdgePhone.register(edge, "1001", CALLER_TONE, AGENT_TONE));
        Call call = caller.dial(edge, "7000");
        until.until(d -> d.findElement(By.id("offer")).isDisplayed() && d.findElement(By.id("answer")).isDisplayed());
        assertThat(browser.findElement(By.id("offer-caller")).getText()).as("the offer shown").contains("1001");
        browser.findElement(By.id("answer")).click();
        until.until(d -> "Connected".equals(d.findElement(By.id("call-status")).getText()));

        long before = caller.toneFrames();
        Await.until("the caller hears the agent's " + AGENT_TONE + " Hz from the browser's microphone", WAIT,
                () -> caller.toneFrames() - before >= 50, edge::logTail);
        Object heard = browser.executeAsyncScript(LOUDEST_REMOTE_FREQUENCY);
        assertThat(((Number) heard).doubleValue()).as("the loudest frequency the browser receives")
                .isBetween(CALLER_TONE - 30.0, CALLER_TONE + 30.0);

        browser.findElement(By.id("hang-up")).click();
        caller.awaitState(call, CallState.ENDED);
    }

    /** What the page shows and logged, for failure messages. */
    private static String pageState(ChromeDriver browser) {
        StringBuilder state = new StringBuilder("page: ");
        for (String id : List.of("state", "registration", "call-status", "error")) {
            state.append(id).append('=').append(browser.findElement(By.id(id)).getText()).append("; ");
        }
        browser.manage().logs().get(LogType.BROWSER).forEach(entry -> state.append("\n  console: ")
                .append(entry.getMessage()));
        return state.toString();
    }

    /** Headless Chromium whose microphone plays {@code microphone}, trusting the edge's self-signed certificate. */
    private static ChromeDriver chromium(Path dir, Path microphone) throws IOException {
        System.setProperty("SE_OFFLINE", "true");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(Path.of("/usr/bin/chromedriver").toFile()).usingAnyFreePort()
                .withEnvironment(Map.of("SE_OFFLINE", "true")).build();
        ChromeOptions options = new ChromeOptions().setBinary(Path.of("/usr/bin/chromium").toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                        "--user-data-dir=" + Files.createDirectories(dir.resolve("profile")),
                        // A microphone without a sound card, no permission prompt, audio without a click.
                        "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
                        "--use-file-for-fake-audio-capture=" + microphone, "--autoplay-policy=no-user-gesture-required",
                        // ICE over loopback only (rtpengine's candidates are 127.0.0.1), and the edge's test cert.
                        "--allow-loopback-in-peer-connection", "--ignore-certificate-errors");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        return new ChromeDriver(service, options);
    }

    /** Ten seconds of a sine at {@code hz}, 48 kHz mono 16-bit PCM (Chromium loops the file). */
    private static Path toneWav(Path file, int hz) throws IOException {
        int rate = 48_000;
        int samples = rate * 10;
        ByteBuffer wav = ByteBuffer.allocate(44 + samples * 2).order(ByteOrder.LITTLE_ENDIAN);
        // RIFF/WAVE header: a 16-byte PCM "fmt " chunk (format 1, one channel), then the "data" chunk.
        wav.put(ascii("RIFF")).putInt(36 + samples * 2).put(ascii("WAVE")).put(ascii("fmt ")).putInt(16)
                .putShort((short) 1).putShort((short) 1).putInt(rate).putInt(rate * 2).putShort((short) 2)
                .putShort((short) 16).put(ascii("data")).putInt(samples * 2);
        for (int i = 0; i < samples; i++) {
            wav.putShort((short) (12_000 * Math.sin(2 * Math.PI * hz * i / rate)));
        }
        return Files.write(file, wav.array());
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
