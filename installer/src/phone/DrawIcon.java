import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Arc2D;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import javax.imageio.ImageIO;

/**
 * Draws the softphone's icon (tandem-phone.png, 256 x 256): a white handset on a blue rounded square, with two
 * sound arcs. Kept next to the PNG so the icon can be redrawn without an image editor:
 * {@code java DrawIcon.java tandem-phone.png}.
 */
public class DrawIcon {
    public static void main(String[] args) throws IOException {
        int size = 256;
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);

        g.setColor(new Color(0x1f5fa8));
        g.fill(new RoundRectangle2D.Double(8, 8, 240, 240, 56, 56));

        // The handset: a thick arc with a rounded block at each end (earpiece and mouthpiece).
        g.setColor(Color.WHITE);
        g.setStroke(new BasicStroke(30, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        g.draw(new Arc2D.Double(52, 52, 150, 150, 110, 140, Arc2D.OPEN));
        g.fill(new RoundRectangle2D.Double(70, 40, 58, 40, 20, 20));
        g.fill(new RoundRectangle2D.Double(70, 176, 58, 40, 20, 20));

        // Sound arcs on the right.
        g.setStroke(new BasicStroke(14, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        g.draw(new Arc2D.Double(118, 88, 80, 80, -40, 80, Arc2D.OPEN));
        g.draw(new Arc2D.Double(100, 60, 136, 136, -40, 80, Arc2D.OPEN));
        g.dispose();

        ImageIO.write(image, "png", new File(args.length > 0 ? args[0] : "tandem-phone.png"));
    }
}
