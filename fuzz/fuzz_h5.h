/* fuzz_h5.h -- shared by the HDF5 harnesses: the fuzzed bytes opened as
 * an HDF5 file image in memory, through the same io_file_open_read every
 * reader of tsukit calls.
 *
 * How: fuzz_h5_image() keeps the bytes and returns a path (an empty file
 * made once, so the readers' stat() succeeds); this harness program
 * defines H5Fis_hdf5 and H5Fopen itself, and for that path answers
 * H5Fis_hdf5 from the bytes (HDF5's signature search: offset 0, 512,
 * 1024, ...) and opens them with HDF5's core driver from the image
 * (H5Pset_fapl_core + H5Pset_file_image, lending the bytes without a
 * copy on read-only opens; every other path goes to libhdf5's own
 * functions).  So no file is written and read back per
 * input, and HDF5 reads from memory.  fuzz_h5_image_done() checks that
 * the readers did reach the image (a build where the definitions did not
 * take precedence would otherwise test nothing): it aborts if they never
 * did. */
#ifndef TK_FUZZ_H5_H
#define TK_FUZZ_H5_H

#include "fuzz/fuzz.h"
#include "io/io_h5.h"

/* The bytes as an in-memory HDF5 file; the path to give the readers
 * (valid until the next call; NULL: cannot make the placeholder). */
const char *fuzz_h5_image(const uint8_t *data, size_t size);

/* At the end of an input: aborts unless a reader asked HDF5 about the
 * image since fuzz_h5_image (every io_file_open_read does). */
void fuzz_h5_image_done(void);

/* Open data as a file (NULL: not opened; the error contract was
 * checked).  *path gets the image's path for the path-based readers. */
io_file *fuzz_h5_open(const uint8_t *data, size_t size, const char **path);

/* Read every dataset of group (one level) as f64 and every attribute
 * named in attrs (NULL-terminated) of the group, checking the error
 * contract and touching what was read. */
void fuzz_h5_walk(io_file *f, const char *group, const char *const *attrs);

#endif
