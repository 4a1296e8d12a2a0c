// ncursesw for Swift: wide-character API on, and the macros Swift cannot import wrapped.
#ifndef STACKTOP_CNCURSES_SHIM_H
#define STACKTOP_CNCURSES_SHIM_H
#define NCURSES_WIDECHAR 1
#define _XOPEN_SOURCE_EXTENDED 1
#include <locale.h>
#include <wchar.h>
#include <ncursesw/curses.h>
#endif
