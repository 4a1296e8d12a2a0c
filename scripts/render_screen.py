#!/usr/bin/env python3
"""Draws a `tmux capture-pane -p -e` capture as a PNG, cell by cell, in a dark theme.

    render_screen.py CAPTURE.ansi OUT.png [--cols 120] [--rows 40] [--font-size 16]

The capture's SGR escapes (16, 256 and truecolour foreground/background, bold, dim, italic,
underline, reverse, hidden, strikethrough, reset) are applied as a terminal would; their state
carries over from one line to the next, as tmux writes it. Text is DejaVu Sans Mono (Debian's
fonts-dejavu-core); box-drawing, block (sparkline ▁▂▃▄▅▆▇█, shades, quadrants) and braille
characters are drawn as shapes that fill their cell exactly, so lines and bars join without
seams. Wide characters take two cells (wcwidth), combining marks join the previous cell.
Needs Pillow and wcwidth (scripts/requirements-dev.txt, installed by scripts/install-components).
"""

import argparse
import re
import sys
import unicodedata
from dataclasses import dataclass, replace

from PIL import Image, ImageDraw, ImageFont
from wcwidth import wcwidth

FONT_DIR = "/usr/share/fonts/truetype/dejavu"
FONTS = {
    (False, False): "DejaVuSansMono.ttf",
    (True, False): "DejaVuSansMono-Bold.ttf",
    (False, True): "DejaVuSansMono-Oblique.ttf",
    (True, True): "DejaVuSansMono-BoldOblique.ttf",
}
FALLBACK_FONT = "DejaVuSans.ttf"  # more symbols than the monospaced face

# A dark theme: default colours, then the 16 ANSI colours (normal, bright), readable on it.
DEFAULT_FG = (212, 212, 212)
DEFAULT_BG = (23, 26, 31)
ANSI16 = [
    (46, 52, 54), (224, 82, 82), (106, 190, 68), (214, 178, 46),
    (76, 138, 224), (180, 108, 196), (46, 176, 190), (200, 200, 200),
    (108, 114, 120), (255, 118, 118), (146, 230, 96), (250, 220, 96),
    (122, 170, 250), (220, 150, 236), (90, 222, 230), (248, 248, 248),
]
MARGIN = 8


def color256(n):
    """The RGB of xterm colour n (0-255): 16 theme colours, a 6x6x6 cube, 24 greys."""
    if n < 16:
        return ANSI16[n]
    if n < 232:
        n -= 16
        levels = (0, 95, 135, 175, 215, 255)
        return (levels[n // 36], levels[(n // 6) % 6], levels[n % 6])
    grey = 8 + 10 * (n - 232)
    return (grey, grey, grey)


@dataclass(frozen=True)
class Style:
    """SGR attributes; colours are None (the default) or an RGB tuple."""
    fg: tuple = None
    bg: tuple = None
    bold: bool = False
    dim: bool = False
    italic: bool = False
    underline: bool = False
    reverse: bool = False
    hidden: bool = False
    strike: bool = False


@dataclass
class Cell:
    """One screen cell: its text (a character plus combining marks, "" for the right half of a
    wide character) and the style it was written with."""
    text: str = " "
    style: Style = Style()
    wide: bool = False


def extended_color(params, i):
    """Reads `5;N` or `2;R;G;B` after a 38/48 at params[i]; returns (colour or None, next index)."""
    if i + 1 < len(params) and params[i + 1] == 5 and i + 2 < len(params):
        return color256(max(0, min(255, params[i + 2]))), i + 3
    if i + 1 < len(params) and params[i + 1] == 2 and i + 4 < len(params):
        return tuple(max(0, min(255, v)) for v in params[i + 2:i + 5]), i + 5
    return None, len(params)


def apply_sgr(style, text):
    """The style after the SGR sequence whose parameters are `text` (e.g. "1;38;5;208")."""
    fields = text.split(";") if text else ["0"]
    params = []
    for field in fields:
        if ":" in field:  # colon sub-parameters: 38:2::R:G:B, 38:5:N, 4:3 (curly underline)
            parts = [int(p) if p.isdigit() else 0 for p in field.split(":")]
            if parts[0] in (38, 48) and len(parts) >= 3 and parts[1] == 2:
                parts = parts[:2] + parts[-3:]
            if parts[0] == 4:
                parts = [24 if len(parts) > 1 and parts[1] == 0 else 4]
            params.extend(parts)
        else:
            params.append(int(field) if field.isdigit() else 0)
    i = 0
    while i < len(params):
        p = params[i]
        if p == 0:
            style = Style()
        elif p == 1:
            style = replace(style, bold=True)
        elif p == 2:
            style = replace(style, dim=True)
        elif p == 3:
            style = replace(style, italic=True)
        elif p in (4, 21):
            style = replace(style, underline=True)
        elif p == 7:
            style = replace(style, reverse=True)
        elif p == 8:
            style = replace(style, hidden=True)
        elif p == 9:
            style = replace(style, strike=True)
        elif p == 22:
            style = replace(style, bold=False, dim=False)
        elif p == 23:
            style = replace(style, italic=False)
        elif p == 24:
            style = replace(style, underline=False)
        elif p == 27:
            style = replace(style, reverse=False)
        elif p == 28:
            style = replace(style, hidden=False)
        elif p == 29:
            style = replace(style, strike=False)
        elif 30 <= p <= 37:
            style = replace(style, fg=ANSI16[p - 30])
        elif 90 <= p <= 97:
            style = replace(style, fg=ANSI16[p - 90 + 8])
        elif 40 <= p <= 47:
            style = replace(style, bg=ANSI16[p - 40])
        elif 100 <= p <= 107:
            style = replace(style, bg=ANSI16[p - 100 + 8])
        elif p == 39:
            style = replace(style, fg=None)
        elif p == 49:
            style = replace(style, bg=None)
        elif p in (38, 48):
            color, i = extended_color(params, i)
            if color is not None:
                style = replace(style, fg=color) if p == 38 else replace(style, bg=color)
            continue
        i += 1
    return style


# CSI sequences (SGR ends in "m"; others are skipped), OSC sequences (hyperlinks), other escapes.
ESCAPE = re.compile(r"\x1b\[([0-9;:?<=>]*)([ -/]*[@-~])|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]")


def parse_capture(text, cols, rows):
    """The capture as `rows` lists of `cols` cells. SGR state carries across lines."""
    grid = [[Cell() for _ in range(cols)] for _ in range(rows)]
    style = Style()
    for y, line in enumerate(text.split("\n")[:rows]):
        x = 0
        pos = 0
        for match in ESCAPE.finditer(line):
            x = put_text(grid[y], x, line[pos:match.start()], style)
            if match.group(2) == "m":
                style = apply_sgr(style, match.group(1))
            pos = match.end()
        put_text(grid[y], x, line[pos:], style)
    return grid


def put_text(row, x, text, style):
    """Writes plain `text` into `row` from column `x`; returns the next column."""
    for ch in text:
        if ch in "\r\x00":
            continue
        width = wcwidth(ch)
        if width == 0 and x > 0:  # a combining mark joins the cell before it
            target = x - 1
            if row[target].text == "" and target > 0:
                target -= 1
            if target < len(row):
                row[target].text += ch
            continue
        if width < 0:  # another control character: shown as a replacement glyph
            ch, width = "\ufffd", 1
        if x + width > len(row):
            break
        row[x] = Cell(ch, style, wide=width == 2)
        if width == 2:
            row[x + 1] = Cell("", style)
        x += width
    return x


def colors(style):
    """The (foreground, background) RGB a cell is painted with."""
    fg = style.fg or DEFAULT_FG
    bg = style.bg or DEFAULT_BG
    if style.reverse:
        fg, bg = bg, fg
    if style.dim:
        fg = tuple((f * 55 + b * 45) // 100 for f, b in zip(fg, bg))
    if style.hidden:
        fg = bg
    return fg, bg


class Renderer:
    """Draws grids of cells with DejaVu Sans Mono at one font size."""

    def __init__(self, font_size=16):
        self.fonts = {key: ImageFont.truetype(f"{FONT_DIR}/{name}", font_size) for key, name in FONTS.items()}
        self.fallback = ImageFont.truetype(f"{FONT_DIR}/{FALLBACK_FONT}", font_size)
        regular = self.fonts[(False, False)]
        ascent, descent = regular.getmetrics()
        self.cell_width = round(regular.getlength("M"))
        self.cell_height = ascent + descent
        self.ascent = ascent
        self.missing_mask = bytes(regular.getmask("\uffff"))
        self.missing = {}

    def font_for(self, text, style):
        """The monospaced face for the style, or the fallback when it lacks the character."""
        font = self.fonts[(style.bold, style.italic)]
        if text in self.missing:
            return self.fallback if self.missing[text] else font
        lacks = len(text) == 1 and ord(text) > 0x7F and bytes(font.getmask(text)) == self.missing_mask
        self.missing[text] = lacks
        return self.fallback if lacks else font

    def render(self, grid):
        rows, cols = len(grid), len(grid[0]) if grid else 0
        image = Image.new("RGB", (cols * self.cell_width + 2 * MARGIN, rows * self.cell_height + 2 * MARGIN), DEFAULT_BG)
        draw = ImageDraw.Draw(image)
        for y, row in enumerate(grid):
            for x, cell in enumerate(row):
                if cell.text == "":
                    continue  # the right half of a wide character, drawn with its left half
                self.draw_cell(draw, x, y, cell)
        return image

    def draw_cell(self, draw, x, y, cell):
        fg, bg = colors(cell.style)
        width = self.cell_width * (2 if cell.wide else 1)
        left, top = MARGIN + x * self.cell_width, MARGIN + y * self.cell_height
        box = (left, top, left + width, top + self.cell_height)
        if bg != DEFAULT_BG:
            draw.rectangle((box[0], box[1], box[2] - 1, box[3] - 1), fill=bg)
        text = cell.text
        if text != " " and not cell.style.hidden:
            if has_shape(text):
                draw_shape(draw, text, box, fg, bg)
            else:
                font = self.font_for(text, cell.style)
                draw.text((left, top + self.ascent), text, font=font, fill=fg, anchor="ls")
        if cell.style.underline:
            draw.line((left, top + self.ascent + 2, box[2] - 1, top + self.ascent + 2), fill=fg)
        if cell.style.strike:
            middle = top + self.ascent * 2 // 3
            draw.line((left, middle, box[2] - 1, middle), fill=fg)


# --- Characters drawn as shapes: box drawing (U+2500-257F), blocks (U+2580-259F), braille ---

WEIGHTS = {"LIGHT": 1, "SINGLE": 1, "HEAVY": 2, "DOUBLE": 3}
DIRECTIONS = {"UP": "u", "DOWN": "d", "LEFT": "l", "RIGHT": "r", "HORIZONTAL": "lr", "VERTICAL": "ud"}


def box_arms(ch):
    """For a box-drawing character, the weight (1 light, 2 heavy, 3 double) of each arm from the
    cell's centre ({"u": 1, "r": 1} for a corner), read from its Unicode name; None for the
    diagonals and anything else not made of arms."""
    if not 0x2500 <= ord(ch) <= 0x257F:
        return None
    name = unicodedata.name(ch, "")
    for word in ("DOUBLE DASH ", "TRIPLE DASH ", "QUADRUPLE DASH ", "ARC "):
        name = name.replace(word, "")
    if "DIAGONAL" in name or not name.startswith("BOX DRAWINGS "):
        return None
    arms = {}
    weight = 1
    for group in name[len("BOX DRAWINGS "):].split(" AND "):
        words = group.split()
        weight = next((WEIGHTS[w] for w in words if w in WEIGHTS), weight)
        for word in words:
            for arm in DIRECTIONS.get(word, ""):
                arms[arm] = weight
    return arms or None


def block_rects(ch):
    """For a block element, its filled rectangles as fractions of the cell (x0, y0, x1, y1),
    or a shade ("shade", fraction of foreground); None for other characters."""
    code = ord(ch)
    if code == 0x2580:
        return [(0, 0, 1, 0.5)]
    if 0x2581 <= code <= 0x2588:
        return [(0, 1 - (code - 0x2580) / 8, 1, 1)]
    if 0x2589 <= code <= 0x258F:
        return [(0, 0, (0x2590 - code) / 8, 1)]
    if code == 0x2590:
        return [(0.5, 0, 1, 1)]
    if 0x2591 <= code <= 0x2593:
        return ("shade", (code - 0x2590) / 4)
    if code == 0x2594:
        return [(0, 0, 1, 1 / 8)]
    if code == 0x2595:
        return [(7 / 8, 0, 1, 1)]
    quadrants = {"ul": (0, 0, 0.5, 0.5), "ur": (0.5, 0, 1, 0.5), "ll": (0, 0.5, 0.5, 1), "lr": (0.5, 0.5, 1, 1)}
    names = {0x2596: "ll", 0x2597: "lr", 0x2598: "ul", 0x2599: "ul ll lr", 0x259A: "ul lr", 0x259B: "ul ur ll",
             0x259C: "ul ur lr", 0x259D: "ur", 0x259E: "ur ll", 0x259F: "ur ll lr"}
    if code in names:
        return [quadrants[q] for q in names[code].split()]
    return None


def has_shape(ch):
    return len(ch) == 1 and (box_arms(ch) is not None or block_rects(ch) is not None or 0x2801 <= ord(ch) <= 0x28FF)


def draw_shape(draw, ch, box, fg, bg):
    """Draws a box-drawing, block or braille character filling `box` (left, top, right, bottom)."""
    left, top, right, bottom = box
    width, height = right - left, bottom - top
    rects = block_rects(ch)
    if rects is not None:
        if rects[0] == "shade":
            share = rects[1]
            color = tuple(round(f * share + b * (1 - share)) for f, b in zip(fg, bg))
            draw.rectangle((left, top, right - 1, bottom - 1), fill=color)
            return
        for x0, y0, x1, y1 in rects:
            draw.rectangle((left + round(x0 * width), top + round(y0 * height),
                            left + round(x1 * width) - 1, top + round(y1 * height) - 1), fill=fg)
        return
    arms = box_arms(ch)
    if arms is not None:
        draw_arms(draw, arms, box, fg)
        return
    bits = ord(ch) - 0x2800  # braille: dots 1-3 and 7 down the left column, 4-6 and 8 the right
    dots = [(0, 0), (0, 1), (0, 2), (1, 0), (1, 1), (1, 2), (0, 3), (1, 3)]
    radius = max(1, width // 6)
    for bit, (column, row) in enumerate(dots):
        if bits & (1 << bit):
            cx = left + round((column * 2 + 1) * width / 4)
            cy = top + round((row * 2 + 1) * height / 8)
            draw.ellipse((cx - radius, cy - radius, cx + radius - 1, cy + radius - 1), fill=fg)


def draw_arms(draw, arms, box, fg):
    """Draws lines from the cell's centre to the middle of each edge named in `arms`."""
    left, top, right, bottom = box
    light = max(1, round((right - left) / 9))
    cx = left + (right - left) // 2
    cy = top + (bottom - top) // 2
    gap = light + 1  # half the distance between the two strokes of a double line
    reach = max((gap if w == 3 else (light if w == 2 else 0)) for w in arms.values())
    for arm, weight in arms.items():
        thickness = light * 3 if weight == 2 else light
        offsets = (-gap, gap) if weight == 3 else (0,)
        for offset in offsets:
            half = thickness // 2
            if arm in "ud":
                x0, x1 = cx + offset - half, cx + offset - half + thickness - 1
                y0, y1 = (top, cy + reach) if arm == "u" else (cy - reach, bottom - 1)
            else:
                y0, y1 = cy + offset - half, cy + offset - half + thickness - 1
                x0, x1 = (left, cx + reach) if arm == "l" else (cx - reach, right - 1)
            draw.rectangle((x0, y0, x1, y1), fill=fg)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("capture", help="tmux capture-pane -p -e output ('-' for stdin)")
    parser.add_argument("output", help="the PNG to write")
    parser.add_argument("--cols", type=int, help="screen width in cells (default: the widest line)")
    parser.add_argument("--rows", type=int, help="screen height in cells (default: the capture's lines)")
    parser.add_argument("--font-size", type=int, default=16)
    args = parser.parse_args(argv)
    source = sys.stdin if args.capture == "-" else open(args.capture, encoding="utf-8", errors="replace")
    with source:
        text = source.read()
    lines = text[:-1].split("\n") if text.endswith("\n") else text.split("\n")
    text = "\n".join(lines)
    cols = args.cols or max((sum(max(wcwidth(c), 0) for c in ESCAPE.sub("", line)) for line in lines), default=1) or 1
    rows = args.rows or len(lines)
    Renderer(args.font_size).render(parse_capture(text, cols, rows)).save(args.output)


if __name__ == "__main__":
    main()
