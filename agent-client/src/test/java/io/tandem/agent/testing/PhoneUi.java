package io.tandem.agent.testing;

import io.tandem.agent.audio.AudioPath;
import io.tandem.agent.audio.SwitchableAudio;
import io.tandem.agent.engine.EngineSettings;
import io.tandem.agent.engine.PhoneEngines;
import io.tandem.agent.settings.SettingsStore;
import io.tandem.agent.ui.PhoneWindow;
import io.tandem.telephony.testing.Await;
import io.tandem.telephony.peers.FreePorts;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import javafx.geometry.Point2D;
import javafx.scene.Node;
import javafx.scene.control.Labeled;
import javafx.scene.control.TextInputControl;
import javafx.scene.image.PixelReader;
import javafx.scene.input.MouseButton;
import javafx.scene.image.WritableImage;
import javafx.stage.Stage;
import javax.imageio.ImageIO;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

/** The real softphone window (headless Monocle) with file audio, driven the way an agent would: clicks and typing. */
public final class PhoneUi implements AutoCloseable {
    public static final Duration WAIT = Duration.ofSeconds(20);

    public final FxRobot robot = new FxRobot();
    private final PhoneWindow window;
    private final Stage stage;

    private PhoneUi(Stage stage, PhoneWindow window) {
        this.stage = stage;
        this.window = window;
    }

    public static PhoneUi open(AudioPath audio, Path configDir) throws Exception {
        return open(audio, configDir, PhoneEngines.fromSystemProperty());
    }

    /** The window on the engine {@code engines} chose. */
    public static PhoneUi open(AudioPath audio, Path configDir, PhoneEngines engines) throws Exception {
        Stage stage = FxToolkit.registerPrimaryStage();
        int rtp = FreePorts.alignedBlock(20);
        EngineSettings engine = EngineSettings.defaults().withLocalAddress(InetAddress.getLoopbackAddress())
                .withRtpPorts(rtp, rtp + 19).withTimeouts(Duration.ofSeconds(4), Duration.ofSeconds(3))
                .withRegisterExpiry(Duration.ofSeconds(30));
        PhoneWindow window = WaitForAsyncUtils.asyncFx(() -> {
            PhoneWindow w = new PhoneWindow(stage, new SwitchableAudio(audio), false, engine, engines,
                    Clock.systemUTC(), new SettingsStore(configDir));
            stage.show();
            stage.toFront();
            return w;
        }).get(30, TimeUnit.SECONDS);
        return new PhoneUi(stage, window);
    }

    public PhoneWindow window() {
        return window;
    }

    /** Runs {@code action} on the FX thread and returns its result. */
    public static <T> T fx(Callable<T> action) throws Exception {
        return WaitForAsyncUtils.asyncFx(action).get(30, TimeUnit.SECONDS);
    }

    public <T extends Node> T node(String id) {
        return robot.lookup("#" + id).query();
    }

    public boolean showing(String id) {
        try {
            return fx(() -> {
                Node n = robot.lookup("#" + id).tryQuery().orElse(null);
                return n != null && n.isVisible() && n.getScene() != null;
            });
        } catch (Exception e) {
            return false;
        }
    }

    public String text(String id) {
        try {
            return fx(() -> textOnFx(id));
        } catch (Exception e) {
            return "";
        }
    }

    /** {@link #text(String)} for code already on the FX thread (inside {@link #fx}): several reads at one moment. */
    public String textOnFx(String id) {
        Node n = robot.lookup("#" + id).tryQuery().orElse(null);
        if (n instanceof Labeled l) {
            return l.getText();
        }
        if (n instanceof TextInputControl t) {
            return t.getText();
        }
        return "";
    }

    /** Clears the field and types {@code text} into it. */
    public void type(String id, String text) throws Exception {
        clickOn(id);
        fx(() -> {
            ((TextInputControl) node(id)).clear();
            return null;
        });
        robot.write(text);
        WaitForAsyncUtils.waitForFxEvents();
    }

    public void click(String id) {
        try {
            clickOn(id);
        } catch (Exception e) {
            throw new IllegalStateException("cannot click #" + id, e);
        }
        WaitForAsyncUtils.waitForFxEvents();
    }

    /**
     * Moves the mouse to the node and clicks. The node's position is read on the FX thread: TestFX's
     * {@code clickOn(query)} reads bounds from the test thread, which races a layout pass of a window just shown
     * (an IndexOutOfBoundsException in {@code Parent.updateCachedBounds}, seen once in CI).
     */
    private void clickOn(String id) throws Exception {
        WaitForAsyncUtils.waitForFxEvents();
        Point2D at = fx(() -> robot.point((Node) node(id)).query());
        robot.moveTo(at);
        robot.clickOn(MouseButton.PRIMARY);
    }

    public void awaitText(String id, String contains) {
        awaitText(id, contains, WAIT);
    }

    public void awaitText(String id, String contains, Duration timeout) {
        Await.value("#" + id + " showing '" + contains + "'", timeout,
                () -> java.util.Optional.of(text(id)).filter(t -> t.contains(contains)),
                () -> "#" + id + " shows '" + text(id) + "'");
    }

    public void awaitShowing(String id) {
        Await.until("#" + id + " visible", WAIT, () -> showing(id));
    }

    /** The whole window as a PNG under the screenshots directory (system property {@code tandem.screenshots}). */
    public Path screenshot(String name) throws Exception {
        return screenshot(name, stage.getScene());
    }

    /** The window that holds node {@code id} (a dialog, say) as a PNG. */
    public Path screenshotOf(String id, String name) throws Exception {
        return screenshot(name, fx(() -> node(id).getScene()));
    }

    private Path screenshot(String name, javafx.scene.Scene scene) throws Exception {
        WaitForAsyncUtils.waitForFxEvents();
        WritableImage image = fx(() -> scene.snapshot(null));
        int w = (int) image.getWidth();
        int h = (int) image.getHeight();
        BufferedImage png = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
        PixelReader pixels = image.getPixelReader();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                png.setRGB(x, y, pixels.getArgb(x, y));
            }
        }
        Path dir = Path.of(System.getProperty("tandem.screenshots", "target/screenshots"));
        Files.createDirectories(dir);
        Path file = dir.resolve(name + ".png");
        if (!ImageIO.write(png, "png", file.toFile())) {
            throw new IOException("no PNG writer");
        }
        return file;
    }

    @Override
    public void close() throws Exception {
        fx(() -> {
            window.shutdown();
            stage.hide();
            return null;
        });
    }
}
