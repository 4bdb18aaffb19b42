/* tsu_clf_train.c -- training of the FD-tsukit classifier by minibatch
 * AdamW (tsu_clf.h); the determinism rules are those of tsu_clf.c: no
 * sum is split across threads, so the bits do not depend on the thread
 * count.
 *
 * Workload: 60000 images of 784 bytes, batch 100, 784 -> 256 -> 64 -> 10;
 * the first layer's lit weight rows (forward and gradient) ~90 % of it.
 */
#include "tsu/tsu_clf.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#ifdef _OPENMP
#include <omp.h>
#endif

#include "common/tk_progress.h"
#include "common/tk_rng.h"
#include "tsu/tsu_clf_impl.h"

static const double PI = 3.14159265358979323846;

/* ---- training ---------------------------------------------------------- */

typedef struct trainer {
  tsu_clf *c;               /* the network being trained */
  const tsu_clf_params *p;  /* settings */
  size_t off[TSU_CLF_MAX_LAYERS + 1]; /* activation offsets per sample */
  size_t s;                 /* activation floats per sample */
  float *act;               /* [batch][s] activations */
  float *delta;             /* [batch][s] dLoss/d(pre-activation) */
  double *loss;             /* [batch] per-sample cross-entropy, nats */
  const uint8_t **xb;       /* [batch] the batch's images */
  uint8_t *yb;              /* [batch] their labels */
  float *mw[TSU_CLF_MAX_LAYERS], *vw[TSU_CLF_MAX_LAYERS]; /* Adam moments of w */
  float *mb[TSU_CLF_MAX_LAYERS], *vb[TSU_CLF_MAX_LAYERS]; /* Adam moments of b */
  size_t *perm;             /* [n] sample order of the current epoch */
} trainer;

static void trainer_free(trainer *t)
{
  free(t->act);
  free(t->delta);
  free(t->loss);
  free(t->xb);
  free(t->yb);
  free(t->perm);
  for (uint32_t l = 0; l < TSU_CLF_MAX_LAYERS; l++) {
    free(t->mw[l]);
    free(t->vw[l]);
    free(t->mb[l]);
    free(t->vb[l]);
  }
}

static int check_params(const tsu_clf_params *p, tk_err *err)
{
  if (p->n_hidden < 1 || p->n_hidden > TSU_CLF_MAX_HIDDEN)
    return TK_FAIL(err, TK_EINVAL, "classifier: %u hidden layers (want 1..%d)",
                   p->n_hidden, TSU_CLF_MAX_HIDDEN);
  if (p->n_classes < 2 || p->n_classes > 256)
    return TK_FAIL(err, TK_EINVAL, "classifier: %u classes (want 2..256)",
                   p->n_classes);
  if (p->epochs < 1 || p->batch < 1)
    return TK_FAIL(err, TK_EINVAL, "classifier: epochs %u and batch %u must "
                   "be >= 1", p->epochs, p->batch);
  if (!(p->lr > 0 && isfinite(p->lr)) ||
      !(p->lr_final_frac >= 0 && p->lr_final_frac <= 1))
    return TK_FAIL(err, TK_EINVAL, "classifier: step size %g (want > 0) or "
                   "final fraction %g (want [0, 1])", p->lr, p->lr_final_frac);
  if (!(p->beta1 >= 0 && p->beta1 < 1) || !(p->beta2 >= 0 && p->beta2 < 1) ||
      !(p->adam_eps > 0 && isfinite(p->adam_eps)))
    return TK_FAIL(err, TK_EINVAL, "classifier: Adam beta1 %g, beta2 %g "
                   "(want [0, 1)), eps %g (want > 0)", p->beta1, p->beta2,
                   p->adam_eps);
  if (!(p->weight_decay >= 0 && isfinite(p->weight_decay)))
    return TK_FAIL(err, TK_EINVAL, "classifier: weight decay %g (want >= 0)",
                   p->weight_decay);
  return TK_OK;
}

/* He-normal weights N(0, 2 / fan_in): weight i of layer l is normal
 * (i mod 2) of tk_rng_gauss2_at(seed, stream = l, ctr = i / 2). */
static void init_weights(tsu_clf *c, uint64_t seed)
{
  for (uint32_t l = 0; l < c->n_layers; l++) {
    size_t m = (size_t)c->size[l] * c->size[l + 1];
    double sd = sqrt(2.0 / c->size[l]);
    for (size_t i = 0; i < m; i += 2) {
      double z[2];
      tk_rng_gauss2_at(seed, l, i / 2, z);
      c->w[l][i] = (float)(sd * z[0]);
      if (i + 1 < m)
        c->w[l][i + 1] = (float)(sd * z[1]);
    }
  }
}

/* Forward and backward pass of sample i of the batch. */
static void sample_pass(trainer *t, size_t i, float inv_b)
{
  const tsu_clf *c = t->c;
  uint32_t L = c->n_layers, K = c->size[L];
  float *act = t->act + i * t->s, *del = t->delta + i * t->s;
  tsu__clf_forward_one(c, t->xb[i], t->off, act);
  float *d = del + t->off[L];
  double lse = tsu__clf_softmax(act + t->off[L], K, d);
  t->loss[i] = lse - act[t->off[L] + t->yb[i]];
  d[t->yb[i]] -= 1.0f;
  for (uint32_t k = 0; k < K; k++)
    d[k] *= inv_b;
  /* Back through hidden layers L-1 .. 1: delta_l = relu'(h_l) W_l delta_{l+1}. */
  for (uint32_t l = L - 1; l >= 1; l--) {
    uint32_t ni = c->size[l], no = c->size[l + 1];
    const float *h = act + t->off[l], *dn = del + t->off[l + 1];
    float *dl = del + t->off[l];
    for (uint32_t j = 0; j < ni; j++) {
      if (h[j] <= 0.0f) {
        dl[j] = 0.0f;
        continue;
      }
      const float *wr = c->w[l] + (size_t)j * no;
      float s = 0.0f;
#pragma omp simd reduction(+ : s)
      for (uint32_t k = 0; k < no; k++)
        s += wr[k] * dn[k];
      dl[j] = s;
    }
  }
}

/* Gradient of weight row j of layer l summed over the batch (batch
 * order), then its AdamW step. */
static void row_update(trainer *t, uint32_t l, uint32_t j, size_t bsz,
                       float a_m, float a_v, float step, float decay)
{
  const tsu_clf *c = t->c;
  uint32_t no = c->size[l + 1];
  float g[TSU_CLF_MAX_WIDTH];
  memset(g, 0, no * sizeof(float));
  for (size_t i = 0; i < bsz; i++) {
    const float *dn = t->delta + i * t->s + t->off[l + 1];
    float a;
    if (l == 0) {
      if (!t->xb[i][j])
        continue;
      a = 1.0f;
    } else {
      a = t->act[i * t->s + t->off[l] + j];
      if (a == 0.0f)
        continue;
    }
    if (l == 0) {
#pragma omp simd
      for (uint32_t k = 0; k < no; k++)
        g[k] += dn[k];
    } else {
#pragma omp simd
      for (uint32_t k = 0; k < no; k++)
        g[k] += a * dn[k];
    }
  }
  float *w = c->w[l] + (size_t)j * no;
  float *m = t->mw[l] + (size_t)j * no, *v = t->vw[l] + (size_t)j * no;
  float b1 = (float)t->p->beta1, b2 = (float)t->p->beta2;
  float eps = (float)t->p->adam_eps;
#pragma omp simd
  for (uint32_t k = 0; k < no; k++) {
    m[k] = b1 * m[k] + (1.0f - b1) * g[k];
    v[k] = b2 * v[k] + (1.0f - b2) * g[k] * g[k];
    w[k] -= step * (m[k] * a_m / (sqrtf(v[k] * a_v) + eps)) + decay * w[k];
  }
}

/* One batch step over bsz samples; returns the summed loss. */
static double batch_step(trainer *t, size_t bsz, uint64_t step_no,
                         uint64_t n_steps, int nt)
{
  const tsu_clf_params *p = t->p;
  tsu_clf *c = t->c;
  float inv_b = 1.0f / (float)bsz;
#ifdef _OPENMP
#pragma omp parallel for schedule(static) num_threads(nt)
#else
  (void)nt;
#endif
  for (int64_t i = 0; i < (int64_t)bsz; i++)
    sample_pass(t, (size_t)i, inv_b);
  double loss = 0;
  for (size_t i = 0; i < bsz; i++)
    loss += t->loss[i];
  if (!isfinite(loss))
    return loss;

  /* Cosine-annealed step, Adam bias corrections. */
  double frac = n_steps > 1 ? (double)step_no / (double)(n_steps - 1) : 0.0;
  double lr = p->lr * (p->lr_final_frac +
                       (1 - p->lr_final_frac) * 0.5 * (1 + cos(PI * frac)));
  double tt = (double)(step_no + 1);
  float a_m = (float)(1.0 / (1.0 - pow(p->beta1, tt)));
  float a_v = (float)(1.0 / (1.0 - pow(p->beta2, tt)));
  float step = (float)lr, decay = (float)(lr * p->weight_decay);

  for (uint32_t l = 0; l < c->n_layers; l++) {
    int64_t rows = c->size[l];
#ifdef _OPENMP
#pragma omp parallel for schedule(static) num_threads(nt)
#endif
    for (int64_t j = 0; j < rows; j++)
      row_update(t, l, (uint32_t)j, bsz, a_m, a_v, step, decay);
    /* Biases: plain Adam, no decay. */
    uint32_t no = c->size[l + 1];
    float b1 = (float)p->beta1, b2 = (float)p->beta2, eps = (float)p->adam_eps;
    for (uint32_t k = 0; k < no; k++) {
      float g = 0.0f;
      for (size_t i = 0; i < bsz; i++)
        g += t->delta[i * t->s + t->off[l + 1] + k];
      float *m = t->mb[l] + k, *v = t->vb[l] + k;
      *m = b1 * *m + (1.0f - b1) * g;
      *v = b2 * *v + (1.0f - b2) * g * g;
      c->b[l][k] -= step * (*m * a_m / (sqrtf(*v * a_v) + eps));
    }
  }
  return loss;
}

int tsu_clf_train(const tsu_clf_params *p, const uint8_t *x,
                  const uint8_t *y, size_t n, uint32_t n_in, tsu_clf **out,
                  double *loss_out, tk_err *err)
{
  if (out == NULL)
    return TK_FAIL(err, TK_EINVAL, "classifier: NULL output");
  *out = NULL;
  if (p == NULL || x == NULL || y == NULL)
    return TK_FAIL(err, TK_EINVAL, "classifier: NULL parameters or data");
  if (n < 1)
    return TK_FAIL(err, TK_EINVAL, "classifier: no training images");
  TK_TRY(check_params(p, err));
  for (size_t i = 0; i < n; i++)
    if (y[i] >= p->n_classes)
      return TK_FAIL(err, TK_EINVAL, "classifier: label %u of image %zu is "
                     "not below %u classes", y[i], i, p->n_classes);
  uint32_t size[TSU_CLF_MAX_LAYERS + 1];
  uint32_t L = p->n_hidden + 1;
  size[0] = n_in;
  for (uint32_t l = 0; l < p->n_hidden; l++)
    size[l + 1] = p->hidden[l];
  size[L] = p->n_classes;

  trainer t;
  memset(&t, 0, sizeof t);
  t.p = p;
  TK_TRY(tsu_clf_alloc(L, size, &t.c, err));
  tsu_clf *c = t.c;
  init_weights(c, p->seed);
  size_t B = p->batch < n ? p->batch : n;
  t.s = tsu__clf_act_offsets(c, t.off);
  t.act = malloc(B * t.s * sizeof(float));
  t.delta = malloc(B * t.s * sizeof(float));
  t.loss = malloc(B * sizeof(double));
  t.xb = malloc(B * sizeof *t.xb);
  t.yb = malloc(B);
  t.perm = malloc(n * sizeof *t.perm);
  int bad = !t.act || !t.delta || !t.loss || !t.xb || !t.yb || !t.perm;
  for (uint32_t l = 0; l < L; l++) {
    size_t m = (size_t)size[l] * size[l + 1];
    t.mw[l] = calloc(m, sizeof(float));
    t.vw[l] = calloc(m, sizeof(float));
    t.mb[l] = calloc(size[l + 1], sizeof(float));
    t.vb[l] = calloc(size[l + 1], sizeof(float));
    bad |= !t.mw[l] || !t.vw[l] || !t.mb[l] || !t.vb[l];
  }
  if (bad) {
    trainer_free(&t);
    tsu_clf_free(c);
    return TK_FAIL(err, TK_ENOMEM, "classifier training buffers");
  }

  int nt = tsu__clf_thread_count(p->n_threads);
  uint64_t per_epoch = (n + B - 1) / B, n_steps = per_epoch * p->epochs;
  uint64_t step_no = 0;
  double epoch_loss = 0;
  tk_progress prog;
  tk_progress_init(&prog, "classifier batches", (double)n_steps, p->quiet);
  for (uint32_t e = 0; e < p->epochs; e++) {
    /* Fisher-Yates shuffle from stream 2^32 + e. */
    tk_rng r;
    tk_rng_init(&r, p->seed, (1ULL << 32) + e);
    for (size_t i = 0; i < n; i++)
      t.perm[i] = i;
    for (size_t i = n - 1; i > 0; i--) {
      size_t k = i < UINT32_MAX ? tk_rng_below(&r, (uint32_t)(i + 1))
                                : (size_t)(tk_rng_u64(&r) % (i + 1));
      size_t tmp = t.perm[i];
      t.perm[i] = t.perm[k];
      t.perm[k] = tmp;
    }
    epoch_loss = 0;
    for (size_t s0 = 0; s0 < n; s0 += B) {
      size_t bsz = n - s0 < B ? n - s0 : B;
      for (size_t i = 0; i < bsz; i++) {
        t.xb[i] = x + t.perm[s0 + i] * n_in;
        t.yb[i] = y[t.perm[s0 + i]];
      }
      double l = batch_step(&t, bsz, step_no, n_steps, nt);
      if (!isfinite(l)) {
        trainer_free(&t);
        tsu_clf_free(c);
        return TK_FAIL(err, TK_ENUMERIC, "classifier: loss is %g in epoch %u, "
                       "batch %llu (step size %g too large?)", l, e,
                       (unsigned long long)(s0 / B), p->lr);
      }
      epoch_loss += l;
      step_no++;
      tk_progress_update(&prog, (double)step_no);
    }
  }
  tk_progress_finish(&prog);
  trainer_free(&t);
  if (loss_out != NULL)
    *loss_out = epoch_loss / (double)n;
  *out = c;
  return TK_OK;
}

