/* ckt_session.h -- the one wrapper around the process-global libngspice.
 *
 * Workload: a few to a few hundred transient runs per process, each on a
 * small cell netlist (tens of lines) held in memory; runs are sequential
 * (ngspice is one global engine: parallel sweeps fork a process each).
 *
 * A session loads a netlist given as an array of lines, runs the analysis
 * the netlist asks for (its .tran card), and hands back copies of the
 * result vectors.  Every ngspice failure -- a netlist that does not parse,
 * a singular matrix, a time step collapse -- comes back as TK_ESPICE with
 * ngspice's own message, and the session stays usable for the next run.
 *
 * Noise: ngspice has no device noise in transient analysis, so noise
 * currents are injected through `I<name> a b external` sources, whose
 * value ngspice asks for through the ngSpice_Init_Sync callback.  Source j
 * of a run draws standard normals g_k from the counter RNG (tk_rng.h) at
 * (seed, stream j, slot k = floor(t / nt_s)) and returns
 *     i(t) = sqrt(S_j / (2 nt_s)) ((1 - f) g_k + f g_(k+1)),  f = t/nt_s - k
 * i.e. white noise of one-sided density S_j below 1/(2 nt_s), a pure
 * function of t: reruns are bit-identical.  g_0 is pinned to 0 so the DC
 * operating point, solved at t = 0, is noiseless (a DC noise current into
 * a high-impedance node would bias it by I R).  S_j is refreshed after every
 * ACCEPTED time point by the caller's update function from the watched
 * node voltages, never inside the Newton iteration (FINDINGS.md).
 * Flicker (optional, ckt_noise.flk): source j adds sqrt(K_j) (y_k - y_0)
 * interpolated the same way, y the 1/f^ef sequence of circuits/
 * ckt_flicker.h on stream CKT_FLK_STREAM + j (independent of the white
 * streams, so a run without flicker is unchanged).
 */
#ifndef CKT_SESSION_H
#define CKT_SESSION_H

#include <stddef.h>
#include <stdint.h>

#include "circuits/ckt_flicker.h"
#include "common/tk_error.h"

#define CKT_FLK_STREAM 0x464c4b0000000000ull /* first flicker stream */

#define CKT_NAME_MAX 48

/* Called after each accepted time point: watch_V[n_watch] holds the
 * watched vectors' values, psd[n_src] the densities to use from now on. */
typedef void (*ckt_noise_update_fn)(void *ud, double t_s,
                                    const double *watch_V, double *psd);

typedef struct ckt_noise {
  size_t n_src;                       /* number of EXTERNAL current sources */
  const char *const *src_names;       /* their instance names ("Inz_M1") */
  double *psd_A2_per_Hz;              /* [n_src] current densities, >= 0 */
  double nt_s;                        /* noise slot length, > 0 */
  uint64_t seed;                      /* counter RNG key */
  size_t n_watch;                     /* vectors passed to update */
  const char *const *watch_names;     /* node names (without v()) */
  ckt_noise_update_fn update;         /* NULL: densities stay fixed */
  void *ud;                           /* handed to update */
  const ckt_flk_plan *flk;            /* [n_src] flicker plan of each
                                         source (n = 0: none), or NULL:
                                         no flicker (ckt_flicker.h) */
  double *flk_A2;                     /* [n_src] flicker coefficient K: the
                                         source adds K / f^ef (A^2/Hz,
                                         f in Hz), >= 0; the update may
                                         refresh it; NULL with flk */
} ckt_noise;

typedef struct ckt_session ckt_session;

/* Initialise libngspice on first use in this process (never twice) and
 * make a session.  Only one session may exist at a time. */
int ckt_session_open(ckt_session **out, tk_err *err);
/* Unload the current circuit; NULL is fine.  Never sends `quit`. */
void ckt_session_close(ckt_session *s);

/* Load lines[0..n) (the last must be ".end") and run the analysis.
 * noise may be NULL.  On failure, ckt_session_error() has ngspice's
 * message and the session can run again. */
int ckt_session_run(ckt_session *s, const char *const *lines, size_t n,
                    const ckt_noise *noise, tk_err *err);

/* Load lines[0..n) without running anything (ckt_session_command runs
 * an analysis: "op"). */
int ckt_session_load(ckt_session *s, const char *const *lines, size_t n,
                     tk_err *err);
/* One ngspice command (< 256 bytes); TK_ESPICE with its message. */
int ckt_session_command(ckt_session *s, const char *cmd, tk_err *err);
/* Every instance card of the loaded circuit after subcircuit expansion,
 * as ngspice lists it, lower case, in deck order: its first word is
 * ngspice's own name of the instance ("m.x_tk.m.xi1.mp tk_x a vdd vdd
 * pch w=1u", "r.x1.r2 a b 1k"), then its nodes and model with their
 * expanded names ("x1:dy" for a model defined inside X1's definition);
 * free with ckt_session_names_free. */
int ckt_session_instances(ckt_session *s, char ***names, size_t *n,
                          tk_err *err);
void ckt_session_names_free(char **names, size_t n);
/* Device parameter or operating-point value `@dev[param]` of the loaded
 * circuit (after "op": its operating point); TK_ENOTFOUND if ngspice has
 * no such device or parameter. */
int ckt_session_param(ckt_session *s, const char *dev, const char *param,
                      double *value, tk_err *err);

/* Copy of a result vector of the last run ("time", "out" or "v(out)",
 * "vdd#branch"); *data is malloc'd, free() it. */
int ckt_session_vec(ckt_session *s, const char *name, double **data,
                    size_t *n, tk_err *err);

/* Last ngspice error line (empty if none), and the whole captured output
 * of the last run (bounded, for diagnostics). */
const char *ckt_session_error(const ckt_session *s);
const char *ckt_session_log(const ckt_session *s);

/* External-source callbacks answered during the last run, and accepted
 * time points seen (for speed figures). */
uint64_t ckt_session_ncallbacks(const ckt_session *s);
uint64_t ckt_session_naccepted(const ckt_session *s);

#endif
