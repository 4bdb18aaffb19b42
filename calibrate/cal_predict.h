/* cal_predict.h -- a calibrated pbit's P(1) and correlation time at any
 * temperature and control voltage, from the temperature model stored in
 * its cell library (fit/temperature_model, io/io_celllib.h; the model is
 * cal_temp.h's), optionally refitted without one calibrated temperature
 * (leave-one-out, against a new measurement there).
 *
 * Range: the model is a physics extrapolation, but only trusted near the
 * data: temperatures more than margin_K outside the calibrated
 * [t_min, t_max] are refused (TK_ERANGE).
 *
 * Workload: one small read and three formula evaluations.
 */
#ifndef CAL_PREDICT_H
#define CAL_PREDICT_H

#include "common/tk_error.h"

#define CAL_PREDICT_MARGIN_K 25.0

typedef struct cal_predict_params {
  const char *cells;       /* the cell library */
  const char *cell;        /* the cell in it */
  double temp_K;           /* where to predict */
  double vctl_V;           /* at this control voltage */
  int leave_out;           /* refit without temp_K (a calibrated one) */
  double margin_K;         /* allowed distance outside the range (25 K) */
} cal_predict_params;

typedef struct cal_prediction {
  double p1, p1_err;       /* P(1) and its standard error */
  double tau_s;            /* correlation time, s */
  double v0_V, vs_V;       /* the logistic at temp_K */
} cal_prediction;

cal_predict_params cal_predict_default_params(void);

/* The model loaded once and evaluated many times (a vectorised caller:
 * the Python package's CellLibrary.predict).  load reads p->cells,
 * p->cell (and refits without p->temp_K with leave_out); eval checks the
 * range (p->margin_K) for each point; cal_predict is load, eval, free. */
typedef struct cal_predictor cal_predictor;
int cal_predictor_load(const cal_predict_params *p, cal_predictor **out,
                       tk_err *err);
int cal_predictor_eval(const cal_predictor *pr, double temp_K, double vctl_V,
                       cal_prediction *out, tk_err *err);
/* The calibrated temperature range (NaN for NULL). */
void cal_predictor_range(const cal_predictor *pr, double *t_min_K,
                         double *t_max_K);
void cal_predictor_free(cal_predictor *pr);

/* TK_ENOTFOUND: no such cell or no temperature model; TK_EINVAL:
 * leave_out of a temperature that was not calibrated; TK_ERANGE:
 * temp_K outside the trusted range. */
int cal_predict(const cal_predict_params *p, cal_prediction *out,
                tk_err *err);

#endif
