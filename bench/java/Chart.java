import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * Renders the headline ratios as horizontal bars with a line at 1.0 (Java2D, headless, no other
 * dependencies).
 */
public final class Chart {
  /** One bar: fileshare's ratio against the best peer of a workload. */
  public record Bar(String label, String peer, double ratio) {}

  static final int WIDTH = 960;
  static final int ROW = 46;
  static final int TOP = 70;
  static final int BOTTOM = 50;
  static final int LEFT = 330;
  static final int RIGHT = 90;
  static final Color WIN = new Color(0x2E8B57);
  static final Color LOSE = new Color(0xE07B39);

  public static void render(List<Bar> bars, Path png) throws IOException {
    System.setProperty("java.awt.headless", "true");
    int height = TOP + BOTTOM + ROW * Math.max(1, bars.size());
    BufferedImage image = new BufferedImage(WIDTH, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(
          RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, WIDTH, height);
      draw(g, bars);
    } finally {
      g.dispose();
    }
    ImageIO.write(image, "png", png.toFile());
  }

  private static void draw(Graphics2D g, List<Bar> bars) {
    double max = 1.25;
    for (Bar b : bars) {
      max = Math.max(max, b.ratio() * 1.1);
    }
    int plotWidth = WIDTH - LEFT - RIGHT;
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 17));
    g.drawString("fileshare ÷ best peer (medians; above 1.0 fileshare is better)", 20, 32);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
    FontMetrics fm = g.getFontMetrics();
    for (int i = 0; i < bars.size(); i++) {
      Bar b = bars.get(i);
      int y = TOP + i * ROW;
      int w = (int) Math.round(plotWidth * Math.min(b.ratio(), max) / max);
      g.setColor(b.ratio() >= 1.0 ? WIN : LOSE);
      g.fillRect(LEFT, y + 8, Math.max(w, 1), ROW - 16);
      g.setColor(Color.BLACK);
      String label = b.label();
      String peer = "vs " + b.peer();
      g.drawString(label, LEFT - 12 - fm.stringWidth(label), y + ROW / 2);
      g.setColor(Color.DARK_GRAY);
      g.drawString(peer, LEFT - 12 - fm.stringWidth(peer), y + ROW / 2 + fm.getHeight() - 2);
      g.setColor(Color.BLACK);
      g.drawString(String.format(Locale.ROOT, "%.2f×", b.ratio()), LEFT + w + 8, y + ROW / 2 + 5);
    }
    if (bars.isEmpty()) {
      g.drawString("no workload had both fileshare and a peer", LEFT, TOP + ROW / 2);
    }
    int bottom = TOP + ROW * Math.max(1, bars.size());
    for (double tick = 0; tick <= max + 1e-9; tick += tickStep(max)) {
      int x = LEFT + (int) Math.round(plotWidth * tick / max);
      g.setColor(Color.GRAY);
      g.drawLine(x, bottom, x, bottom + 5);
      String t = new java.math.BigDecimal(String.format(Locale.ROOT, "%.2f", tick))
          .stripTrailingZeros().toPlainString();
      g.drawString(t, x - fm.stringWidth(t) / 2, bottom + 5 + fm.getAscent());
    }
    g.drawLine(LEFT, TOP, LEFT, bottom);
    int one = LEFT + (int) Math.round(plotWidth / max);
    g.setColor(Color.RED);
    g.setStroke(
        new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1f, new float[] {6f, 4f}, 0f));
    g.drawLine(one, TOP - 6, one, bottom);
    g.drawString("1.0", one + 4, TOP - 8);
  }

  private static double tickStep(double max) {
    if (max <= 2) {
      return 0.25;
    }
    if (max <= 5) {
      return 0.5;
    }
    return Math.ceil(max / 8);
  }
}
