/* tsu_clf.c -- the FD-tsukit classifier: a ReLU perceptron on binary
 * images (see tsu_clf.h): the network, its forward pass, predictions,
 * features and the flat export; the minibatch AdamW training is in
 * tsu_clf_train.c.
 *
 * Workload: 60000 images of 784 bytes, batch 100, 784 -> 256 -> 64 -> 10;
 * per batch the first layer (a sum of ~380 lit weight rows per image,
 * forward and again for the gradient) costs ~90 % of the time.
 *
 * Determinism: one batch step is
 *   1. forward and backward pass of every sample (parallel over samples,
 *      each sample's sums in a fixed order of its own);
 *   2. for every weight row (parallel over rows): the gradient, summed
 *      over the batch in batch order, and the AdamW update of that row;
 *   3. the biases, serially.
 * No sum is split across threads, so the bits do not depend on the
 * thread count.
 */
#include "tsu/tsu_clf.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#ifdef _OPENMP
#include <omp.h>
#endif

#include "tsu/tsu_clf_impl.h"
#include "tsu/tsu_fd.h"

/* Images per parallel chunk in predict / features. */
#define CHUNK 512


tsu_clf_params tsu_clf_default_params(void)
{
  tsu_clf_params p;
  memset(&p, 0, sizeof p);
  p.n_hidden = 2;
  p.hidden[0] = 256;
  p.hidden[1] = 64;
  p.n_classes = 10;
  p.epochs = 8;
  p.batch = 100;
  p.lr = 2e-3;
  p.lr_final_frac = 0.0;
  p.beta1 = 0.9;
  p.beta2 = 0.999;
  p.adam_eps = 1e-8;
  p.weight_decay = 1e-4;
  p.seed = 0x5eedc1fULL;
  p.n_threads = 0;
  p.quiet = 0;
  return p;
}

void tsu_clf_free(tsu_clf *c)
{
  if (c == NULL)
    return;
  for (uint32_t l = 0; l < TSU_CLF_MAX_LAYERS; l++) {
    free(c->w[l]);
    free(c->b[l]);
  }
  free(c);
}

int tsu_clf_alloc(uint32_t n_layers, const uint32_t *size, tsu_clf **out,
                  tk_err *err)
{
  if (out == NULL)
    return TK_FAIL(err, TK_EINVAL, "classifier: NULL output");
  *out = NULL;
  if (size == NULL || n_layers < 2 || n_layers > TSU_CLF_MAX_LAYERS)
    return TK_FAIL(err, TK_EINVAL, "classifier: %u weight layers (want 2..%d)",
                   n_layers, TSU_CLF_MAX_LAYERS);
  if (size[0] < 1 || size[0] > (1u << 20))
    return TK_FAIL(err, TK_EINVAL, "classifier: %u inputs (want 1..%u)",
                   size[0], 1u << 20);
  for (uint32_t l = 1; l <= n_layers; l++)
    if (size[l] < 1 || size[l] > TSU_CLF_MAX_WIDTH)
      return TK_FAIL(err, TK_EINVAL, "classifier: layer %u has width %u "
                     "(want 1..%d)", l, size[l], TSU_CLF_MAX_WIDTH);
  if (size[n_layers] < 2 || size[n_layers] > 256)
    return TK_FAIL(err, TK_EINVAL, "classifier: %u classes (want 2..256)",
                   size[n_layers]);
  tsu_clf *c = calloc(1, sizeof *c);
  if (c == NULL)
    return TK_FAIL(err, TK_ENOMEM, "classifier");
  c->n_layers = n_layers;
  for (uint32_t l = 0; l <= n_layers; l++)
    c->size[l] = size[l];
  for (uint32_t l = 0; l < n_layers; l++) {
    c->w[l] = calloc((size_t)size[l] * size[l + 1], sizeof(float));
    c->b[l] = calloc(size[l + 1], sizeof(float));
    if (c->w[l] == NULL || c->b[l] == NULL) {
      tsu_clf_free(c);
      return TK_FAIL(err, TK_ENOMEM, "classifier weights");
    }
  }
  *out = c;
  return TK_OK;
}

uint32_t tsu_clf_n_features(const tsu_clf *c)
{
  return c->size[c->n_layers - 1];
}

/* Offsets of the activations of layers 1..L in one sample's buffer;
 * returns the buffer length. */
size_t tsu__clf_act_offsets(const tsu_clf *c, size_t *off)
{
  size_t s = 0;
  for (uint32_t l = 1; l <= c->n_layers; l++) {
    off[l] = s;
    s += c->size[l];
  }
  return s;
}

/* Forward pass of one image: act + off[l] receives layer l (ReLU applied
 * for hidden layers; raw logits for the last). */
void tsu__clf_forward_one(const tsu_clf *c, const uint8_t *x, const size_t *off,
                        float *act)
{
  uint32_t L = c->n_layers;
  /* Layer 1: bias plus the weight rows of the lit pixels, in pixel order. */
  uint32_t n1 = c->size[1];
  float *h = act + off[1];
  memcpy(h, c->b[0], n1 * sizeof(float));
  for (uint32_t j = 0; j < c->size[0]; j++)
    if (x[j]) {
      const float *wr = c->w[0] + (size_t)j * n1;
#pragma omp simd
      for (uint32_t k = 0; k < n1; k++)
        h[k] += wr[k];
    }
  for (uint32_t l = 1; l < L; l++) {
    float *in = act + off[l], *o = act + off[l + 1];
    uint32_t ni = c->size[l], no = c->size[l + 1];
    /* ReLU of the layer below, then the affine map (rows of silent units
     * skipped; the sum still runs in input order). */
    for (uint32_t j = 0; j < ni; j++)
      in[j] = in[j] > 0.0f ? in[j] : 0.0f;
    memcpy(o, c->b[l], no * sizeof(float));
    for (uint32_t j = 0; j < ni; j++) {
      float a = in[j];
      if (a == 0.0f)
        continue;
      const float *wr = c->w[l] + (size_t)j * no;
#pragma omp simd
      for (uint32_t k = 0; k < no; k++)
        o[k] += a * wr[k];
    }
  }
}

/* Softmax of the logits z[k] into p (may alias z); returns log-sum-exp. */
double tsu__clf_softmax(const float *z, uint32_t k, float *p)
{
  float zmax = z[0];
  for (uint32_t i = 1; i < k; i++)
    zmax = z[i] > zmax ? z[i] : zmax;
  double s = 0;
  for (uint32_t i = 0; i < k; i++)
    s += exp((double)z[i] - zmax);
  double lse = zmax + log(s);
  for (uint32_t i = 0; i < k; i++)
    p[i] = (float)exp((double)z[i] - lse);
  return lse;
}

int tsu__clf_thread_count(int n_threads)
{
#ifdef _OPENMP
  return n_threads > 0 ? n_threads : omp_get_max_threads();
#else
  (void)n_threads;
  return 1;
#endif
}

/* ---- inference --------------------------------------------------------- */

/* Forward passes of n images in chunks; for each image, emit() receives
 * its activation buffer. */
typedef void (*emit_fn)(const tsu_clf *c, const size_t *off, const float *act,
                        size_t i, void *ctx);

static int run_forward(const tsu_clf *c, const uint8_t *x, size_t n,
                       int n_threads, emit_fn emit, void *ctx, tk_err *err)
{
  size_t off[TSU_CLF_MAX_LAYERS + 1];
  size_t s = tsu__clf_act_offsets(c, off);
  size_t chunk = n < CHUNK ? n : CHUNK;
  float *act = malloc(chunk * s * sizeof(float));
  if (act == NULL)
    return TK_FAIL(err, TK_ENOMEM, "classifier activations");
  int nt = tsu__clf_thread_count(n_threads);
  size_t n_in = c->size[0];
  for (size_t i0 = 0; i0 < n; i0 += chunk) {
    size_t m = n - i0 < chunk ? n - i0 : chunk;
#ifdef _OPENMP
#pragma omp parallel for schedule(static) num_threads(nt)
#else
    (void)nt;
#endif
    for (int64_t i = 0; i < (int64_t)m; i++) {
      float *a = act + (size_t)i * s;
      tsu__clf_forward_one(c, x + (i0 + (size_t)i) * n_in, off, a);
      emit(c, off, a, i0 + (size_t)i, ctx);
    }
  }
  free(act);
  return TK_OK;
}

static int check_net(const tsu_clf *c, const void *x, size_t n,
                     const void *o, tk_err *err)
{
  if (c == NULL || c->n_layers < 2 || c->n_layers > TSU_CLF_MAX_LAYERS)
    return TK_FAIL(err, TK_EINVAL, "classifier: NULL or malformed network");
  if (n > 0 && (x == NULL || o == NULL))
    return TK_FAIL(err, TK_EINVAL, "classifier: NULL images or output");
  return TK_OK;
}

typedef struct pred_ctx {
  uint8_t *labels;          /* [n] or NULL */
  float *probs;             /* [n][K] or NULL */
} pred_ctx;

static void emit_pred(const tsu_clf *c, const size_t *off, const float *act,
                      size_t i, void *ctx)
{
  pred_ctx *pc = ctx;
  uint32_t K = c->size[c->n_layers];
  const float *z = act + off[c->n_layers];
  uint32_t best = 0;
  for (uint32_t k = 1; k < K; k++)
    if (z[k] > z[best])
      best = k;
  if (pc->labels != NULL)
    pc->labels[i] = (uint8_t)best;
  if (pc->probs != NULL)
    tsu__clf_softmax(z, K, pc->probs + i * K);
}

int tsu_clf_predict(const tsu_clf *c, const uint8_t *x, size_t n,
                    uint8_t *labels, float *probs, int n_threads, tk_err *err)
{
  TK_TRY(check_net(c, x, n, labels, err));
  pred_ctx pc = {labels, probs};
  return run_forward(c, x, n, n_threads, emit_pred, &pc, err);
}

int tsu_clf_accuracy(const tsu_clf *c, const uint8_t *x, const uint8_t *y,
                     size_t n, int n_threads, double *acc, tk_err *err)
{
  TK_TRY(check_net(c, x, n, y, err));
  if (acc == NULL || n == 0)
    return TK_FAIL(err, TK_EINVAL, "classifier accuracy: no images or NULL "
                   "output");
  uint8_t *lab = malloc(n);
  if (lab == NULL)
    return TK_FAIL(err, TK_ENOMEM, "classifier labels");
  int rc = tsu_clf_predict(c, x, n, lab, NULL, n_threads, err);
  if (rc == 0) {
    size_t hit = 0;
    for (size_t i = 0; i < n; i++)
      hit += lab[i] == y[i];
    *acc = (double)hit / (double)n;
  }
  free(lab);
  return rc;
}

static void emit_feat(const tsu_clf *c, const size_t *off, const float *act,
                      size_t i, void *ctx)
{
  double *feat = ctx;
  uint32_t l = c->n_layers - 1, d = c->size[l];
  const float *h = act + off[l];   /* ReLU already applied by forward_one */
  for (uint32_t k = 0; k < d; k++)
    feat[i * d + k] = h[k];
}

int tsu_clf_features(const tsu_clf *c, const uint8_t *x, size_t n,
                     double *feat, int n_threads, tk_err *err)
{
  TK_TRY(check_net(c, x, n, feat, err));
  return run_forward(c, x, n, n_threads, emit_feat, feat, err);
}

int tsu_clf_fd(const tsu_clf *c, const uint8_t *x1, size_t n1,
               const uint8_t *x2, size_t n2, int n_threads, double *fd,
               tk_err *err)
{
  TK_TRY(check_net(c, x1, n1, fd, err));
  TK_TRY(check_net(c, x2, n2, fd, err));
  if (n1 < 2 || n2 < 2)
    return TK_FAIL(err, TK_EINVAL, "FD-tsukit: %zu and %zu images (want >= 2 "
                   "each)", n1, n2);
  size_t d = tsu_clf_n_features(c);
  double *f1 = malloc(n1 * d * sizeof *f1), *f2 = malloc(n2 * d * sizeof *f2);
  int rc;
  if (f1 == NULL || f2 == NULL)
    rc = TK_FAIL(err, TK_ENOMEM, "FD-tsukit features");
  else if ((rc = tsu_clf_features(c, x1, n1, f1, n_threads, err)) == 0 &&
           (rc = tsu_clf_features(c, x2, n2, f2, n_threads, err)) == 0)
    rc = tsu_fd_sets(f1, n1, f2, n2, d, fd, err);
  free(f1);
  free(f2);
  return rc;
}

/* ---- flat export / import ---------------------------------------------- */

size_t tsu_clf_n_arrays(const tsu_clf *c)
{
  return c == NULL ? 0 : 2 * (size_t)c->n_layers;
}

int tsu_clf_array_get(const tsu_clf *c, size_t i, tsu_clf_array *a,
                      tk_err *err)
{
  static const char *const names[2 * TSU_CLF_MAX_LAYERS] = {
      "w0", "b0", "w1", "b1", "w2", "b2", "w3", "b3"};
  if (c == NULL || a == NULL || i >= tsu_clf_n_arrays(c))
    return TK_FAIL(err, TK_EINVAL, "classifier: no array %zu", i);
  uint32_t l = (uint32_t)(i / 2);
  a->name = names[i];
  if (i % 2 == 0) {
    a->ndim = 2;
    a->dims[0] = c->size[l];
    a->dims[1] = c->size[l + 1];
    a->data = c->w[l];
  } else {
    a->ndim = 1;
    a->dims[0] = c->size[l + 1];
    a->dims[1] = 0;
    a->data = c->b[l];
  }
  return TK_OK;
}
