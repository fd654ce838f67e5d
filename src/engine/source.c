/* source: what every backend shares (see include/sockstep/source.h). */
#include "sockstep/source.h"

#include <stdlib.h>

void source_free(struct source *s)
{
	if (s == NULL)
		return;
	s->ops->stop(s->self);
	s->ops->free(s->self);
	free(s);
}
