/* tk_progress.h -- progress lines on stderr for long work.
 *
 * Prints "label: 42.0% 1.3e+03 items/s ETA 12 s" at most five times a
 * second, overwriting one terminal line.  Silent when stderr is not a
 * terminal or when quiet is set.  The process-wide mode (set by
 * tk_init(), common/tk_init.h, from TSUKIT_PROGRESS=always|never or the
 * command line's --quiet) overrides that: ALWAYS prints one line per
 * update (for logs), NEVER prints nothing.
 */
#ifndef TK_PROGRESS_H
#define TK_PROGRESS_H

enum { TK_PROGRESS_AUTO = 0, TK_PROGRESS_ALWAYS = 1, TK_PROGRESS_NEVER = 2 };

/* The process-wide mode (tk_init sets it; default AUTO). */
void tk_progress_set_mode(int mode);
int tk_progress_mode(void);

typedef struct tk_progress {
  const char *label;    /* what is being counted, e.g. "sweeps" */
  double total;         /* items expected (> 0) */
  double t_start_s;     /* monotonic clock at init */
  double t_last_s;      /* time of the last printed line */
  int enabled;          /* 0: print nothing */
  int tty;              /* 1: overwrite one line with \r */
} tk_progress;

void tk_progress_init(tk_progress *p, const char *label, double total,
                      int quiet);
/* Report `done` items finished so far (cheap when nothing is printed). */
void tk_progress_update(tk_progress *p, double done);
/* Final line with the elapsed time. */
void tk_progress_finish(tk_progress *p);

/* Monotonic wall clock in seconds. */
double tk_clock_s(void);

#endif
