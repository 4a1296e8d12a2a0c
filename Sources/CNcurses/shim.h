// ncursesw for Swift: wide-character API on, and the macros Swift cannot import wrapped.
#ifndef STACKTOP_CNCURSES_SHIM_H
#define STACKTOP_CNCURSES_SHIM_H
#define NCURSES_WIDECHAR 1
#define _XOPEN_SOURCE_EXTENDED 1
#include <locale.h>
#include <langinfo.h>
#include <wchar.h>
#include <ncursesw/curses.h>

// Attributes (macros in curses.h).
static inline attr_t stk_a_normal(void) { return A_NORMAL; }
static inline attr_t stk_a_bold(void) { return A_BOLD; }
static inline attr_t stk_a_reverse(void) { return A_REVERSE; }
static inline attr_t stk_a_dim(void) { return A_DIM; }

// The screen's size and the default window, without touching the globals from Swift.
static inline WINDOW *stk_stdscr(void) { return stdscr; }
static inline int stk_lines(void) { return LINES; }
static inline int stk_cols(void) { return COLS; }
static inline int stk_maxy(WINDOW *w) { return getmaxy(w); }
static inline int stk_maxx(WINDOW *w) { return getmaxx(w); }

// Line-drawing glyphs: one function per glyph, so no WACS letter code is ever written by hand.
// Valid only after initscr/newterm.
static inline const cchar_t *stk_wacs_hline(void) { return WACS_HLINE; }
static inline const cchar_t *stk_wacs_vline(void) { return WACS_VLINE; }
static inline const cchar_t *stk_wacs_ulcorner(void) { return WACS_ULCORNER; }
static inline const cchar_t *stk_wacs_urcorner(void) { return WACS_URCORNER; }
static inline const cchar_t *stk_wacs_llcorner(void) { return WACS_LLCORNER; }
static inline const cchar_t *stk_wacs_lrcorner(void) { return WACS_LRCORNER; }
static inline const cchar_t *stk_wacs_ltee(void) { return WACS_LTEE; }
static inline const cchar_t *stk_wacs_rtee(void) { return WACS_RTEE; }
static inline const cchar_t *stk_wacs_ttee(void) { return WACS_TTEE; }
static inline const cchar_t *stk_wacs_btee(void) { return WACS_BTEE; }
static inline const cchar_t *stk_wacs_plus(void) { return WACS_PLUS; }

// Mouse masks (macros built from NCURSES_MOUSE_MASK).
static inline mmask_t stk_button1_pressed(void) { return BUTTON1_PRESSED; }
static inline mmask_t stk_button1_clicked(void) { return BUTTON1_CLICKED; }
static inline mmask_t stk_button1_released(void) { return BUTTON1_RELEASED; }
#endif
