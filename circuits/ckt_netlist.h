/* ckt_netlist.h -- a phys_cell as ngspice netlist text, with physical
 * device noise as EXTERNAL current sources.
 *
 * Workload: one netlist per run, tens of lines; built in memory.
 *
 * Mapping (node 0 is ground):
 *   fixed node N      V_N N 0 <v>        (supply current: v_n#branch)
 *   free node N       C_N N 0 <c_F>      and .ic v(N)=<v0> (uic)
 *   MOSFET Mx         Mx d g s b nch|pch W= L= [delvto=]  (model card by
 *                     name; delvto: the mismatch shift p->dvth_V[i])
 *   resistor Rx       Rx a b <r>
 *   noise (if on)     INZ_Mx d s external   one per noisy MOSFET,
 *                     INZ_Rx a b external   one per noisy resistor
 *   analysis          .tran <tstep> <tstop> 0 <tmax = nt/2> uic
 *   options           temp, tnom = 27 C, gmin = 1e-21 S (ngspice's default
 *                     1e-12 S junction shunt would swamp fA-pA devices)
 *   .save all @Mx[id] @Mx[gds] for every noisy MOSFET: the noise update
 *                     reads the simulated device's own current and g_ds
 * The noise densities (two-flux shot noise 2q(I_F + I_R) per MOSFET,
 * 4kT/R per resistor) are computed in ckt_sim.c with physics/.
 */
#ifndef CKT_NETLIST_H
#define CKT_NETLIST_H

#include <stddef.h>
#include <stdint.h>

#include "common/tk_error.h"
#include "physics/phys_cell.h"

typedef struct ckt_sim_params {
  const char *model;    /* model card: "bsim4" (default) or "level1" */
  const char *model_file; /* user model library (.include), or NULL */
  double temp_K;        /* simulation temperature, > 0 */
  double tstop_s;       /* simulated time, > 0 */
  double tstep_s;       /* output sample interval, > 0, <= tstop_s */
  double nt_s;          /* noise slot (white up to 1/(2 nt)), > 0 */
  uint64_t seed;        /* counter RNG key of the noise */
  int noise;            /* 1: inject device noise; 0: deterministic */
  double noise_scale;   /* every noise density x this (a diagnostic: S =
                           T' / T gives the devices of T the thermal noise
                           of T'); 0 or 1: the physical noise */
  const double *dvth_V; /* [n_dvth] threshold shift of MOSFET i of the cell
                           (Monte-Carlo mismatch, ngspice's delvto), or NULL */
  size_t n_dvth;        /* entries in dvth_V */
} ckt_sim_params;

/* bsim4, 300.15 K, 10 us, 1 ns output, 0.5 ns noise slot, seed 1, noise on
 * (scale 1) */
ckt_sim_params ckt_sim_default_params(void);

typedef struct ckt_netlist {
  char **lines;         /* netlist lines, the last ".end" */
  size_t n, cap;        /* lines used / allocated */
  char **noise_names;   /* EXTERNAL source names, one per noisy device */
  int *noise_dev;       /* [n_noise] >= 0: MOSFET index, < 0: -1 - resistor */
  size_t n_noise;       /* number of noise sources */
} ckt_netlist;

/* Lines of a model card set ("bsim4", "level1"); static storage. */
int ckt_model_lines(const char *name, const char *const **lines, size_t *n,
                    tk_err *err);

int ckt_netlist_build(const phys_cell *c, const char *title,
                      const ckt_sim_params *p, ckt_netlist *nl, tk_err *err);
void ckt_netlist_clear(ckt_netlist *nl);
/* Append one printf-formatted line; append noise source `src` (its name
 * as ngspice reports it to the EXTERNAL callback) with device code `code`
 * (noise_dev).  For builders of other netlists (circuits/ckt_subckt.c). */
int ckt_netlist_add(ckt_netlist *nl, tk_err *err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int ckt_netlist_add_source(ckt_netlist *nl, const char *src, int code,
                           tk_err *err);
/* All lines joined by newlines (malloc'd), or NULL on no memory. */
char *ckt_netlist_text(const ckt_netlist *nl);

#endif
