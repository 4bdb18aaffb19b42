/* test_tsu_ising.c -- 2D ferromagnet on G4: Binder crossing at Onsager.
 *
 * J = 1, h = 0 on G4 tori of L = 16 and 32 (fast kernel, 256 chains,
 * 6000 sweeps after 1000 of burn-in, measured every 2nd sweep).  Binder
 * cumulant U = 1 - <m^4> / (3 <m^2>^2) grows with L above beta_c and
 * falls with L below it, so D = U_32 - U_16 must change sign between
 * beta = 0.43 and 0.45, the bracket around beta_c = ln(1 + sqrt 2)/2 =
 * 0.4407 (finite-size shift of the 16/32 crossing is < 0.002).  Null: D
 * estimated by jackknife over the independent chains; each sign must hold
 * at 4 sigma.  Also <|m|> is small above and large below T_c.
 * Seed fixed (0x0175a9).  Runs in about 10 s on one core.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tests/tk_test.h"
#include "tsu/tsu_cell.h"
#include "tsu/tsu_color.h"
#include "tsu/tsu_fast.h"
#include "tsu/tsu_graph.h"

#define CHAINS 256
#define BURN 1000
#define SWEEPS 6000

typedef struct binder {
  double u, u_se;       /* Binder cumulant and jackknife error */
  double absm;          /* <|m|> */
  double *u_jk;         /* [CHAINS] leave-one-chain-out U */
} binder;

static void run(uint32_t L, double beta, binder *out)
{
  tk_err err = {0};
  tsu_graph *g = NULL;
  tsu_coloring *col = NULL;
  tsu_cells *cells = NULL;
  tsu_sampler *s = NULL;
  tsu_graph_grid(L, 1, 1, &g, &err);
  for (uint32_t e = 0; e < g->n_edges; e++)
    g->w[e] = 1.0;
  for (uint32_t k = 0; k < g->off[g->n]; k++)
    g->adj_w[k] = 1.0;
  tsu_coloring_build(g, &col, &err);
  tsu_cell_params p = tsu_cell_ideal_params(beta);
  tsu_cells_build(&p, g->n, &cells, &err);
  tsu_sampler_alloc(g, col, cells, CHAINS, 0x0175a9 + L, TSU_PATH_AUTO, &s,
                    &err);
  tsu_sampler_run(s, BURN, 0);
  double m2[CHAINS] = {0}, m4[CHAINS] = {0}, am[CHAINS] = {0};
  long cnt[CHAINS], nmeas = 0;
  for (int t = 0; t < SWEEPS / 2; t++) {
    tsu_sampler_run(s, 2, 0);
    uint32_t ng;
    const uint64_t *b = tsu_sampler_bits(s, &ng);
    memset(cnt, 0, sizeof cnt);
    for (uint32_t i = 0; i < g->n; i++)
      for (uint32_t gr = 0; gr < ng; gr++) {
        uint64_t w = b[(size_t)i * ng + gr];
        for (int c = 0; c < 64; c++)
          cnt[gr * 64 + c] += (w >> c) & 1;
      }
    for (int c = 0; c < CHAINS; c++) {
      double m = (2.0 * cnt[c] - g->n) / g->n;
      m2[c] += m * m;
      m4[c] += m * m * m * m;
      am[c] += fabs(m);
    }
    nmeas++;
  }
  double s2 = 0, s4 = 0, sa = 0;
  for (int c = 0; c < CHAINS; c++) {
    s2 += m2[c];
    s4 += m4[c];
    sa += am[c];
  }
  double tot = (double)CHAINS * nmeas;
  out->u = 1 - (s4 / tot) / (3 * (s2 / tot) * (s2 / tot));
  out->absm = sa / tot;
  out->u_jk = malloc(CHAINS * sizeof *out->u_jk);
  double jm = 0, jv = 0;
  for (int c = 0; c < CHAINS; c++) {
    double t2 = (s2 - m2[c]) / (tot - nmeas), t4 = (s4 - m4[c]) / (tot - nmeas);
    out->u_jk[c] = 1 - t4 / (3 * t2 * t2);
    jm += out->u_jk[c];
  }
  jm /= CHAINS;
  for (int c = 0; c < CHAINS; c++)
    jv += (out->u_jk[c] - jm) * (out->u_jk[c] - jm);
  out->u_se = sqrt(jv * (CHAINS - 1.0) / CHAINS);
  tsu_sampler_free(s);
  tsu_cells_free(cells);
  tsu_coloring_free(col);
  tsu_graph_free(g);
}

int main(void)
{
  const double betas[2] = {0.43, 0.45};
  for (int k = 0; k < 2; k++) {
    binder a, b;
    run(16, betas[k], &a);
    run(32, betas[k], &b);
    /* chains of different L are independent: errors add in quadrature */
    double d = b.u - a.u, se = sqrt(a.u_se * a.u_se + b.u_se * b.u_se);
    printf("# beta %.3f: U16 %.4f +- %.4f  U32 %.4f +- %.4f  <|m|> %.3f / "
           "%.3f\n", betas[k], a.u, a.u_se, b.u, b.u_se, a.absm, b.absm);
    if (k == 0)
      TKT_OK(d < -4 * se, "beta 0.43 < beta_c: U_32 < U_16 (D = %.4f, "
             "sigma %.4f, need D < -4 sigma)", d, se);
    else
      TKT_OK(d > 4 * se, "beta 0.45 > beta_c: U_32 > U_16 (D = %.4f, "
             "sigma %.4f, need D > 4 sigma)", d, se);
    if (k == 1)
      TKT_OK(b.absm > 0.7, "ordered at beta 0.45: <|m|>_32 = %.3f > 0.7",
             b.absm);
    free(a.u_jk);
    free(b.u_jk);
  }
  return tkt_done();
}
