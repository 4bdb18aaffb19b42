/* cal_nodemap_impl.h -- the private parts of cal_nodemap shared by its
 * loader (cal_nodemap.c: library read, models interpolated to the chip
 * and design temperatures, instances) and its evaluation
 * (cal_nodemap_eval.c: categorical and gmm conditionals). */
#ifndef CAL_NODEMAP_IMPL_H
#define CAL_NODEMAP_IMPL_H

#include <math.h>

#include "calibrate/cal_fit.h"
#include "calibrate/cal_nodemap.h"
#include "calibrate/cal_priority.h"

#define PULL_ITERS 20   /* bisection of the pull towards uniform: 1e-6 */
#define Q_FLOOR 1e-9    /* target probabilities are raised to this */
#define INST_STREAM 0x6e6f64656d6170ull  /* "nodemap": instance draws */
/* The reachability grid: every 8th point of cal_priority_inverse's 4000
 * steps of ln(lambda) over [-18, 18], so a point found reachable here is
 * one the inverse's scan finds too. */
#define LAM_N 500
#define LAM_LO (-18.0)
#define LAM_SPAN 36.0
/* The bracketed inverse (cal_nodemap_eval.c) runs on the inverse's own
 * grid of INV_N + 1 points of ln(lambda) over [-18, 18] and ends with the
 * same INV_GOLDEN golden-section steps (cal_priority_inverse's 4000 and
 * 60), so that it returns the scan's controls bit for bit. */
#define INV_N 4000
#define INV_GOLDEN 60

/* One cell's model at one temperature. */
typedef struct tmodel {
  cal_priority_model pm;     /* categorical, priority encoder */
  cal_softmax_model sm;      /* categorical, softmax */
  double mu_V[2], sd_V[2];   /* gmm modes */
  double w_v0_V, w_vs_V;     /* gmm weight logistic */
} tmodel;

struct cal_nodemap {
  cal_nodemap_info info;     /* what cal_nodemap_get_info returns */
  tmodel chip, design;       /* the nominal model at temp_K and design_K */
  size_t n_inst;             /* instances (1: nominal) */
  double *dv0_V;             /* [n_inst] midpoint shift at temp_K, V */
  double *svs;               /* [n_inst] slope scale at temp_K */
  uint64_t seed;             /* instance draw (0: i mod n_inst) */
  int fast;                  /* cal_nodemap_cat_p may skip the inverse */
  double plo[CAL_MAX_STATES], phi[CAL_MAX_STATES]; /* design model: bit
                                on-probabilities at vmin_V, vmax_V */
  double lam[LAM_N + 1];     /* the reachability grid's lambdas */
  int brk;                   /* 1: the bracketed inverse (priority model,
                                every vs > 0); 0: the direct scan */
  double dlo[CAL_MAX_STATES], dhi[CAL_MAX_STATES]; /* design model: bit
                                on-probabilities at vmin_V, vmax_V (brk) */
  double dw[CAL_MAX_STATES]; /* design hold weights (0 taken as 1) */
  double lamg[INV_N + 1];    /* the inverse grid's lambdas (brk) */
};

static inline double cal__nodemap_sigmoid(double x)
{
  return 1.0 / (1.0 + exp(-x));
}

static inline const char *cal__nodemap_kind_word(cal_nodemap_kind k)
{
  return k == CAL_NODEMAP_CAT ? "categorical" : "gmm";
}

#endif
