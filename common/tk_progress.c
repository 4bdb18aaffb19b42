/* tk_progress.c -- rate and ETA on stderr, rate-limited. */
#include "common/tk_progress.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

double tk_clock_s(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Process-wide, written by tk_init() before any work (tk_init.h). */
static int progress_mode = TK_PROGRESS_AUTO;

void tk_progress_set_mode(int mode)
{
  if (mode == TK_PROGRESS_AUTO || mode == TK_PROGRESS_ALWAYS ||
      mode == TK_PROGRESS_NEVER)
    progress_mode = mode;
}

int tk_progress_mode(void) { return progress_mode; }

void tk_progress_init(tk_progress *p, const char *label, double total,
                      int quiet)
{
  p->label = label;
  p->total = total > 0 ? total : 1;
  p->t_start_s = tk_clock_s();
  p->t_last_s = p->t_start_s;
  p->tty = isatty(STDERR_FILENO);
  p->enabled = !quiet && p->tty;
  if (progress_mode == TK_PROGRESS_ALWAYS)
    p->enabled = 1;
  if (progress_mode == TK_PROGRESS_NEVER)
    p->enabled = 0;
}

void tk_progress_update(tk_progress *p, double done)
{
  if (!p->enabled)
    return;
  double now = tk_clock_s();
  if (now - p->t_last_s < 0.2)
    return;
  p->t_last_s = now;
  double el = now - p->t_start_s;
  double rate = el > 0 ? done / el : 0;
  double eta = rate > 0 ? (p->total - done) / rate : 0;
  fprintf(stderr, "%s%s: %5.1f%% %.3g %s/s ETA %.0f s%s", p->tty ? "\r" : "",
          p->label, 100.0 * done / p->total, rate, p->label, eta,
          p->tty ? "   " : "\n");
  fflush(stderr);
}

void tk_progress_finish(tk_progress *p)
{
  if (!p->enabled)
    return;
  fprintf(stderr, "%s%s: done in %.1f s%s\n", p->tty ? "\r" : "", p->label,
          tk_clock_s() - p->t_start_s, p->tty ? "                    " : "");
  fflush(stderr);
}
