/* fuzz_h5_clf.c -- the classifier reader of `dtm eval --classifier`
 * (io/io_clf.h), for 28x28 inputs as the command asks.
 *
 * Contract: a network whose layer shapes chain, or a one-line error. */
#include "fuzz/fuzz_h5.h"

#include "io/io_clf.h"
#include "tsu/tsu_clf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  const char *path = fuzz_h5_image(data, size);
  if (path == NULL)
    return 0;
  tsu_clf *c = NULL;
  tk_err err = {0};
  int rc = io_clf_load(path, 784, &c, &err);
  fuzz_check_error(rc, &err, "io_clf_load");
  if (rc != 0 && c != NULL)
    fuzz_fail("io_clf_load", "failure left a classifier");
  tsu_clf_free(c);
  fuzz_h5_image_done();
  return 0;
}
