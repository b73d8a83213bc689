// Draws the application icon PNGs in dev/servedeck/ui/icons: java src/build/MakeIcon.java 32 64 256 (run in the icons folder).
import java.awt.*;
import java.awt.geom.*;
import java.awt.image.BufferedImage;
import javax.imageio.ImageIO;
import java.io.File;

/** Draws the ServeDeck icon: a rounded indigo tile with three stacked "deck" cards and a serving arrow. */
public class MakeIcon {
    public static void main(String[] args) throws Exception {
        for (String a : args) {
            int n = Integer.parseInt(a);
            BufferedImage img = new BufferedImage(n, n, BufferedImage.TYPE_INT_ARGB);
            Graphics2D g = img.createGraphics();
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            float s = n / 256f;
            g.setPaint(new GradientPaint(0, 0, new Color(0x4F46E5), n, n, new Color(0x0EA5E9)));
            g.fill(new RoundRectangle2D.Float(8*s, 8*s, 240*s, 240*s, 56*s, 56*s));
            Color[] cards = {new Color(255,255,255,110), new Color(255,255,255,170), Color.WHITE};
            for (int i = 0; i < 3; i++) {
                g.setColor(cards[i]);
                float y = (70 + i * 36) * s;
                g.fill(new RoundRectangle2D.Float((56 + (2 - i) * 10) * s, y, (144 - (2 - i) * 20) * s, 60 * s, 14*s, 14*s));
            }
            g.setColor(new Color(0x4F46E5));
            g.setStroke(new BasicStroke(10 * s, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            Path2D p = new Path2D.Float();
            p.moveTo(100*s, 172*s); p.lineTo(128*s, 200*s); p.lineTo(156*s, 172*s);
            g.draw(p);
            g.dispose();
            ImageIO.write(img, "png", new File("servedeck-" + n + ".png"));
        }
    }
}
