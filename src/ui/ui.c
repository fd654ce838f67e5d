/* ui: placeholder until the ncurses view lands. */
#include "sockstep/ui.h"

#include <stdio.h>

enum ui_result ui_run(struct director *d, const struct ui_opts *o, char *err,
		      size_t errsz)
{
	(void)d;
	(void)o;
	snprintf(err, errsz, "the UI is not built yet: use --headless");
	return UI_ERROR;
}

void ui_emergency_restore(void)
{
}
