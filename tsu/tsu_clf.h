/* tsu_clf.h -- a small classifier network for binary images, trained
 * deterministically; its penultimate layer is the feature space of
 * FD-tsukit (tsu_fd.h), the offline stand-in for the Inception features
 * of FID.
 *
 * Network: a multilayer perceptron, inputs x in {0,1}^n_in (a binarised
 * image, row-major), hidden layers h_l = relu(W_l^T h_{l-1} + b_l), and
 * logits z = W_L^T h_{L-1} + b_L; softmax cross-entropy.  Default
 * 784 -> 256 -> 64 -> 10: the 64 ReLU units of the last hidden layer are
 * the features.  Weights are float32, stored input-major: W_l is
 * [size[l]][size[l+1]], so the first layer of a binary image is a sum of
 * the weight rows of its lit pixels (no multiplications; about half the
 * pixels of binarised Fashion-MNIST are lit).
 *
 * Training: minibatch Adam with decoupled weight decay (AdamW), step size
 * lr cosine-annealed from lr to lr * lr_final_frac over all steps, He
 * initialisation.  Deterministic: every random number is a Philox draw
 * keyed by the seed (initialisation: stream = layer, block = weight row;
 * the shuffle of epoch e: stream 2^32 + e), and every sum has a fixed
 * order (samples of a batch in batch order, weights summed along one
 * row): the result is bit-identical for any thread count (OpenMP splits
 * samples for the forward/backward pass and weight rows for the gradient
 * sums, never a sum).  It depends only on the build's floating point (no
 * -ffast-math; x86-64 SSE2 without FMA contraction).
 *
 * Workload: the full 60000-image binarised Fashion-MNIST training set;
 * the defaults (8 epochs) take about 16 s on one core, 8 s on two, and
 * reach 87.9 % test accuracy (10000 test images).
 */
#ifndef TSU_CLF_H
#define TSU_CLF_H

#include <stddef.h>
#include <stdint.h>

#include "common/tk_error.h"

/* Hidden layers at most; the network has n_hidden + 1 weight layers. */
#define TSU_CLF_MAX_HIDDEN 3
#define TSU_CLF_MAX_LAYERS (TSU_CLF_MAX_HIDDEN + 1)
/* Largest layer width accepted. */
#define TSU_CLF_MAX_WIDTH 4096

typedef struct tsu_clf_params {
  uint32_t n_hidden;        /* hidden layers, 1..TSU_CLF_MAX_HIDDEN; the last is the feature layer */
  uint32_t hidden[TSU_CLF_MAX_HIDDEN]; /* widths of the hidden layers, 1..TSU_CLF_MAX_WIDTH */
  uint32_t n_classes;       /* output classes, 2..256 (labels 0..n_classes-1) */
  uint32_t epochs;          /* passes over the training set, >= 1 */
  uint32_t batch;           /* minibatch size, >= 1 */
  double lr;                /* Adam step size at the start, > 0 */
  double lr_final_frac;     /* cosine schedule ends at lr * this, [0, 1] */
  double beta1, beta2;      /* Adam moment decays, [0, 1) */
  double adam_eps;          /* Adam denominator guard, > 0 */
  double weight_decay;      /* decoupled decay per unit step size, >= 0 (weights only, not biases) */
  uint64_t seed;            /* Philox key of initialisation and shuffles */
  int n_threads;            /* OpenMP threads, <= 0: the OpenMP default; result independent of it */
  int quiet;                /* 1: no progress line on stderr */
} tsu_clf_params;

/* 784 -> 256 -> 64 -> 10, 8 epochs, batch 100, lr 2e-3 -> 0, AdamW
 * (0.9, 0.999, 1e-8, weight decay 1e-4), seed 0x5eedc1f. */
tsu_clf_params tsu_clf_default_params(void);

typedef struct tsu_clf {
  uint32_t n_layers;        /* weight layers, 2..TSU_CLF_MAX_LAYERS (hidden + 1) */
  uint32_t size[TSU_CLF_MAX_LAYERS + 1]; /* widths: size[0] inputs, size[n_layers] classes */
  float *w[TSU_CLF_MAX_LAYERS]; /* [size[l]][size[l+1]] weights, input-major */
  float *b[TSU_CLF_MAX_LAYERS]; /* [size[l+1]] biases */
} tsu_clf;

/* A network of the given widths (size[0] inputs ... size[n_layers]
 * classes), weights and biases zero: the target of an import. */
int tsu_clf_alloc(uint32_t n_layers, const uint32_t *size, tsu_clf **out,
                  tk_err *err);
void tsu_clf_free(tsu_clf *c);

/* Feature dimension: the width of the last hidden layer. */
uint32_t tsu_clf_n_features(const tsu_clf *c);

/* Train on n images x[n][n_in] (bytes, nonzero = lit pixel) with labels
 * y[n] in 0..n_classes-1.  A finite loss is checked every batch; NaN or
 * infinity stops with TK_ENUMERIC.  *loss_out (may be NULL) receives the
 * mean training cross-entropy of the last epoch, in nats. */
int tsu_clf_train(const tsu_clf_params *p, const uint8_t *x,
                  const uint8_t *y, size_t n, uint32_t n_in, tsu_clf **out,
                  double *loss_out, tk_err *err);

/* Class of each of n images x[n][size[0]]; probs (may be NULL) receives
 * the softmax probabilities [n][n_classes]. */
int tsu_clf_predict(const tsu_clf *c, const uint8_t *x, size_t n,
                    uint8_t *labels, float *probs, int n_threads,
                    tk_err *err);

/* Fraction of n images whose predicted class equals y. */
int tsu_clf_accuracy(const tsu_clf *c, const uint8_t *x, const uint8_t *y,
                     size_t n, int n_threads, double *acc, tk_err *err);

/* Penultimate-layer activations (after ReLU) of n images, as doubles
 * feat[n][tsu_clf_n_features(c)]: the FD-tsukit feature space. */
int tsu_clf_features(const tsu_clf *c, const uint8_t *x, size_t n,
                     double *feat, int n_threads, tk_err *err);

/* FD-tsukit between two image sets x1[n1][size[0]] and x2[n2][size[0]]
 * (n1, n2 >= 2): tsu_clf_features() of both, then tsu_fd_sets().  The
 * value is biased upwards by finite sets (two disjoint halves of the
 * Fashion-MNIST test set: 0.36 at 5000 vs 5000, 0.13 at 10000 vs 10000),
 * so compare values only at equal set sizes. */
int tsu_clf_fd(const tsu_clf *c, const uint8_t *x1, size_t n1,
               const uint8_t *x2, size_t n2, int n_threads, double *fd,
               tk_err *err);

/* Flat export / import: the network is 2 * n_layers named float arrays,
 * "w0", "b0", "w1", "b1", ... ; w<l> has shape [size[l]][size[l+1]] and
 * b<l> shape [size[l+1]].  A saved network is restored by
 * tsu_clf_alloc() with the saved widths (size[0] = rows of w0, size[l+1]
 * = length of b<l>) and a copy into each array. */
typedef struct tsu_clf_array {
  const char *name;         /* "w0", "b0", ... (static string) */
  uint32_t ndim;            /* 2 for weights, 1 for biases */
  uint32_t dims[2];         /* extents; dims[1] unused (0) when ndim = 1 */
  float *data;              /* the network's own storage, row-major, writable */
} tsu_clf_array;

/* Number of arrays (2 * n_layers). */
size_t tsu_clf_n_arrays(const tsu_clf *c);
/* Array i, 0 <= i < tsu_clf_n_arrays(c). */
int tsu_clf_array_get(const tsu_clf *c, size_t i, tsu_clf_array *a,
                      tk_err *err);

#endif
