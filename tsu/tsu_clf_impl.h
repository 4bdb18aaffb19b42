/* tsu_clf_impl.h -- helpers shared by the classifier's inference
 * (tsu_clf.c) and training (tsu_clf_train.c); not installed. */
#ifndef TSU_CLF_IMPL_H
#define TSU_CLF_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include "tsu/tsu_clf.h"

/* Offsets of the activations of layers 1..L in one sample's buffer;
 * returns the buffer length. */
size_t tsu__clf_act_offsets(const tsu_clf *c, size_t *off);
/* Forward pass of one image: act + off[l] receives layer l (ReLU applied
 * for hidden layers; raw logits for the last). */
void tsu__clf_forward_one(const tsu_clf *c, const uint8_t *x,
                          const size_t *off, float *act);
/* Softmax of the logits z[k] into p (may alias z); returns log-sum-exp. */
double tsu__clf_softmax(const float *z, uint32_t k, float *p);
/* OpenMP threads to use for n_threads (0: all). */
int tsu__clf_thread_count(int n_threads);

#endif
