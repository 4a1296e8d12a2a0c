"""Tests of render_screen.py: a small known capture, parsed and drawn, checked cell by cell.

Run with the project's venv:  .venv/bin/python -m unittest discover -s scripts -p 'test_*.py'
"""

import os
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import render_screen as rs  # noqa: E402
from PIL import Image  # noqa: E402

# Row 0: red background, bold green text, a full block, then blue background left open.
# Row 1: the blue background carried over from row 0 (as tmux writes it), reset, reverse.
# Row 2: sparkline and box drawing, 256-colour and truecolour, a wide character, a combining mark.
CAPTURE = (
    "\x1b[41m  \x1b[0m\x1b[1;32mOK\x1b[0m \u2588\x1b[44m\n"
    "ab\x1b[0m \x1b[7mrv\x1b[27m \x1b[2mdim\x1b[0m\n"
    "\u2581\u2584\u2588\u2500\u2502\u250c \x1b[38;5;208mo\x1b[38;2;10;200;30m\u2588\x1b[48;5;21m \x1b[0m"
    "\u6f22x e\u0301\x1b]8;;http://x\x1b\\L\x1b]8;;\x1b\\\x1b[?25l\n"
)
COLS, ROWS = 20, 4


class RenderScreenTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.grid = rs.parse_capture(CAPTURE, COLS, ROWS)
        cls.renderer = rs.Renderer(16)
        cls.image = cls.renderer.render(cls.grid)

    def pixel(self, col, row, fx=0.5, fy=0.5):
        """The colour at a point of a cell, given as fractions of the cell's width and height."""
        r = self.renderer
        x = rs.MARGIN + col * r.cell_width + min(int(fx * r.cell_width), r.cell_width - 1)
        y = rs.MARGIN + row * r.cell_height + min(int(fy * r.cell_height), r.cell_height - 1)
        return self.image.getpixel((x, y))

    def test_image_size_is_cells_plus_margin(self):
        r = self.renderer
        self.assertEqual(self.image.size, (COLS * r.cell_width + 2 * rs.MARGIN, ROWS * r.cell_height + 2 * rs.MARGIN))
        self.assertEqual((r.cell_width, r.cell_height), (10, 19))

    def test_parse_styles(self):
        row = self.grid[0]
        self.assertEqual(row[0].style.bg, rs.ANSI16[1])
        self.assertEqual((row[2].text, row[2].style.bold, row[2].style.fg), ("O", True, rs.ANSI16[2]))
        self.assertEqual(row[4].style, rs.Style())
        self.assertEqual(self.grid[1][0].style.bg, rs.ANSI16[4], "SGR state carries over to the next line")
        self.assertEqual(self.grid[1][2].style, rs.Style())
        self.assertTrue(self.grid[1][3].style.reverse)
        self.assertFalse(self.grid[1][5].style.reverse)
        self.assertTrue(self.grid[1][6].style.dim)

    def test_parse_widths_and_escapes(self):
        row = self.grid[2]
        self.assertEqual(row[9].style.bg, (0, 0, 255))
        self.assertEqual((row[10].text, row[10].wide, row[11].text, row[12].text), ("\u6f22", True, "", "x"))
        self.assertEqual(row[14].text, "e\u0301", "a combining mark joins its base cell")
        self.assertEqual(row[15].text, "L", "OSC 8 hyperlinks and other CSI sequences draw nothing")
        self.assertEqual(row[16].text, " ")

    def test_background_colours(self):
        self.assertEqual(self.pixel(0, 0, 0.1, 0.1), rs.ANSI16[1])
        self.assertEqual(self.pixel(1, 0, 0.9, 0.9), rs.ANSI16[1])
        self.assertEqual(self.pixel(6, 0), rs.DEFAULT_BG, "the rest of row 0 is blank: default background")
        self.assertEqual(self.pixel(0, 1, 0.05, 0.05), rs.ANSI16[4])
        self.assertEqual(self.pixel(2, 1), rs.DEFAULT_BG)
        self.assertEqual(self.pixel(9, 2, 0.1, 0.1), (0, 0, 255))

    def test_reverse_swaps_default_colours(self):
        self.assertEqual(self.pixel(3, 1, 0.05, 0.05), rs.DEFAULT_FG)

    def test_blocks_fill_their_cells(self):
        self.assertEqual(self.pixel(5, 0, 0.0, 0.0), rs.DEFAULT_FG, "█ reaches the top-left corner")
        self.assertEqual(self.pixel(5, 0, 0.99, 0.99), rs.DEFAULT_FG)
        self.assertEqual(self.pixel(0, 2, 0.5, 0.95), rs.DEFAULT_FG, "▁ fills its bottom eighth")
        self.assertEqual(self.pixel(0, 2, 0.5, 0.8), rs.DEFAULT_BG)
        self.assertEqual(self.pixel(1, 2, 0.0, 0.55), rs.DEFAULT_FG, "▄ fills its lower half, edge to edge")
        self.assertEqual(self.pixel(1, 2, 0.99, 0.55), rs.DEFAULT_FG)
        self.assertEqual(self.pixel(1, 2, 0.5, 0.4), rs.DEFAULT_BG)
        self.assertEqual(self.pixel(8, 2, 0.0, 0.0), (10, 200, 30), "truecolour foreground")
        self.assertEqual(self.pixel(8, 2, 0.99, 0.99), (10, 200, 30))

    def test_box_drawing_reaches_the_edges(self):
        r = self.renderer
        middle = r.cell_height // 2 / r.cell_height
        self.assertEqual(self.pixel(3, 2, 0.0, middle), rs.DEFAULT_FG, "─ starts at the left edge")
        self.assertEqual(self.pixel(3, 2, 0.99, middle), rs.DEFAULT_FG, "─ ends at the right edge")
        self.assertEqual(self.pixel(3, 2, 0.5, 0.1), rs.DEFAULT_BG)
        self.assertEqual(self.pixel(4, 2, 0.5, 0.0), rs.DEFAULT_FG, "│ starts at the top edge")
        self.assertEqual(self.pixel(4, 2, 0.5, 0.99), rs.DEFAULT_FG)
        self.assertEqual(self.pixel(5, 2, 0.99, middle), rs.DEFAULT_FG, "┌ goes right")
        self.assertEqual(self.pixel(5, 2, 0.5, 0.99), rs.DEFAULT_FG, "┌ goes down")
        self.assertEqual(self.pixel(5, 2, 0.0, middle), rs.DEFAULT_BG, "┌ does not go left")
        self.assertEqual(self.pixel(5, 2, 0.5, 0.0), rs.DEFAULT_BG, "┌ does not go up")

    def test_text_is_drawn_in_its_colour(self):
        cell = self.renderer
        x0, y0 = rs.MARGIN + 2 * cell.cell_width, rs.MARGIN
        region = self.image.crop((x0, y0, x0 + cell.cell_width, y0 + cell.cell_height))
        self.assertIn(rs.ANSI16[2], [c for _, c in region.getcolors(1000)], "bold green O")
        x0 = rs.MARGIN + 7 * cell.cell_width
        region = self.image.crop((x0, rs.MARGIN + 2 * cell.cell_height, x0 + cell.cell_width, rs.MARGIN + 3 * cell.cell_height))
        self.assertIn(rs.color256(208), [c for _, c in region.getcolors(1000)], "256-colour orange o")

    def test_colour_tables(self):
        self.assertEqual(rs.color256(16), (0, 0, 0))
        self.assertEqual(rs.color256(231), (255, 255, 255))
        self.assertEqual(rs.color256(232), (8, 8, 8))
        self.assertEqual(rs.color256(255), (238, 238, 238))
        self.assertEqual(rs.box_arms("\u253c"), {"u": 1, "d": 1, "l": 1, "r": 1})
        self.assertEqual(rs.box_arms("\u2554"), {"d": 3, "r": 3})
        self.assertEqual(rs.box_arms("\u251f"), {"d": 2, "r": 1, "u": 1}, "┟ DOWN HEAVY AND RIGHT UP LIGHT")
        self.assertEqual(rs.box_arms("\u256d"), {"d": 1, "r": 1}, "╭ drawn as a corner")
        self.assertIsNone(rs.box_arms("\u2571"), "diagonals are left to the font")

    def test_command_line_writes_a_png(self):
        with tempfile.TemporaryDirectory() as directory:
            capture = os.path.join(directory, "screen.ansi")
            output = os.path.join(directory, "screen.png")
            with open(capture, "w", encoding="utf-8") as f:
                f.write(CAPTURE)
            script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "render_screen.py")
            subprocess.run([sys.executable, script, capture, output, "--cols", "30", "--rows", "5"], check=True)
            with Image.open(output) as image:
                self.assertEqual(image.size, (30 * 10 + 2 * rs.MARGIN, 5 * 19 + 2 * rs.MARGIN))


if __name__ == "__main__":
    unittest.main()
