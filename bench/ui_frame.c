/*
 * bench/ui_frame: the cost of one UI frame by the number of events in the
 * view's history, drawn with the real drawing code (ui_draw_frame) on a
 * curses screen whose output goes to /dev/null.
 *
 * usage: ui_frame TRACE.jsonl N FRAMES
 * Folds N events (TRACE's lines over and over, times shifted) into a view,
 * draws the first frame, then FRAMES more, one new event before each as a
 * live session would.  Prints one line:
 *   events N first_frame_ms X frame_us MEDIAN frame_max_us MAX maxrss_kib R
 * first_frame_ms counts from the start of main: reading the trace, folding
 * the N events and drawing.  maxrss_kib is getrusage's peak for the process.
 */
#include <curses.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "sockstep/jsonl.h"
#include "sockstep/ui.h"
#include "sockstep/view.h"

#define ROWS 40
#define COLS 120

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	double t_start = now();
	if (argc != 4) {
		fprintf(stderr, "usage: %s TRACE.jsonl N FRAMES\n", argv[0]);
		return 2;
	}
	long n = strtol(argv[2], NULL, 10);
	long frames = strtol(argv[3], NULL, 10);
	if (n < 1 || frames < 1) {
		fprintf(stderr, "ui_frame: bad N or FRAMES\n");
		return 2;
	}

	/* The events of one real session. */
	FILE *f = fopen(argv[1], "r");
	if (f == NULL) {
		perror(argv[1]);
		return 1;
	}
	size_t cap = 256, nev = 0;
	struct ss_event *evs = malloc(cap * sizeof(*evs));
	char line[JSONL_LINE_MAX + 2], err[128];
	while (evs != NULL && fgets(line, sizeof(line), f) != NULL) {
		if (nev == cap) {
			struct ss_event *bigger = realloc(evs, 2 * cap * sizeof(*evs));
			if (bigger == NULL)
				break;
			evs = bigger;
			cap *= 2;
		}
		if (jsonl_parse(line, &evs[nev], err, sizeof(err)) == 0)
			nev++;
	}
	fclose(f);
	if (evs == NULL || nev == 0) {
		fprintf(stderr, "ui_frame: no events in %s\n", argv[1]);
		return 1;
	}
	double span = evs[nev - 1].t + 0.001;

	setlocale(LC_ALL, "");
	FILE *out = fopen("/dev/null", "w"), *in = fopen("/dev/null", "r");
	SCREEN *scr = out && in ? newterm(NULL, out, in) : NULL;
	if (scr == NULL) {
		fprintf(stderr, "ui_frame: newterm failed (TERM=%s)\n",
			getenv("TERM") ? getenv("TERM") : "");
		return 1;
	}
	resizeterm(ROWS, COLS);
	ui_draw_setup(has_colors(), 1);

	struct ui_view *v = ui_view_new(0, "live");
	struct ui_opts o = { .title = "bench", .mode = "live" };
	struct ui_screen s;
	if (v == NULL)
		return 1;
	ui_screen_init(&s, &o);

	long added = 0;
	for (; added < n; added++) {
		struct ss_event ev = evs[(size_t)added % nev];
		ev.t += span * (double)((size_t)added / nev);
		ui_view_add(v, &ev);
	}
	ui_draw_frame(v, &s, ROWS, COLS);
	wnoutrefresh(stdscr);
	doupdate();
	double first_ms = (now() - t_start) * 1e3;

	double *dt = malloc((size_t)frames * sizeof(*dt));
	if (dt == NULL)
		return 1;
	for (long i = 0; i < frames; i++, added++) {
		struct ss_event ev = evs[(size_t)added % nev];
		ev.t += span * (double)((size_t)added / nev);
		ui_view_add(v, &ev);
		double t0 = now();
		ui_draw_frame(v, &s, ROWS, COLS);
		wnoutrefresh(stdscr);
		doupdate();
		dt[i] = now() - t0;
	}
	qsort(dt, (size_t)frames, sizeof(*dt), cmp_double);
	double median = dt[frames / 2], max = dt[frames - 1];

	endwin();
	delscreen(scr);
	fclose(out);
	fclose(in);
	ui_view_free(v);
	free(dt);
	free(evs);

	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	printf("  events %7ld  first_frame_ms %8.2f  frame_us %8.1f  frame_max_us %8.1f  maxrss_kib %ld\n",
	       n, first_ms, median * 1e6, max * 1e6, ru.ru_maxrss);
	return 0;
}
