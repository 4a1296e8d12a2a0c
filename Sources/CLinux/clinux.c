#include "clinux.h"
int stacktop_clinux_placeholder(void) { return 0; }
