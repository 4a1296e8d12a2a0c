int stacktop_clinux_placeholder(void);
