/* io_clf.h -- classifier files (HDF5) of `tsukit dtm eval --classifier`:
 * the small network whose feature layer defines FD-tsukit (tsu/tsu_clf.h).
 *
 * Layout: root attr kind = "tsukit-fd-classifier"; /clf/w0, /clf/b0,
 * /clf/w1, ... float32, w_l [size_l, size_(l+1)] input-major, b_l
 * [size_(l+1)] (the arrays of tsu_clf_array_get, in order).
 */
#ifndef IO_CLF_H
#define IO_CLF_H

#include "common/tk_error.h"
#include "io/io_h5.h"
#include "tsu/tsu_clf.h"

/* Write c to a new file at path (fails with TK_EEXIST if it exists). */
int io_clf_save(const char *path, const tsu_clf *c, const io_prov *prov,
                tk_err *err);
/* Read a classifier; n_inputs (> 0) is the input width it must have. */
int io_clf_load(const char *path, uint32_t n_inputs, tsu_clf **out,
                tk_err *err);

#endif
