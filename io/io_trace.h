/* io_trace.h -- the trace file of `tsukit trace`: simulated cell runs,
 * their node voltages and the figures measured on them.
 *
 * Workload: a handful of runs of 10^3-10^6 samples per node, written once
 * (through io_file_create / io_file_commit: FILE.partial renamed only
 * when every run is in) and read back whole by `tsukit plot`.
 *
 * Layout: root attributes kind = "trace", cell, cell_kind (a
 * ckt_cellkind name), engine, output_node (comma list of the output
 * nodes), vdd_V, runs; /traces/runN/time_s and /traces/runN/<node>_V for
 * every non-fixed node; per run attributes vctl_V (the first control),
 * vctl0_V.. (one per control), temp_K, energy_supply_J, netlist (the full
 * text), op_<node>_V (sample 0, the noiseless operating point), and the
 * figures of the cell's kind:
 *   pbit         p1, tau_s, tau_flip_s, flips, energy_per_flip_J
 *   categorical  p0..p3, tau_s, flips
 *   gmm          mu0_V, mu1_V, sigma0_V, sigma1_V, w0
 */
#ifndef IO_TRACE_H
#define IO_TRACE_H

#include <stddef.h>

#include "circuits/cells/ckt_cellkind.h"
#include "circuits/cells/ckt_cells.h"
#include "circuits/ckt_measure.h"
#include "circuits/ckt_sim.h"
#include "common/tk_error.h"
#include "io/io_h5.h"

#define IO_TRACE_MAX_LINES 8  /* output lines read back per run */

/* The figures of one run; only the member of `kind` is meaningful. */
typedef struct io_trace_figs {
  ckt_cellkind kind;    /* which member below is filled */
  ckt_pbit_stats pbit;  /* pbit: P(1), tau, flips, energy per flip */
  ckt_cat_stats cat;    /* categorical: occupancies, tau, flips */
  ckt_gmm_stats gmm;    /* gmm: mode means, widths, weight */
} io_trace_figs;

/* The figures of a kind as a table: attribute name (also the summary key
 * of `tsukit trace`), where the value sits in io_trace_figs, its type. */
typedef struct io_trace_figdef {
  const char *name;     /* attribute name / summary key */
  size_t offset;        /* offset of the value in io_trace_figs */
  int is_count;         /* 1: a size_t count, stored as int64; 0: double */
  int summary;          /* 1: part of the `tsukit trace` summary line */
} io_trace_figdef;

/* The rows of kind k (*n of them; NULL, *n = 0 outside the enum), in the
 * order they are written. */
const io_trace_figdef *io_trace_figdefs(ckt_cellkind k, size_t *n);
/* The value of row d in f, as a double. */
double io_trace_fig_value(const io_trace_figs *f, const io_trace_figdef *d);

/* One run as written. */
typedef struct io_trace_run {
  const ckt_trace *tr;  /* the simulated trace */
  const double *vctl_V; /* [n_ctl] its controls */
  size_t n_ctl;         /* controls, >= 1 */
  double temp_K;        /* simulation temperature */
  const io_trace_figs *figs; /* its figures */
} io_trace_run;

/* The root attributes. */
typedef struct io_trace_header {
  const char *cell;     /* cell name */
  ckt_cellkind kind;    /* its kind */
  const char *engine;   /* "ngspice" | "native" */
  const char *outputs;  /* comma list of output nodes */
  double vdd_V;         /* supply the figures were measured against */
  size_t runs;          /* runs in the file */
} io_trace_header;

/* /traces/run<idx> with its datasets and attributes. */
int io_trace_write_run(io_file *f, size_t idx, const io_trace_run *r,
                       tk_err *err);
/* The root attributes (call once, after the runs). */
int io_trace_write_header(io_file *f, const io_trace_header *h, tk_err *err);

/* Reading.  Attributes a file lacks keep the defaults noted. */
typedef struct io_trace_info {
  char outputs[64];     /* output_node; default "out" */
  double vdd_V;         /* default 1 */
  int have_kind;        /* 1: cell_kind present and known */
  ckt_cellkind kind;    /* valid when have_kind */
  char **runs;          /* [n_runs] group names under /traces */
  size_t n_runs;        /* runs */
} io_trace_info;

/* One run read back: time and the output lines, and the attributes a
 * figure needs (NaN when absent). */
typedef struct io_trace_rec {
  double *time_s;       /* [n_time] */
  size_t n_time;        /* samples of time_s */
  double *line_V[IO_TRACE_MAX_LINES]; /* output lines, in outputs order */
  size_t n_line;        /* samples of each line */
  unsigned n_lines;     /* lines read */
  double vctl_V;        /* first control */
  double vctl1_V;       /* second control (gmm: the mode separation) */
  double tau_s;         /* correlation time */
  double p1;            /* P(1) (pbit, categorical) */
} io_trace_rec;

/* Root attributes and run list of an open trace file (/traces must
 * exist).  Free with io_trace_info_clear. */
int io_trace_info_read(io_file *f, io_trace_info *info, tk_err *err);
void io_trace_info_clear(io_trace_info *info);
/* Run r of info (r < n_runs); free with io_trace_rec_clear, also after a
 * failure. */
int io_trace_rec_read(io_file *f, const io_trace_info *info, size_t r,
                      io_trace_rec *rec, tk_err *err);
void io_trace_rec_clear(io_trace_rec *rec);

#endif
