/* fuzz_h5.h -- shared by the HDF5 harnesses: open the fuzzed bytes as an
 * HDF5 file from memory (a memfd, no temp file) through io_file_open_read,
 * as every reader of tsukit does. */
#ifndef TK_FUZZ_H5_H
#define TK_FUZZ_H5_H

#include "fuzz/fuzz.h"
#include "io/io_h5.h"

/* Open data as a file (NULL: not opened; the error contract was
 * checked).  *path gets the file's path for the path-based readers. */
io_file *fuzz_h5_open(const uint8_t *data, size_t size, const char **path);

/* Read every dataset of group (one level) as f64 and every attribute
 * named in attrs (NULL-terminated) of the group, checking the error
 * contract and touching what was read. */
void fuzz_h5_walk(io_file *f, const char *group, const char *const *attrs);

#endif
